from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class AllianceQuotaEntry(models.Model):
    """The prepaid quota of a merchant: packs bought, points given away."""

    _name = "alliance.quota.entry"
    _description = "Alliance Merchant Quota Entry"
    _order = "date desc, id desc"

    merchant_id = fields.Many2one("alliance.merchant", required=True, index=True, ondelete="restrict", readonly=True)
    # The merchant's, set with it by ``_move`` (not related: computed, they cost an UPDATE after the
    # INSERT, on every prepaid merchant's earn).
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    entry_type = fields.Selection(
        [("purchase", "Pack Bought"), ("issue", "Points Given"), ("return", "Points Taken Back")],
        string="Type",
        required=True,
        readonly=True,
    )
    points = fields.Integer(required=True, readonly=True)
    amount = fields.Monetary(
        string="Amount Due",
        currency_field="currency_id",
        readonly=True,
        help="What the merchant owes the operator for a pack: points × issue price / 1,000.",
    )
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    reference = fields.Char(readonly=True)
    points_entry_id = fields.Many2one("alliance.points.entry", readonly=True, index="btree_not_null")

    _purchase_reference_uniq = models.UniqueIndex(
        "(merchant_id, reference) WHERE entry_type = 'purchase' AND reference IS NOT NULL",
        "This point pack was already recorded.",
    )

    def write(self, vals):
        if vals:
            raise UserError(self.env._("Quota entries cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Quota entries cannot be deleted."))

    @api.model
    def _move(self, merchant, entry_type, points, amount=0.0, reference=None, points_entry=None, **values):
        """Record a quota movement and update the merchant's quota; the UPDATE holds its row lock.

        ``values``: columns a later addon adds to the entry (the pack it credits).
        """
        [(balance,)] = self.env.execute_query(
            SQL(
                "UPDATE alliance_merchant SET quota_balance = COALESCE(quota_balance, 0) + %s WHERE id = %s"
                " RETURNING quota_balance",
                points,
                merchant.id,
            )
        )
        merchant.invalidate_recordset(["quota_balance", "quota_entry_ids"])
        # Quota lines are the operator's record of what a merchant bought and gave away. Every earn at
        # a prepaid merchant writes one: a plain INSERT, not the ORM's create and its machinery.
        now = self.env.cr.now()
        row = {
            "merchant_id": merchant.id,
            "company_id": merchant.company_id.id,
            "currency_id": merchant.currency_id.id,
            "entry_type": entry_type,
            "points": points,
            "amount": merchant.currency_id.round(amount or 0.0),
            "reference": reference or None,
            "points_entry_id": points_entry.id if points_entry else None,
            "date": now,
            "create_uid": self.env.uid,
            "create_date": now,
            "write_uid": self.env.uid,
            "write_date": now,
            **values,
        }
        self.env.execute_query(
            SQL(
                "INSERT INTO alliance_quota_entry (%s) VALUES %s",
                SQL(", ").join(SQL.identifier(column) for column in row),
                tuple(row.values()),
            )
        )
        return balance

    @api.model
    def _buy_pack(self, merchant, points, reference=None):
        if not self.env.user.has_group("alliance_member.group_alliance_operator"):
            raise UserError(self.env._("Only the operator sells point packs."))
        if not isinstance(points, int) or points <= 0:
            raise UserError(self.env._("A point pack is a positive whole number of points."))
        if merchant.billing_mode != "prepaid":
            raise UserError(
                self.env._("%s is billed at settlement for the points it gives: it buys no packs.", merchant.name)
            )
        if reference and self.search_count([("merchant_id", "=", merchant.id), ("reference", "=", reference)]):
            raise UserError(self.env._("Point pack %s was already recorded.", reference))
        amount = merchant.currency_id.round(points * merchant.issue_price / 1000)
        return self._move(merchant, "purchase", points, amount=amount, reference=reference)

    @api.model
    def _issue(self, merchant, points, points_entry):
        """Take given-away points off a prepaid merchant's quota, within its overdraft."""
        if merchant.billing_mode != "prepaid" or not points:
            return
        # Move first: the UPDATE locks the merchant and says what is left. Over the limit, the error
        # rolls the caller's transaction (or the POS order's savepoint) back, quota entry included.
        balance = self._move(merchant, "issue" if points > 0 else "return", -points, points_entry=points_entry)
        if points > 0 and balance < -merchant.overdraft_points:
            raise UserError(
                self.env._(
                    "%(merchant)s has %(quota)s prepaid points left (overdraft %(overdraft)s): "
                    "it cannot give %(points)s more. Buy a point pack from the operator.",
                    merchant=merchant.name,
                    quota=balance + points,
                    overdraft=merchant.overdraft_points,
                    points=points,
                )
            )
