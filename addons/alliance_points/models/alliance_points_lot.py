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
    # A lot is written with its entry, which says when and by whom.
    _log_access = False

    entry_id = fields.Many2one("alliance.points.entry", required=True, ondelete="restrict", index=True, readonly=True)
    card_id = fields.Many2one("alliance.card", required=True, ondelete="restrict", readonly=True)
    merchant_id = fields.Many2one("alliance.merchant", string="Issued By", readonly=True, index=True)
    # Not indexed: a lot is found by its card, entry or issuer; every index here is rewritten when
    # a lot is used up, a million times at a year-end expiry.
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True)
    expiry_date = fields.Date(readonly=True, help="Empty: the points never expire.")
    points = fields.Integer(required=True, readonly=True)
    remaining = fields.Integer(readonly=True)
    # Not indexed: read for one card at a time, through the open-lots index.
    pending_until = fields.Datetime(
        readonly=True,
        help="Earned through the API: the points cannot be spent before this time (the operator's delay).",
    )
    move_ids = fields.One2many("alliance.points.lot.move", "lot_id", string="Uses")
    # Expiry takes what is left of a lot in one go: the lot names its expire
    # entry instead of a use (a million lots expire at a year's end).
    expire_entry_id = fields.Many2one(
        "alliance.points.entry", string="Expired By", readonly=True, index="btree_not_null", ondelete="restrict"
    )

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
    # A use is written with its entry, which says when and by whom.
    _log_access = False

    entry_id = fields.Many2one("alliance.points.entry", required=True, ondelete="restrict", index=True, readonly=True)
    lot_id = fields.Many2one("alliance.points.lot", required=True, ondelete="restrict", index=True, readonly=True)
    points = fields.Integer(required=True, readonly=True)
    # Copied from the entry and the lot when the use is written (by the service
    # only), not related fields: those cost an UPDATE after every insert.
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    issuer_merchant_id = fields.Many2one("alliance.merchant", string="Issued By", readonly=True)
    merchant_id = fields.Many2one("alliance.merchant", string="Used At", readonly=True)
