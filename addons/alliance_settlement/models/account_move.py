from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        # Whoever registers the payment, the pack it pays is credited: the operator's own records.
        packs = (
            self.env["alliance.point.pack"].sudo().search([("invoice_id", "in", self.ids), ("state", "=", "invoiced")])
        )
        packs._credit()
        return res
