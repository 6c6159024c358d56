from odoo import fields, models


class AllianceTierHistory(models.Model):
    _name = "alliance.tier.history"
    _description = "Alliance Tier Change"
    _order = "date desc, id desc"

    card_id = fields.Many2one("alliance.card", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="card_id.partner_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    old_tier_id = fields.Many2one("alliance.tier", string="From")
    new_tier_id = fields.Many2one("alliance.tier", string="To")
    # A member's spend at every merchant of the alliance: the operator's and the member's own, not the
    # issuing merchant's to read (a merchant sees its own sales only).
    spend = fields.Monetary(
        string="Rolling Spend",
        currency_field="currency_id",
        groups="alliance_member.group_alliance_accountant,base.group_portal",
    )
    currency_id = fields.Many2one("res.currency")
    reason = fields.Selection(
        [("auto", "Rolling spend"), ("manual", "Operator override"), ("issue", "Card issued")],
        required=True,
    )
    note = fields.Char()
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
