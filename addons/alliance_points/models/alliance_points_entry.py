from odoo import api, fields, models
from odoo.exceptions import UserError

ENTRY_TYPES = [
    ("earn", "Earn"),
    ("redeem", "Redeem"),
    ("expire", "Expire"),
    ("adjust", "Adjustment"),
    ("referral", "Referral Bonus"),
    ("reversal", "Reversal"),
    ("transfer", "Card Replacement"),
    ("debt", "Refund Debt"),
]


class AlliancePointsEntry(models.Model):
    """One posted movement of points: the ledger is append-only.

    Mistakes are undone by reversal entries; nobody writes or deletes a
    posted entry. The card's stored balance is the sum of its entries.
    """

    _name = "alliance.points.entry"
    _description = "Alliance Points Entry"
    _order = "date desc, id desc"
    _rec_name = "reference"
    # ``date`` and ``user_id`` say when and by whom an entry was posted, and
    # nobody writes one afterwards: the four log columns (two of them foreign
    # keys checked on every insert) would only slow the busiest table down.
    _log_access = False

    # Indexed by (card_id, date) below, which also serves searches on card_id alone.
    card_id = fields.Many2one("alliance.card", required=True, ondelete="restrict", readonly=True)
    # Set when posted (the card's holder then), not a related field: a related
    # one costs an extra UPDATE on every entry.
    partner_id = fields.Many2one("res.partner", string="Member", readonly=True)
    merchant_id = fields.Many2one(
        "alliance.merchant",
        index=True,
        ondelete="restrict",
        readonly=True,
        help="The merchant where the points moved; empty for the operator's own entries.",
    )
    # Searched by company through the unique (company_id, entry_type, reference) index.
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    entry_type = fields.Selection(ENTRY_TYPES, string="Type", required=True, readonly=True)
    points = fields.Integer(required=True, readonly=True, help="Signed: positive credits the card.")
    debt_delta = fields.Integer(
        readonly=True, help="Points the member owes after a refund of points already spent (+), or pays back (−)."
    )
    balance_after = fields.Integer(readonly=True)
    amount = fields.Monetary(
        string="Money Basis",
        readonly=True,
        currency_field="currency_id",
        help="Earn: the amount paid. Redeem: the face value of the points.",
    )
    # Stored and given with every entry: the amount's rounding then needs no read of the company.
    currency_id = fields.Many2one("res.currency", readonly=True)
    # Looked up with its merchant and type, through the unique index below.
    reference = fields.Char(required=True, readonly=True, help="Idempotency key, unique per merchant and type.")
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    pos_order_id = fields.Many2one("pos.order", string="POS Order", readonly=True, index="btree_not_null")
    origin = fields.Char(readonly=True, help="The document or call that moved the points.")
    reversed_entry_id = fields.Many2one("alliance.points.entry", readonly=True, index="btree_not_null")
    # Kept on the reversal itself: reports and the clearing add a reversal up with what it reverses
    # without joining the ledger to itself.
    reversed_type = fields.Selection(
        selection="_selection_entry_types", readonly=True, help="A reversal: the type of the entry it reverses."
    )
    reversal_entry_ids = fields.One2many("alliance.points.entry", "reversed_entry_id", string="Reversals")
    parent_entry_id = fields.Many2one(
        "alliance.points.entry",
        readonly=True,
        index="btree_not_null",
        help="The purchase a referral bonus or a debt repayment belongs to.",
    )
    note = fields.Char(readonly=True)
    explain = fields.Text(string="Rules Applied", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    lot_ids = fields.One2many("alliance.points.lot", "entry_id", string="Lots Created")
    lot_move_ids = fields.One2many("alliance.points.lot.move", "entry_id", string="Lots Used")
    expired_lot_ids = fields.One2many("alliance.points.lot", "expire_entry_id", string="Lots Expired")

    _reference_uniq = models.Constraint(
        "UNIQUE(company_id, entry_type, reference)", "This reference was already used for such a movement."
    )
    _card_date_idx = models.Index("(card_id, date)")
    # A merchant's own period (its reports, its dashboard, its record rule is on the company): its rows
    # only, where the date index alone reads the whole alliance's period and filters.
    _company_date_idx = models.Index("(company_id, date)")

    def _selection_entry_types(self):
        # The types as later addons extend them (a gift order's entry, reversed when it is cancelled).
        return self._fields["entry_type"].selection

    def init(self):
        # Reversals posted before the column existed: their type, from what they reverse (few rows, by index).
        self.env.cr.execute(
            """UPDATE alliance_points_entry e SET reversed_type = o.entry_type
                 FROM alliance_points_entry o
                WHERE o.id = e.reversed_entry_id AND e.reversed_entry_id IS NOT NULL AND e.reversed_type IS NULL"""
        )

    @api.model
    def _alliance_mutable_fields(self):
        """Hook: fields a later addon may set on a posted entry (e.g. its settlement)."""
        return set()

    def write(self, vals):
        forbidden = set(vals) - self._alliance_mutable_fields()
        if forbidden:
            raise UserError(self.env._("Posted points entries cannot be changed; reverse them instead."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Posted points entries cannot be deleted; reverse them instead."))
