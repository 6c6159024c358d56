from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
        string="Referral Bonus, Level 1 (%)",
        config_parameter="alliance_points.referral_pct_1",
        default=10,
        help="Points the referrer earns, in percent of the points its referee earns.",
    )
    alliance_referral_pct_2 = fields.Integer(
        string="Referral Bonus, Level 2 (%)",
        config_parameter="alliance_points.referral_pct_2",
        default=5,
        help="The referrer's referrer, in percent of the referee's points.",
    )
    alliance_referral_pct_3 = fields.Integer(
        string="Referral Bonus, Level 3 (%)",
        config_parameter="alliance_points.referral_pct_3",
        default=2,
        help="One level further up, in percent of the referee's points.",
    )
    alliance_max_redeem_pct = fields.Integer(
        string="Points Pay at Most (% of a bill)",
        config_parameter="alliance_points.max_redeem_pct",
        default=100,
        help="The share of a bill, in percent, that points may pay at a counter.",
    )
    alliance_min_redeem_points = fields.Integer(
        string="Smallest Redemption (points)",
        config_parameter="alliance_points.min_redeem_points",
        default=0,
        help="Fewer points than this are not redeemed at a time; 0: any number.",
    )
    alliance_hold_minutes = fields.Integer(
        string="Points Held for an Unpaid Order (minutes)",
        config_parameter="alliance_points.hold_minutes",
        default=30,
        help="Points a counter took for an order that never syncs are given back after this many minutes.",
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
    alliance_quota_low_points = fields.Integer(
        string="Warn a Prepaid Merchant Below (points)",
        config_parameter="alliance_points.quota_low_points",
        default=10000,
        help="A prepaid merchant's counter warns when its quota of points to give away falls below this; "
        "at zero its members earn nothing there until it buys a pack.",
    )
    alliance_sms_gateway_url = fields.Char(
        string="SMS Gateway URL",
        config_parameter="alliance_points.sms_gateway_url",
        help="The gateway's SendSms endpoint (Aliyun SMS style: signed, templated requests).",
    )
    alliance_sms_key_id = fields.Char(
        string="Access Key ID",
        config_parameter="alliance_points.sms_key_id",
        help="The secret is not kept here: put alliance_sms_access_key_secret in Odoo's configuration file.",
    )
    alliance_sms_sign_name = fields.Char(
        string="Signature (签名)",
        config_parameter="alliance_points.sms_sign_name",
        help="The signature the gateway approved, shown at the start of every message: 【星城商家联盟】.",
    )
    alliance_sms_quiet_start = fields.Integer(
        string="Quiet From (hour)", config_parameter="alliance_points.sms_quiet_start", default=21
    )
    alliance_sms_quiet_end = fields.Integer(
        string="Quiet Until (hour)",
        config_parameter="alliance_points.sms_quiet_end",
        default=8,
        help="No message but codes goes between these hours (the alliance's time); the same hour twice: none.",
    )
    alliance_sms_expiry_reminder_days = fields.Integer(
        string="Remind Days Before Expiry",
        config_parameter="alliance_points.sms_expiry_reminder_days",
        default=7,
        help="Members are texted once for the points that expire within this many days.",
    )

    # Parameter: (lowest, highest) accepted; what the engine would misread otherwise.
    _ALLIANCE_RANGES = {
        "alliance_points_per_unit": (1, 1_000_000),
        "alliance_earn_rate_pct": (0, 10_000),
        "alliance_birthday_pct": (100, 10_000),
        "alliance_referral_pct_1": (0, 100),
        "alliance_referral_pct_2": (0, 100),
        "alliance_referral_pct_3": (0, 100),
        "alliance_max_redeem_pct": (0, 100),
        "alliance_min_redeem_points": (0, 1_000_000_000),
        "alliance_hold_minutes": (1, 24 * 60),
        "alliance_expiry_months": (1, 600),
        "alliance_card_only_points": (0, 1_000_000_000),
        "alliance_paycode_valid_seconds": (10, 600),
        "alliance_pin_lock_minutes": (1, 7 * 24 * 60),
        "alliance_api_pending_hours": (0, 24 * 90),
        "alliance_api_max_amount": (0, 1_000_000_000),
        "alliance_api_max_points_day": (0, 1_000_000_000),
        "alliance_reverse_days": (0, 366),
        "alliance_quota_low_points": (0, 1_000_000_000),
        "alliance_sms_quiet_start": (0, 23),
        "alliance_sms_quiet_end": (0, 23),
        "alliance_sms_expiry_reminder_days": (1, 90),
    }

    def _alliance_zero_params(self):
        return super()._alliance_zero_params() + [
            name for name, (low, _high) in self._ALLIANCE_RANGES.items() if low == 0
        ]

    @api.constrains(*_ALLIANCE_RANGES)
    def _check_alliance_ranges(self):
        for settings in self:
            for name, (low, high) in self._ALLIANCE_RANGES.items():
                if not low <= settings[name] <= high:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s must be between %(low)s and %(high)s.",
                            setting=self._fields[name].get_description(self.env)["string"],
                            low=low,
                            high=high,
                        )
                    )
