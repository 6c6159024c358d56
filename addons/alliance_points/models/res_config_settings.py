from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    alliance_points_per_unit = fields.Integer(
        string="Points per Currency Unit",
        config_parameter="alliance_points.points_per_unit",
        default=100,
        help="Face value of points at redemption: this many points pay 1.00 of a bill.",
    )
    alliance_earn_rate_pct = fields.Integer(
        string="Base Earn Rate (%)",
        config_parameter="alliance_points.earn_rate_pct",
        default=100,
        help="Points earned per 1.00 paid, in percent: 100 gives 1 point per 1.00.",
    )
    alliance_birthday_pct = fields.Integer(
        string="Birthday Multiplier (%)",
        config_parameter="alliance_points.birthday_pct",
        default=200,
        help="Multiplier applied on the member's birthday: 200 doubles the points.",
    )
    alliance_referral_pct_1 = fields.Integer(
        string="Referral Bonus, Level 1 (%)", config_parameter="alliance_points.referral_pct_1", default=10
    )
    alliance_referral_pct_2 = fields.Integer(
        string="Referral Bonus, Level 2 (%)", config_parameter="alliance_points.referral_pct_2", default=5
    )
    alliance_referral_pct_3 = fields.Integer(
        string="Referral Bonus, Level 3 (%)", config_parameter="alliance_points.referral_pct_3", default=2
    )
    alliance_expiry_policy = fields.Selection(
        [("months", "N months after earning"), ("year_end", "End of the year after earning"), ("never", "Never")],
        string="Points Expire",
        config_parameter="alliance_points.expiry_policy",
        default="months",
    )
    alliance_expiry_months = fields.Integer(
        string="Months Before Expiry", config_parameter="alliance_points.expiry_months", default=24
    )
    alliance_card_only_points = fields.Integer(
        string="Card Alone Pays (points a day)",
        config_parameter="alliance_points.card_only_points",
        default=0,
        help="Points a day a scanned physical card pays without the member's code or PIN; 0: never.",
    )
    alliance_paycode_valid_seconds = fields.Integer(
        string="Payment Code Valid (seconds)", config_parameter="alliance_points.paycode_valid_seconds", default=60
    )
    alliance_pin_lock_minutes = fields.Integer(
        string="PIN Locked After 5 Wrong Tries (minutes)",
        config_parameter="alliance_points.pin_lock_minutes",
        default=30,
    )
    alliance_api_pending_hours = fields.Integer(
        string="API Points Pending (hours)",
        config_parameter="alliance_points.api_pending_hours",
        default=24,
        help="Points earned through the API are spendable after this delay; POS orders' points at once.",
    )
    alliance_api_max_amount = fields.Integer(
        string="Largest API Purchase", config_parameter="alliance_points.api_max_amount", default=5000
    )
    alliance_api_max_points_day = fields.Integer(
        string="API Points per Card per Day", config_parameter="alliance_points.api_max_points_day", default=10000
    )
    alliance_reverse_days = fields.Integer(
        string="Merchants Reverse Within (days)", config_parameter="alliance_points.reverse_days", default=7
    )
