from odoo import fields, models


class AllianceAgent(models.Model):
    """The agent's contract: what the operator pays it for the merchants it brought in."""

    _inherit = "alliance.agent"

    share_rate = fields.Float(
        string="Share of Operator Income (%)",
        digits=(5, 2),
        help="Of what the operator earns on the agent's merchants each period: redemption margin, breakage, "
        "commission.",
    )
    fee_per_merchant = fields.Monetary(
        string="Fee per Active Merchant", currency_field="currency_id", help="For each merchant with activity."
    )
    fee_per_member = fields.Monetary(
        string="Fee per New Member", currency_field="currency_id", help="For each member its merchants enrolled."
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env["alliance.merchant"]._get_operator_company().currency_id
    )
    statement_ids = fields.One2many("alliance.agent.statement", "agent_id", string="Agent Statements")

    _share_range = models.Constraint(
        "CHECK(share_rate >= 0 AND share_rate <= 100)", "An agent's share is between 0 and 100%."
    )
    _fees_positive = models.Constraint(
        "CHECK(fee_per_merchant >= 0 AND fee_per_member >= 0)", "An agent's fees cannot be negative."
    )
