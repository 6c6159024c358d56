from odoo import fields, models


class AllianceCardAuth(models.Model):
    _inherit = "alliance.card.auth"

    sms_purpose = fields.Selection(selection_add=[("gift", "Order gifts")], ondelete={"gift": "set null"})

    def _get_sms_purpose(self, purpose):
        if purpose != "gift":
            return super()._get_sms_purpose(purpose)
        return self.env._("get gifts or coupons with your points")
