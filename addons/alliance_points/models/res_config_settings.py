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
