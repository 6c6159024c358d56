from odoo import fields, models


class AllianceMerchant(models.Model):
    _inherit = "alliance.merchant"

    settlement_netting = fields.Boolean(
        string="Settle by Netting",
        tracking=True,
        help="One journal entry and one payment for the net amount, instead of an invoice and a bill.",
    )

    def _alliance_portal_values(self):
        values = super()._alliance_portal_values()
        # Through the portal user's rules: its own merchant's statements, once confirmed (drafts still move).
        values["statements"] = self.env["alliance.settlement.statement"].search(
            [("merchant_id", "=", self.id), ("stage", "in", ("confirmed", "posted"))], order="date_from desc"
        )
        return values
