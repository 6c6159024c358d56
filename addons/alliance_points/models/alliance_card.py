from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .alliance_card_auth import CODE_LENGTH, card_code_of_payment_code
from .alliance_points_service import VISIT_ENTRY_TYPES


class AllianceCard(models.Model):
    _inherit = "alliance.card"

    debt_points = fields.Integer(
        default=0,
        readonly=True,
        copy=False,
        help="Points the member owes after a refund of points already spent; the next earn pays them back.",
    )
    entry_ids = fields.One2many("alliance.points.entry", "card_id", string="Points Ledger")
    # Kept by the ledger in the balance's own UPDATE as it posts, so that the members report reads a
    # row per card instead of searching each member's ledger (88 s for a million members).
    last_visit = fields.Datetime(
        readonly=True,
        copy=False,
        groups="alliance_member.group_alliance_accountant",
        help="The member's last purchase or payment with points on this card, at any merchant.",
    )
    visited_elsewhere = fields.Boolean(
        string="Visits Other Merchants",
        default=False,
        readonly=True,
        copy=False,
        groups="alliance_member.group_alliance_accountant",
        help="Has bought or paid with points at a merchant other than the one that enrolled the member.",
    )

    _debt_positive = models.Constraint("CHECK(debt_points >= 0)", "A card cannot owe fewer than zero points.")

    # -- what the counter and the member see -----------------------------------------

    def _alliance_expiring(self, days=30):
        """Points that expire within ``days``, grouped by date (reminders, portal, lookup)."""
        self.ensure_one()
        # The alliance's day, as the lots' expiry dates are (not the caller's time zone).
        today = self.env["alliance.points.engine"]._today()
        return self._alliance_expiry_groups(today + relativedelta(days=days))

    def _alliance_next_expiry(self):
        """``{"points", "date"}`` of the card's next expiry, however far: the member always sees it."""
        self.ensure_one()
        groups = self._alliance_expiry_groups(limit=1)
        return groups[0] if groups else {}

    def _alliance_expiry_groups(self, until=None, limit=None):
        """``[{"points", "date"}]`` of the card's open lots by expiry date, soonest first.

        Every lookup and every receipt with a card asks: one plain statement over the card's
        open-lots index, not a read_group with its domain machinery.
        """
        self.env["alliance.points.lot"].flush_model(["card_id", "remaining", "expiry_date"])
        rows = self.env.execute_query(
            SQL(
                """SELECT expiry_date, SUM(remaining) FROM alliance_points_lot
                    WHERE card_id = %s AND remaining > 0 AND expiry_date IS NOT NULL %s
                 GROUP BY expiry_date ORDER BY expiry_date %s""",
                self.id,
                SQL("AND expiry_date <= %s", until) if until else SQL(),
                SQL("LIMIT %s", limit) if limit else SQL(),
            )
        )
        return [{"points": points, "date": fields.Date.to_string(day)} for day, points in rows]

    def _alliance_lookup_values(self):
        values = super()._alliance_lookup_values()
        values["expiring"] = self._alliance_expiring()
        values["debt"] = self.debt_points
        pending = self.env["alliance.points.trust"]._pending_points(self)
        values["pending"] = pending
        values["available"] = self.balance - pending
        # The company's currency only, not the whole company row.
        self.env.company.fetch(["currency_id"])
        values["points_per_unit"] = self.env.company.currency_id._alliance_points_per_unit()
        merchant = self.env["alliance.merchant"]._get_current(raise_if_none=False)
        # The counter's own quota, so that a cashier knows before members earn nothing.
        values["quota"] = merchant.sudo()._alliance_quota_state() if merchant else False
        return values

    # -- checks ------------------------------------------------------------------------

    def _check_can_move_points(self):
        self.ensure_one()
        if self.state != "active":
            if self.replaced_by_id:
                raise UserError(
                    self.env._("Card %(code)s was replaced by %(new)s.", code=self.code, new=self.replaced_by_id.code)
                )
            raise UserError(
                self.env._(
                    "Card %(code)s is %(state)s: no points move on it.", code=self.code, state=self._state_label()
                )
            )
        if self.valid_until and self.valid_until < fields.Date.context_today(self):
            raise UserError(self.env._("Card %s has expired.", self.code))

    @api.model
    def _alliance_card_from_api(self, card):
        """``(card, found_by)``: the card an API client means, and how it named it.

        A card number, a payment code or an id names the card itself ("card");
        a phone number names its member ("phone"), which never spends without proof.
        """
        if isinstance(card, bool) or not isinstance(card, (int, str)):
            raise UserError(self.env._("A card is given by its number, a payment code, a phone number or its id."))
        if isinstance(card, int):
            found = self.sudo().browse(card).exists() if 0 < card < 2**31 else self.browse()
            if not found:
                raise UserError(self.env._("No alliance card has id %s.", card))
            return found, "card"
        found = self._find_by_query(card)
        query = card.strip().replace(" ", "").replace("-", "")
        return found, "card" if query.isdigit() and len(query) in (10, CODE_LENGTH) else "phone"

    @api.model
    def _find_by_query(self, query):
        """A counter may also scan the member's payment code to find the card (nothing is spent)."""
        card_code = card_code_of_payment_code((query or "").strip()) if isinstance(query, str) else None
        return super()._find_by_query(card_code or query)

    @api.model
    def _alliance_check_reference(self, reference):
        reference = (reference or "").strip() if isinstance(reference, str) else reference
        if not reference or not isinstance(reference, str):
            raise UserError(self.env._("A reference (idempotency key) is required."))
        if len(reference) > 128:
            raise UserError(self.env._("A reference is at most 128 characters."))
        return reference

    # -- API.md: thin methods over the points service ----------------------------------

    @api.model
    def alliance_earn(self, card, amount, reference, lines=None):
        """Points for a purchase of ``amount`` (net paid) at the caller's merchant.

        Points earned through the API may be pending for the operator's delay:
        the answer says how many and until when.
        """
        self._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        reference = self._alliance_check_reference(reference)
        trust = self.env["alliance.points.trust"]
        trust._check_amount(amount)
        trust._check_lines(lines)
        card, _found_by = self._alliance_card_from_api(card)
        entry = self.env["alliance.points.service"]._earn(card, merchant, amount, reference, lines=lines)
        pending = entry.lot_ids.filtered(lambda lot: lot.pending_until and lot.pending_until > fields.Datetime.now())
        return {
            "entry_id": entry.id,
            "points": entry.points,
            "balance": entry.card_id.balance,
            "pending": sum(pending.mapped("remaining")),
            "available_at": fields.Datetime.to_string(max(pending.mapped("pending_until"))) if pending else False,
        }

    @api.model
    def alliance_redeem(self, card, points, reference, proof=None):
        """Points spent at the caller's merchant as payment, with the member's proof; never overspends."""
        self._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        reference = self._alliance_check_reference(reference)
        card, found_by = self._alliance_card_from_api(card)
        entry = self.env["alliance.points.service"]._redeem(
            card, merchant, points, reference, proof=proof, found_by=found_by
        )
        # The balance the entry left (the card is still locked): not read again.
        return {"entry_id": entry.id, "points": -entry.points, "value": entry.amount, "balance": entry.balance_after}

    @api.model
    def alliance_reverse(self, reference):
        """Undo the caller merchant's earn and redeem with this reference, by new entries."""
        self._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        reference = self._alliance_check_reference(reference)
        originals, reversals = self.env["alliance.points.service"]._reverse_reference(merchant, reference)
        card = originals[:1].card_id
        return {"entry_ids": reversals.ids, "balance": card.balance}

    @api.model
    def alliance_send_code(self, card, points=None):
        """Text the member a one-time code to authorise a spend at the caller's merchant."""
        self._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        merchant._check_can_move_points()
        if points is not None and (isinstance(points, bool) or not isinstance(points, int) or points <= 0):
            raise UserError(self.env._("Points to redeem must be a positive whole number."))
        card, _found_by = self._alliance_card_from_api(card)
        card._check_can_move_points()
        expires = self.env["alliance.card.auth"]._get_for(card)._send_sms_code(merchant, points)
        return {"sent": True, "phone": card.partner_id._alliance_masked_phone(), "expires": expires}

    @api.model
    def alliance_pos_hold(self, card_id, amount, order_uuid, payment_uuid, order_total=0.0, proof=None):
        """POS pay-with-points: hold the points for ``amount`` of the order; returns the hold."""
        self._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        card, found_by = self._alliance_card_from_api(card_id)
        hold = self.env["alliance.points.hold"]._place(
            card, merchant, amount, order_uuid, payment_uuid, order_total, proof=proof, found_by=found_by
        )
        return {"hold_id": hold.id, "points": hold.points, "value": hold.value, "balance": card.balance}

    @api.model
    def alliance_pos_release(self, payment_uuid):
        """POS pay-with-points cancelled at the counter: the held points go back."""
        self._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        hold = (
            self.env["alliance.points.hold"]
            .sudo()
            .search([("company_id", "=", merchant.company_id.id), ("payment_uuid", "=", payment_uuid)], limit=1)
        )
        hold._release(self.env._("Cancelled at the counter"))
        return {"released": bool(hold), "balance": hold.card_id.balance}

    @api.model
    def _alliance_recompute_visits(self):
        """Set every card's visit columns again from its ledger, in one statement (an upgrade that adds
        them, data loaded in SQL). Posting keeps them afterwards."""
        self.env["alliance.points.entry"].flush_model()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """UPDATE alliance_card c SET last_visit = v.last_visit, visited_elsewhere = v.elsewhere
                     FROM (SELECT e.card_id, MAX(e.date) AS last_visit,
                                  COALESCE(bool_or(e.merchant_id <> p.alliance_enrol_merchant_id), FALSE) AS elsewhere
                             FROM alliance_points_entry e
                             JOIN alliance_card k ON k.id = e.card_id
                             JOIN res_partner p ON p.id = k.partner_id
                            WHERE e.entry_type IN %s
                            GROUP BY e.card_id) v
                    WHERE c.id = v.card_id
                      AND (c.last_visit IS DISTINCT FROM v.last_visit
                           OR c.visited_elsewhere IS DISTINCT FROM v.elsewhere)""",
                VISIT_ENTRY_TYPES,
            )
        )
        self.invalidate_model(["last_visit", "visited_elsewhere"])
        return self.env.cr.rowcount

    # -- hooks of alliance_member --------------------------------------------------------

    def _transfer_balance_to(self, new):
        """Card replacement: move every open lot, as ledger entries on both cards."""
        self.env["alliance.points.service"]._transfer(self, new)

    @api.model
    def _get_rolling_spend(self, date_to, partner_ids=None):
        spend = super()._get_rolling_spend(date_to, partner_ids)
        # Purchases reported through the API count too (POS orders are counted by the base).
        Entry = self.env["alliance.points.entry"].sudo()
        Entry.flush_model(["entry_type", "pos_order_id", "amount", "date", "partner_id"])
        date_from = date_to - relativedelta(years=1)
        where = SQL(
            "e.entry_type IN ('earn', 'reversal') AND e.pos_order_id IS NULL AND e.date >= %s AND e.date < %s"
            " AND (e.entry_type = 'earn' OR r.entry_type = 'earn')",
            date_from,
            date_to + relativedelta(days=1),
        )
        if partner_ids is not None:
            where = SQL("%s AND e.partner_id IN %s", where, tuple(partner_ids) or (0,))
        rows = self.env.execute_query(
            SQL(
                """SELECT e.partner_id, SUM(e.amount)
                     FROM alliance_points_entry e
                LEFT JOIN alliance_points_entry r ON r.id = e.reversed_entry_id
                    WHERE %s
                 GROUP BY e.partner_id""",
                where,
            )
        )
        for partner_id, amount in rows:
            spend[partner_id] = spend.get(partner_id, 0.0) + amount
        return spend
