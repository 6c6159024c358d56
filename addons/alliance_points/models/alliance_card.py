from collections import namedtuple

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# A share of a lot use to undo: the lot and how many of its points.
LotShare = namedtuple("LotShare", ["lot_id", "points"])


class AllianceCard(models.Model):
    _inherit = "alliance.card"

    debt_points = fields.Integer(
        default=0,
        readonly=True,
        copy=False,
        help="Points the member owes after a refund of points already spent; the next earn pays them back.",
    )
    entry_ids = fields.One2many("alliance.points.entry", "card_id", string="Points Ledger")

    _debt_positive = models.Constraint("CHECK(debt_points >= 0)", "A card cannot owe fewer than zero points.")

    # -- what the counter and the member see -----------------------------------------

    def _alliance_expiring(self, days=30):
        """Points that expire within ``days``, grouped by date (reminders, portal, lookup)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        groups = (
            self.env["alliance.points.lot"]
            .sudo()
            ._read_group(
                [
                    ("card_id", "=", self.id),
                    ("remaining", ">", 0),
                    ("expiry_date", "!=", False),
                    ("expiry_date", "<=", today + relativedelta(days=days)),
                ],
                ["expiry_date:day"],
                ["remaining:sum"],
            )
        )
        return [{"points": points, "date": fields.Date.to_string(day)} for day, points in groups]

    def _alliance_lookup_values(self):
        values = super()._alliance_lookup_values()
        values["expiring"] = self._alliance_expiring()
        values["debt"] = self.debt_points
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
        """The card an API client means: a record, an id, a card number or a phone."""
        if isinstance(card, models.BaseModel):
            return card.sudo()
        if isinstance(card, int):
            found = self.sudo().browse(card).exists()
            if not found:
                raise UserError(self.env._("No alliance card has id %s.", card))
            return found
        return self._find_by_query(str(card))

    @api.model
    def _alliance_check_reference(self, reference):
        reference = (reference or "").strip() if isinstance(reference, str) else reference
        if not reference or not isinstance(reference, str):
            raise UserError(self.env._("A reference (idempotency key) is required."))
        if len(reference) > 128:
            raise UserError(self.env._("A reference is at most 128 characters."))
        return reference

    # -- API.md ------------------------------------------------------------------------

    @api.model
    def alliance_earn(self, card, amount, reference, lines=None):
        """Points for a purchase of ``amount`` (net paid) at the caller's merchant."""
        self._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        reference = self._alliance_check_reference(reference)
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0:
            raise UserError(self.env._("The amount paid must be a number, zero or more."))
        card = self._alliance_card_from_api(card)
        entry = card._alliance_earn(merchant, amount, reference, lines=lines)
        return {"entry_id": entry.id, "points": entry.points, "balance": entry.card_id.balance}

    @api.model
    def alliance_redeem(self, card, points, reference):
        """Points spent at the caller's merchant as payment; never overspends."""
        self._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        reference = self._alliance_check_reference(reference)
        card = self._alliance_card_from_api(card)
        entry = card._alliance_redeem(merchant, points, reference)
        return {"entry_id": entry.id, "points": -entry.points, "value": entry.amount, "balance": entry.card_id.balance}

    @api.model
    def alliance_reverse(self, reference):
        """Undo the caller merchant's earn or redeem with this reference, by new entries."""
        self._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        reference = self._alliance_check_reference(reference)
        Entry = self.env["alliance.points.entry"].sudo()
        originals = Entry.search(
            [
                ("company_id", "=", merchant.company_id.id),
                ("entry_type", "in", ("earn", "redeem")),
                ("reference", "=", reference),
            ]
        )
        if not originals:
            raise UserError(self.env._("No earn or redeem of yours has reference %s.", reference))
        reversals = Entry.browse()
        for original in originals:
            reversals |= original.card_id._alliance_reverse_entry(
                original, reason=self.env._("Reversed by the merchant")
            )
        card = originals[:1].card_id
        return {"entry_ids": reversals.ids, "balance": card.balance}

    @api.model
    def alliance_pos_hold(self, card_id, amount, order_uuid, payment_uuid, order_total=0.0):
        """POS pay-with-points: hold the points for ``amount`` of the order; returns the hold."""
        self._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        card = self._alliance_card_from_api(card_id)
        hold = self.env["alliance.points.hold"]._place(card, merchant, amount, order_uuid, payment_uuid, order_total)
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

    # -- the movements -------------------------------------------------------------------

    def _alliance_find_posted(self, merchant, entry_type, reference):
        """The entry an earlier call with this idempotency key posted, if any.

        One probe of the unique (company, type, reference) index, on every
        earn and redeem: plain SQL, not a search with its domain machinery.
        """
        Entry = self.env["alliance.points.entry"].sudo()
        Entry.flush_model(["company_id", "entry_type", "reference"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM alliance_points_entry WHERE company_id = %s AND entry_type = %s AND reference = %s",
                merchant.company_id.id,
                entry_type,
                reference,
            )
        )
        return Entry.browse(rows[0][0] if rows else ())

    def _alliance_earn(self, merchant, amount, reference, lines=None, date=None, pos_order=None):
        """Credit the points a purchase earns, once per (merchant, reference)."""
        self.ensure_one()
        Service = self.env["alliance.points.service"]
        # The key is looked up under the lock: a call with the same key may
        # have posted while this one waited for it.
        Service._lock_card(self)
        existing = self._alliance_find_posted(merchant, "earn", reference)
        if existing:
            return existing
        merchant._check_can_move_points()
        self._check_can_move_points()
        result = self.env["alliance.points.engine"]._compute_earn(self, merchant, amount, lines, date)
        entry = Service._post(
            self,
            "earn",
            result["points"],
            merchant=merchant,
            reference=reference,
            amount=amount,
            date=date,
            pos_order=pos_order,
            origin=pos_order.name if pos_order else reference,
            explain="\n".join(result["explain"]),
        )
        self.env["alliance.quota.entry"]._issue(merchant, entry.points, entry)
        self._alliance_absorb_debt(entry)
        self._alliance_referral_bonus(entry)
        return entry

    def _alliance_absorb_debt(self, entry):
        """A member who owes points after a refund pays them back from the next earn."""
        debt = min(self.debt_points, self.balance)
        if debt > 0:
            self.env["alliance.points.service"]._post(
                self,
                "debt",
                -debt,
                merchant=entry.merchant_id,
                reference=f"{entry.reference}/debt",
                date=entry.date,
                pos_order=entry.pos_order_id,
                debt_delta=-debt,
                parent_entry=entry,
                prefer_lots=entry.lot_ids,
                note=self.env._("Repays points owed after a refund"),
            )

    def _alliance_referral_bonus(self, entry):
        """Referrers up to three levels up earn a share of the referee's points."""
        levels = self.env["alliance.points.engine"]._get_referral_levels()
        if entry.points <= 0 or not any(levels):
            return
        Service = self.env["alliance.points.service"]
        for level, card in self._alliance_referrer_cards(len(levels)):
            pct = levels[level - 1]
            bonus = entry.points * pct // 100
            if bonus <= 0:
                continue
            Service._lock_card(card)
            bonus_entry = Service._post(
                card,
                "referral",
                bonus,
                merchant=entry.merchant_id,
                reference=f"{entry.reference}/ref{level}",
                date=entry.date,
                parent_entry=entry,
                explain=f"level {level}: {pct}% of {entry.points} points of {self.partner_id.name}",
            )
            self.env["alliance.quota.entry"]._issue(entry.merchant_id, bonus, bonus_entry)

    def _alliance_referrer_cards(self, depth):
        """[(level, active card)] of the member's referrers, nearest first, up to ``depth`` (≤ 3) levels.

        Most members have no referrer, and this runs on every earn: one plain
        join answers that, and the referrers' cards are read only when there are some.
        """
        self.ensure_one()
        self.env["res.partner"].flush_model(["alliance_referrer_id"])
        [chain] = self.env.execute_query(
            SQL(
                """SELECT p0.alliance_referrer_id, p1.alliance_referrer_id, p2.alliance_referrer_id
                     FROM res_partner p0
                LEFT JOIN res_partner p1 ON p1.id = p0.alliance_referrer_id
                LEFT JOIN res_partner p2 ON p2.id = p1.alliance_referrer_id
                    WHERE p0.id = %s""",
                self.partner_id.id,
            )
        )
        referrers = [partner_id for partner_id in chain[:depth] if partner_id]
        if not referrers:
            return []
        cards = self.sudo().search([("partner_id", "in", referrers), ("state", "=", "active")])
        by_partner = {card.partner_id.id: card for card in cards}
        return [
            (level, by_partner[partner_id])
            for level, partner_id in enumerate(chain[:depth], start=1)
            if partner_id in by_partner
        ]

    def _alliance_redeem(self, merchant, points, reference, date=None, pos_order=None):
        self.ensure_one()
        if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
            raise UserError(self.env._("Points to redeem must be a positive whole number."))
        Service = self.env["alliance.points.service"]
        Service._lock_card(self)
        existing = self._alliance_find_posted(merchant, "redeem", reference)
        if existing:
            return existing
        merchant._check_can_move_points()
        self._check_can_move_points()
        minimum = self.env["alliance.points.engine"]._param_int("min_redeem_points", 0)
        if points < minimum:
            raise UserError(self.env._("At least %s points are redeemed at a time.", minimum))
        if self.balance < points:
            raise UserError(
                self.env._(
                    "Card %(card)s has %(balance)s points; %(points)s cannot be redeemed.",
                    card=self.code,
                    balance=self.balance,
                    points=points,
                )
            )
        value = merchant.currency_id._alliance_points_value(points)
        return Service._post(
            self,
            "redeem",
            -points,
            merchant=merchant,
            reference=reference,
            amount=value,
            date=date,
            pos_order=pos_order,
            origin=pos_order.name if pos_order else reference,
        )

    def _alliance_reverse_entry(self, original, points=None, reason=None, reference=None, date=None, pos_order=None):
        """Undo ``points`` of an earn or redeem (all of it by default); idempotent per reference."""
        self.ensure_one()
        Service = self.env["alliance.points.service"]
        Entry = self.env["alliance.points.entry"].sudo()
        reference = reference or f"{original.reference}/reversal"
        existing = Entry.search(
            [
                ("company_id", "=", original.company_id.id),
                ("entry_type", "=", "reversal"),
                ("reference", "=", reference),
            ]
        )
        if existing:
            return existing | existing.search([("parent_entry_id", "in", existing.ids)])
        Service._lock_card(self)
        done = sum(abs(r.points) + max(r.debt_delta, 0) for r in original.reversal_entry_ids)
        open_points = abs(original.points) - done
        points = open_points if points is None else min(points, open_points)
        if points <= 0:
            return Entry.browse()
        ratio_amount = (
            original.currency_id.round(original.amount * points / abs(original.points)) if original.points else 0.0
        )
        common = {
            "merchant": original.merchant_id,
            "reference": reference,
            "date": date,
            "reversed_entry": original,
            "pos_order": pos_order,
            "note": reason,
            "amount": -ratio_amount,
        }
        if original.points < 0:
            # A redeem undone: the points go back to the lots they came from.
            moves = original.lot_move_ids.filtered(lambda m: m.points > 0)
            restore = self._alliance_moves_for(moves, points)
            reversal = Service._post(self, "reversal", points, restore_moves=restore, **common)
            return reversal
        # An earn undone: take back what is there; the rest becomes a debt.
        take = min(points, self.balance)
        reversal = Service._post(
            self, "reversal", -take, debt_delta=points - take, prefer_lots=original.lot_ids, **common
        )
        self.env["alliance.quota.entry"]._issue(original.merchant_id, -points, reversal)
        reversals = reversal
        for bonus in Entry.search([("parent_entry_id", "=", original.id), ("entry_type", "=", "referral")]):
            share = bonus.points * points // original.points
            if share > 0:
                reversals |= bonus.card_id._alliance_reverse_entry(
                    bonus, points=share, reason=reason, reference=f"{reference}/{bonus.reference}", date=date
                )
        return reversals

    def _alliance_moves_for(self, moves, points):
        """The lot uses to undo for ``points``: the last used first (a virtual split)."""
        result = []
        left = points
        for move in moves.sorted("id", reverse=True):
            take = min(move.points, left)
            result.append(LotShare(move.lot_id, take))
            left -= take
            if not left:
                break
        return result

    # -- hooks of alliance_member --------------------------------------------------------

    def _transfer_balance_to(self, new):
        """Card replacement: move every open lot, as ledger entries on both cards."""
        if not self.balance:
            return
        Service = self.env["alliance.points.service"]
        lots = Service._open_lots(self)
        points = self.balance
        out = Service._post(
            self,
            "transfer",
            -points,
            reference=f"transfer/{self.code}/{new.code}",
            note=self.env._("Moved to card %s", new.code),
        )
        into = Service._post(
            new,
            "transfer",
            points,
            reference=f"transfer/{new.code}/{self.code}",
            note=self.env._("Moved from card %s", self.code),
            create_lot=False,
        )
        for lot in lots:
            moved = out.lot_move_ids.filtered(lambda m, lot=lot: m.lot_id == lot)
            Service._create_lot(into, sum(moved.mapped("points")), lot.expiry_date, lot.merchant_id)

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
