import uuid

from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class AlliancePointsAdjust(models.TransientModel):
    """The operator corrects a balance by hand; the reason is mandatory and kept."""

    _name = "alliance.points.adjust"
    _description = "Adjust Alliance Points"

    card_id = fields.Many2one("alliance.card", required=True)
    points = fields.Integer(required=True, help="Signed: positive adds points, negative takes them.")
    reason = fields.Char(required=True)

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("alliance_member.group_alliance_operator"):
            raise AccessError(self.env._("Only the operator adjusts points by hand."))
        if not self.points:
            raise UserError(self.env._("Enter the points to add (positive) or take (negative)."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the points are adjusted."))
        self.env["alliance.points.service"]._adjust(self.card_id.sudo(), self.points, self.reason)
        return {"type": "ir.actions.act_window_close"}


class AlliancePointsReverse(models.TransientModel):
    """The operator undoes any entry, with a reason, by a new entry."""

    _name = "alliance.points.reverse"
    _description = "Reverse Alliance Points Entry"

    entry_id = fields.Many2one("alliance.points.entry", required=True)
    reason = fields.Char(required=True)

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("alliance_member.group_alliance_operator"):
            raise AccessError(self.env._("Only the operator reverses points entries."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the entry is reversed."))
        entry = self.entry_id.sudo()
        if entry.entry_type in ("reversal", "transfer", "debt"):
            raise UserError(
                self.env._("A %s entry is not reversed; reverse the entry it belongs to.", entry.entry_type)
            )
        reversals = self.env["alliance.points.service"]._reverse(
            entry, reason=self.reason, reference=f"{entry.reference}/reversal/{uuid.uuid4().hex[:8]}"
        )
        if not reversals:
            raise UserError(self.env._("Entry %s is already fully reversed.", entry.reference))
        return {"type": "ir.actions.act_window_close"}
