from odoo import api, fields, models
from odoo.tools import SQL


class AllianceMerchant(models.Model):
    _inherit = "alliance.merchant"

    _settlement_cycle = models.Constraint(
        "CHECK(settlement_cycle_months IN (1, 2, 3, 4, 6, 12))",
        "A settlement cycle divides the year: 1, 2, 3, 4, 6 or 12 months.",
    )

    settlement_cycle_months = fields.Integer(
        string="Settlement Cycle (months)",
        default=1,
        tracking=True,
        help="1: a statement every month. 3: every quarter (March, June, September, December), and so on.",
    )
    settlement_netting = fields.Boolean(
        string="Settle by Netting",
        tracking=True,
        help="One journal entry and one payment for the net amount, instead of an invoice and a bill.",
    )

    @api.model
    def _alliance_unsettled_condition(self):
        return SQL("e.settlement_id IS NULL")

    def _alliance_portal_values(self):
        values = super()._alliance_portal_values()
        # Through the portal user's rules: its own merchant's statements, once confirmed (drafts still move).
        values["statements"] = self.env["alliance.settlement.statement"].search(
            [("merchant_id", "=", self.id), ("stage", "in", ("confirmed", "posted"))], order="date_from desc"
        )
        return values
