from odoo import fields, models


class AlliancePointsLot(models.Model):
    """Points credited together, with one expiry date and one issuer.

    Spending and expiry consume lots oldest-expiring first and record which
    ones (``alliance.points.lot.move``): that is how the alliance knows that
    points given away by merchant A were accepted by merchant C.
    """

    _name = "alliance.points.lot"
    _description = "Alliance Points Lot"
    _order = "expiry_date, id"

    entry_id = fields.Many2one("alliance.points.entry", required=True, ondelete="restrict", index=True, readonly=True)
    card_id = fields.Many2one("alliance.card", required=True, ondelete="restrict", readonly=True)
    merchant_id = fields.Many2one("alliance.merchant", string="Issued By", readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True)
    expiry_date = fields.Date(readonly=True, help="Empty: the points never expire.")
    points = fields.Integer(required=True, readonly=True)
    remaining = fields.Integer(readonly=True)
    move_ids = fields.One2many("alliance.points.lot.move", "lot_id", string="Uses")

    _remaining_range = models.Constraint(
        "CHECK(remaining >= 0 AND remaining <= points)", "A lot cannot hold fewer than 0 or more points than it got."
    )
    _open_lots_idx = models.Index("(card_id, expiry_date, id) WHERE remaining > 0")
    _expiry_idx = models.Index("(expiry_date, id) WHERE remaining > 0")


class AlliancePointsLotMove(models.Model):
    """Points of one lot used by one entry (negative points: given back)."""

    _name = "alliance.points.lot.move"
    _description = "Alliance Points Lot Use"
    _order = "id"

    entry_id = fields.Many2one("alliance.points.entry", required=True, ondelete="restrict", index=True, readonly=True)
    lot_id = fields.Many2one("alliance.points.lot", required=True, ondelete="restrict", index=True, readonly=True)
    points = fields.Integer(required=True, readonly=True)
    company_id = fields.Many2one(related="entry_id.company_id", store=True, index=True)
    issuer_merchant_id = fields.Many2one(related="lot_id.merchant_id", store=True, string="Issued By")
    merchant_id = fields.Many2one(related="entry_id.merchant_id", store=True, string="Used At")
