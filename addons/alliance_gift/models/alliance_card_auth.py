from odoo import fields, models

from odoo.addons.alliance_points.models.alliance_card_auth import SMS_VALID_MINUTES


class AllianceCardAuth(models.Model):
    _inherit = "alliance.card.auth"

    sms_purpose = fields.Selection(selection_add=[("gift", "Order gifts")], ondelete={"gift": "set null"})

    def _get_sms_body(self, code, purpose, merchant=None, points=None):
        if purpose != "gift":
            return super()._get_sms_body(code, purpose, merchant, points)
        return self.env._(
            "%(code)s is your alliance code to get gifts or coupons with your points. Valid %(minutes)s minutes. "
            "Never tell it to anyone else.",
            code=code,
            minutes=SMS_VALID_MINUTES,
        )
