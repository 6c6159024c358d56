from odoo import fields, models


class AllianceAgent(models.Model):
    """A regional agent (加盟商) who recruits and looks after merchants of a
    region on the operator's behalf, and sees those merchants' aggregates."""

    _name = "alliance.agent"
    _description = "Alliance Regional Agent"
    _order = "name"

    name = fields.Char(required=True)
    partner_id = fields.Many2one("res.partner", string="Contact", ondelete="restrict")
    region = fields.Char()
    merchant_ids = fields.One2many("alliance.merchant", "agent_id", string="Merchants")
    user_ids = fields.Many2many(
        "res.users",
        string="Agent Users",
        domain=[("share", "=", False)],
        help="Users of the agent (with the Regional Agent role): they see these merchants and their reports.",
    )
    active = fields.Boolean(default=True)
