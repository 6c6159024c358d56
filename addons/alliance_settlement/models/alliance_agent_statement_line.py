from odoo import fields, models


class AllianceAgentStatementLine(models.Model):
    """One merchant of the agent on its statement: what the operator earned on it, the agent's part."""

    _name = "alliance.agent.statement.line"
    _description = "Alliance Agent Statement Line"
    _order = "statement_id, merchant_id"

    statement_id = fields.Many2one("alliance.agent.statement", required=True, ondelete="cascade", index=True)
    agent_id = fields.Many2one(related="statement_id.agent_id", store=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    merchant_id = fields.Many2one("alliance.merchant", required=True, ondelete="restrict")
    merchant_statement_id = fields.Many2one("alliance.settlement.statement", ondelete="restrict")
    amount_margin = fields.Monetary(string="Redemption Margin")
    amount_breakage = fields.Monetary(string="Breakage")
    amount_commission = fields.Monetary(string="Commission")
    amount_base = fields.Monetary(string="Operator Income")
    amount_share = fields.Monetary(string="Share")
    merchant_active = fields.Boolean(string="Active Merchant")
    new_members = fields.Integer()
    amount_fees = fields.Monetary(string="Fees")
    amount_total = fields.Monetary(string="Total")
