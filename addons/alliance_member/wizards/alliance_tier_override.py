from odoo import fields, models


class AllianceTierOverride(models.TransientModel):
    _name = "alliance.tier.override"
    _description = "Set a Member's Tier by Hand"

    card_id = fields.Many2one("alliance.card", required=True)
    tier_id = fields.Many2one("alliance.tier", string="New Tier", required=True)
    note = fields.Char(string="Reason", required=True)

    def action_apply(self):
        self.ensure_one()
        self.card_id._set_tier_manually(self.tier_id, self.note)
        return {"type": "ir.actions.act_window_close"}
