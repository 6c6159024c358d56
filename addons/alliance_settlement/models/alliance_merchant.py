from odoo import models


class AllianceMerchant(models.Model):
    _inherit = "alliance.merchant"

    def _alliance_portal_values(self):
        values = super()._alliance_portal_values()
        # Through the portal user's rules: its own merchant's statements, once confirmed (drafts still move).
        values["statements"] = self.env["alliance.settlement.statement"].search(
            [("merchant_id", "=", self.id), ("stage", "in", ("confirmed", "posted"))], order="date_from desc"
        )
        return values
