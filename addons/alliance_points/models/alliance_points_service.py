"""The one path every movement of points takes: POS, API, wizards, gifts.

The service orchestrates each movement (earn, redeem, reverse, debt,
referral bonus, transfer) under the card's row lock: idempotency, the
member's proof of presence, the merchant's limits, pending points and risk
alerts are checked here once (through ``alliance.points.trust``), not per caller.
``_post`` writes the entry, changes the stored balance in the same
transaction and keeps the lots. Balances never go negative: the database
refuses it as a last guard. Callers (``alliance.card``'s API methods, the
POS, the wizards) are thin.
"""

import uuid
from collections import namedtuple

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, Query

# A share of a lot use to undo: the lot and how many of its points.
LotShare = namedtuple("LotShare", ["lot_id", "points"])

# The entries that are a member's visit to a merchant: a purchase, a payment with points.
VISIT_ENTRY_TYPES = ("earn", "redeem")


class AlliancePointsService(models.AbstractModel):
    _name = "alliance.points.service"
    _description = "Alliance Points Service"

    # -- locks and keys ------------------------------------------------------------

    @api.model
    def _lock_card(self, card, posted=None, partner_fields=()):
        """Row lock on the card until the transaction ends; waits for other holders.

        Odoo transactions are REPEATABLE READ: when another transaction moved
        points on the card since ours began, PostgreSQL refuses the lock with
        a serialization failure and Odoo replays the whole call (``retrying``),
        which then sees the new balance. The failure is expected, not logged.

        The locked row's balance goes to the cache (the card is not read
        again). ``posted``: ``(merchant, entry_type, reference)``, an
        idempotency key probed in the same statement — the entry an earlier
        call with it posted is returned (under the lock: a call with the same
        key may have posted while this one waited). ``partner_fields``: the
        member's columns read in the same statement, into the cache (an earn
        reads a few, and reading one through the ORM fetches the whole partner).
        """
        self.env.flush_all()
        Entry = self.env["alliance.points.entry"].sudo()
        probe = SQL("NULL")
        if posted:
            merchant, entry_type, reference = posted
            company_id = (
                merchant.company_id.id if merchant else self.env["alliance.merchant"]._get_operator_company_id()
            )
            probe = SQL(
                "(SELECT id FROM alliance_points_entry WHERE company_id = %s AND entry_type = %s AND reference = %s)",
                company_id,
                entry_type,
                reference,
            )
        Partner = self.env["res.partner"]
        member = [Partner._fields[fname] for fname in partner_fields]
        self.env.cr.execute(
            SQL(
                """SELECT c.balance, c.debt_points, %s, c.partner_id %s
                     FROM alliance_card c %s WHERE c.id = %s FOR UPDATE OF c""",
                probe,
                SQL("").join(SQL(", p.%s", SQL.identifier(field.name)) for field in member),
                SQL("JOIN res_partner p ON p.id = c.partner_id") if member else SQL(),
                card.id,
            ),
            log_exceptions=False,
        )
        balance, debt, entry_id, partner_id, *values = self.env.cr.fetchone()
        card.invalidate_recordset(["balance", "debt_points"])
        card._fields["balance"]._insert_cache(card, [balance or 0])
        card._fields["debt_points"]._insert_cache(card, [debt or 0])
        if member:
            partner = Partner.browse(partner_id)
            for field, value in zip(member, values, strict=True):
                field._insert_cache(partner, [field.convert_to_cache(value, partner, validate=False)])
        return Entry.browse(entry_id or ())

    @api.model
    def _find_posted(self, merchant, entry_type, reference):
        """The entry an earlier call with this idempotency key posted, if any.

        One probe of the unique (company, type, reference) index: plain SQL,
        not a search with its domain machinery.
        """
        Entry = self.env["alliance.points.entry"].sudo()
        Entry.flush_model(["company_id", "entry_type", "reference"])
        company_id = merchant.company_id.id if merchant else self.env["alliance.merchant"]._get_operator_company_id()
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM alliance_points_entry WHERE company_id = %s AND entry_type = %s AND reference = %s",
                company_id,
                entry_type,
                reference,
            )
        )
        return Entry.browse(rows[0][0] if rows else ())

    @api.model
    def _expiry_date(self, when):
        engine = self.env["alliance.points.engine"]
        policy = engine._param("expiry_policy", "months")
        # The alliance's day, not UTC's: points earned at 07:00 on 1 January in Shanghai are that year's.
        day = fields.Datetime.context_timestamp(
            self.with_context(tz=engine._get_tz()), fields.Datetime.to_datetime(when)
        ).date()
        if policy == "never":
            return False
        if policy == "year_end":
            # 年底清零: points earned in a year expire at the end of the next one.
            return day.replace(year=day.year + 1, month=12, day=31)
        return day + relativedelta(months=engine._param_int("expiry_months", 24))

    # -- the movements -----------------------------------------------------------------

    @api.model
    def _earn(self, card, merchant, amount, reference, lines=None, date=None, pos_order=None):
        """Credit the points a purchase earns, once per (merchant, reference).

        A POS order (``pos_order``) earns on the server's own amounts and at
        once; a purchase reported through the API is held to the merchant's
        limits and its points are pending for the operator's delay.
        """
        date = fields.Datetime.to_datetime(date) if date else None
        # The few member columns an earn reads (birthday bonus, referrers, SMS consent) come with the lock.
        existing = self._lock_card(
            card, posted=(merchant, "earn", reference), partner_fields=self._get_earn_partner_fields()
        )
        if existing:
            return existing
        merchant._check_can_move_points()
        card._check_can_move_points()
        result = self.env["alliance.points.engine"]._compute_earn(card, merchant, amount, lines, date)
        pending_until = False
        if not pos_order:
            trust = self.env["alliance.points.trust"]
            trust._check_api_earn_limits(card, merchant, amount, result["points"])
            pending_until = trust._get_pending_until(date)
        entry = self._post(
            card,
            "earn",
            result["points"],
            merchant=merchant,
            reference=reference,
            amount=amount,
            date=date,
            pos_order=pos_order,
            origin=pos_order.name if pos_order else reference,
            explain="\n".join(result["explain"]),
            pending_until=pending_until,
        )
        self._issue(merchant, entry.points, entry)
        self._absorb_debt(card, entry)
        self._referral_bonus(card, entry)
        self.env["alliance.sms.service"]._notify_entry(entry)
        return entry

    @api.model
    def _get_earn_partner_fields(self):
        """Hook: the member's fields an earn reads, fetched together before it."""
        return ["alliance_birthday", "alliance_referrer_id", "alliance_consent_sms"]

    @api.model
    def _absorb_debt(self, card, entry):
        """A member who owes points after a refund pays them back from the next earn."""
        debt = min(card.debt_points, card.balance)
        if debt > 0:
            self._post(
                card,
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

    @api.model
    def _referral_bonus(self, card, entry):
        """Referrers up to three levels up earn a share of the referee's points.

        The bonus entry names no referee and no amount: a referrer sees that
        a member it referred earned, not who or how much.
        """
        levels = self.env["alliance.points.engine"]._get_referral_levels()
        if entry.points <= 0 or not any(levels):
            return
        for level, referrer_card in self._get_referrer_cards(card, len(levels)):
            pct = levels[level - 1]
            bonus = entry.points * pct // 100
            if bonus <= 0:
                continue
            self._lock_card(referrer_card)
            bonus_entry = self._post(
                referrer_card,
                "referral",
                bonus,
                merchant=entry.merchant_id,
                reference=f"{entry.reference}/ref{level}",
                date=entry.date,
                parent_entry=entry,
                explain=f"level {level}: {pct}%",
                pending_until=entry.lot_ids[:1].pending_until,
            )
            self._issue(entry.merchant_id, bonus, bonus_entry)

    @api.model
    def _get_referrer_cards(self, card, depth):
        """[(level, active card)] of the member's referrers, nearest first, up to ``depth`` (≤ 3) levels.

        Most members have no referrer, and this runs on every earn: the member's own column (fetched
        with the earn's others) answers that; one plain join reads the chain, and the referrers' cards
        are read only when there are some.
        """
        member = card.partner_id.sudo()
        member.fetch(["alliance_referrer_id"])
        if not member.alliance_referrer_id:
            return []
        self.env["res.partner"].flush_model(["alliance_referrer_id"])
        [chain] = self.env.execute_query(
            SQL(
                """SELECT p0.alliance_referrer_id, p1.alliance_referrer_id, p2.alliance_referrer_id
                     FROM res_partner p0
                LEFT JOIN res_partner p1 ON p1.id = p0.alliance_referrer_id
                LEFT JOIN res_partner p2 ON p2.id = p1.alliance_referrer_id
                    WHERE p0.id = %s""",
                card.partner_id.id,
            )
        )
        referrers = [partner_id for partner_id in chain[:depth] if partner_id]
        if not referrers:
            return []
        cards = card.sudo().search([("partner_id", "in", referrers), ("state", "=", "active")])
        by_partner = {c.partner_id.id: c for c in cards}
        return [
            (level, by_partner[partner_id])
            for level, partner_id in enumerate(chain[:depth], start=1)
            if partner_id in by_partner
        ]

    @api.model
    def _redeem(self, card, merchant, points, reference, proof=None, found_by="card", date=None, pos_order=None):
        """Spend ``points`` of the card at ``merchant`` as payment, with the member's proof of presence.

        ``found_by`` says how the counter named the card ("card": its number
        or id, "phone": a phone number); ``proof`` is checked by
        ``_check_presence``. Pending points are not spent.
        """
        if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
            raise UserError(self.env._("Points to redeem must be a positive whole number."))
        # A spend reads three of the merchant's columns, on every payment: those, not the whole row.
        merchant.fetch(["company_id", "currency_id", "state"])
        existing = self._lock_card(card, posted=(merchant, "redeem", reference))
        if existing:
            return existing
        merchant._check_can_move_points()
        card._check_can_move_points()
        minimum = self.env["alliance.points.engine"]._param_int("min_redeem_points", 0)
        if points < minimum:
            raise UserError(self.env._("At least %s points are redeemed at a time.", minimum))
        self.env["alliance.points.trust"]._check_presence(card, merchant, points, proof, found_by)
        # What can be spent is what the spendable lots hold (not the pending ones): the same
        # lots are then consumed, without reading them twice.
        lots = self._open_lots(card, spendable_only=True)
        available = sum(lots.mapped("remaining"))
        if available < points:
            raise UserError(
                self.env._(
                    "Card %(card)s has %(balance)s points to spend; %(points)s cannot be redeemed.",
                    card=card.code,
                    balance=available,
                    points=points,
                )
            )
        value = merchant.currency_id._alliance_points_value(points)
        entry = self._post(
            card,
            "redeem",
            -points,
            merchant=merchant,
            reference=reference,
            amount=value,
            date=date,
            pos_order=pos_order,
            origin=pos_order.name if pos_order else reference,
            spendable_only=True,
            open_lots=lots,
        )
        self.env["alliance.sms.service"]._notify_entry(entry)
        return entry

    @api.model
    def _reverse_reference(self, merchant, reference):
        """``alliance_reverse``: undo the merchant's own earn and redeem with this reference.

        Returns the originals and their reversals (none when they were reversed already).
        """
        Entry = self.env["alliance.points.entry"].sudo()
        originals = Entry.search(
            [
                ("company_id", "=", merchant.company_id.id),
                ("entry_type", "in", ("earn", "redeem")),
                ("reference", "=", reference),
            ],
            order="id",
        )
        if not originals:
            raise UserError(self.env._("No earn or redeem of yours has reference %s.", reference))
        reversals = Entry.browse()
        for original in originals:
            reversals |= self._reverse(original, reason=self.env._("Reversed by the merchant"), by_merchant=merchant)
        return originals, reversals

    @api.model
    def _reverse(self, original, points=None, reason=None, reference=None, date=None, pos_order=None, by_merchant=None):
        """Undo ``points`` of an earn or redeem (all of it by default); idempotent per reference.

        ``by_merchant``: the merchant asks (a refund, ``alliance_reverse``) —
        only its own entry, only while it is active and within the operator's
        window. Without it the operator or the system undoes (a hold released,
        the operator's wizard).
        """
        Entry = self.env["alliance.points.entry"].sudo()
        # Each original has its own key: an earn and a redeem sharing a reference are both undone.
        reference = reference or f"{original.reference}/{original.entry_type}/reversal"
        existing = self._find_posted(original.merchant_id, "reversal", reference)
        if existing:
            return existing | Entry.search([("parent_entry_id", "in", existing.ids)])
        if by_merchant:
            self.env["alliance.points.trust"]._check_merchant_may_reverse(original, by_merchant)
        card = original.card_id
        self._lock_card(card)
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
            return self._post(card, "reversal", points, restore_moves=self._moves_for(moves, points), **common)
        # An earn undone: take back what is there. Points the member already
        # spent elsewhere become the member's debt, and the issuer stays
        # charged for them: the operator has paid the merchant that accepted them.
        take = min(points, card.balance)
        reversal = self._post(card, "reversal", -take, debt_delta=points - take, prefer_lots=original.lot_ids, **common)
        self._issue(original.merchant_id, -take, reversal)
        reversals = reversal
        for bonus in Entry.search([("parent_entry_id", "=", original.id), ("entry_type", "=", "referral")]):
            share = bonus.points * points // original.points
            if share > 0:
                reversals |= self._reverse(
                    bonus, points=share, reason=reason, reference=f"{reference}/{bonus.reference}", date=date
                )
        return reversals

    @api.model
    def _moves_for(self, moves, points):
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

    @api.model
    def _adjust(self, card, points, reason):
        """The operator corrects a balance by hand (the caller checked the role)."""
        self._lock_card(card)
        entry = self._post(
            card,
            "adjust",
            points,
            reference=f"adjust/{uuid.uuid4()}",
            note=reason,
            origin=self.env.user.name,
        )
        self.env["alliance.risk.scan"]._alert_large_adjustment(entry)
        return entry

    @api.model
    def _transfer(self, card, new):
        """Card replacement: move every open lot, as ledger entries on both cards."""
        if not card.balance:
            return
        lots = self._open_lots(card)
        points = card.balance
        out = self._post(
            card,
            "transfer",
            -points,
            reference=f"transfer/{card.code}/{new.code}",
            note=self.env._("Moved to card %s", new.code),
        )
        into = self._post(
            new,
            "transfer",
            points,
            reference=f"transfer/{new.code}/{card.code}",
            note=self.env._("Moved from card %s", card.code),
            create_lot=False,
        )
        for lot in lots:
            moved = out.lot_move_ids.filtered(lambda m, lot=lot: m.lot_id == lot)
            self._create_lot(
                into, sum(moved.mapped("points")), lot.expiry_date, lot.merchant_id, pending_until=lot.pending_until
            )

    @api.model
    def _issue(self, merchant, points, points_entry):
        """Hook: points given away (or taken back, negative) by ``merchant``: its quota and credit."""
        self.env["alliance.quota.entry"]._issue(merchant, points, points_entry)
        if merchant.billing_mode == "postpaid" and merchant.credit_limit:
            merchant._alliance_use_credit(points)

    # -- writing entries ---------------------------------------------------------------

    @api.model
    def _post(
        self,
        card,
        entry_type,
        points,
        merchant=None,
        reference=None,
        amount=0.0,
        date=None,
        pos_order=None,
        origin=None,
        reversed_entry=None,
        parent_entry=None,
        note=None,
        explain=None,
        debt_delta=0,
        prefer_lots=None,
        restore_moves=None,
        create_lot=True,
        expiry_date=None,
        pending_until=False,
        spendable_only=False,
        open_lots=None,
    ):
        """Write one entry and its effect on the card. The caller holds the card's lock."""
        if isinstance(points, bool) or not isinstance(points, int):
            raise UserError(self.env._("Points are whole numbers."))
        date = date or fields.Datetime.now()
        if points < 0 and card.balance + points < 0:
            raise UserError(
                self.env._(
                    "Card %(card)s has %(balance)s points: %(points)s cannot be taken.",
                    card=card.code,
                    balance=card.balance,
                    points=-points,
                )
            )
        visit = self._get_visit_sql(entry_type, merchant, date)
        [(balance, debt)] = self.env.execute_query(
            SQL(
                "UPDATE alliance_card SET balance = COALESCE(balance, 0) + %s,"
                " debt_points = COALESCE(debt_points, 0) + %s%s WHERE id = %s RETURNING balance, debt_points",
                points,
                debt_delta,
                visit,
                card.id,
            )
        )
        # What the row now holds, under the caller's lock: the card is not read again.
        card.invalidate_recordset(["balance", "debt_points", *(("last_visit", "visited_elsewhere") if visit else ())])
        card._fields["balance"]._insert_cache(card, [balance])
        card._fields["debt_points"]._insert_cache(card, [debt])
        vals = self._prepare_entry_vals(
            card,
            entry_type,
            points,
            merchant=merchant,
            reference=reference,
            balance=balance,
            amount=amount,
            date=date,
            pos_order=pos_order,
            origin=origin,
            reversed_entry=reversed_entry,
            parent_entry=parent_entry,
            note=note,
            explain=explain,
            debt_delta=debt_delta,
        )
        # Entries are written by the service for every role; access was checked by the caller.
        entry = self.env["alliance.points.entry"].sudo().create(vals)
        if points < 0:
            self._consume(entry, -points, prefer=prefer_lots, spendable_only=spendable_only, lots=open_lots)
        elif points > 0 and create_lot:
            if restore_moves:
                self._restore(entry, restore_moves)
            else:
                expiry = expiry_date if expiry_date is not None else self._expiry_date(date)
                self._create_lot(entry, points, expiry, merchant, pending_until=pending_until)
        return entry

    @api.model
    def _get_visit_sql(self, entry_type, merchant, date):
        """Hook: the card's visit columns, set in the balance's own UPDATE (no statement more per sale).

        A purchase or a payment with points is a visit; one at a merchant other than the member's
        enrolling merchant is a visit elsewhere (the members report counts both without reading the
        ledger of every member)."""
        if entry_type not in VISIT_ENTRY_TYPES:
            return SQL()
        return SQL(
            ", last_visit = GREATEST(last_visit, %s), visited_elsewhere = COALESCE(visited_elsewhere, FALSE)"
            " OR COALESCE(%s <> (SELECT p.alliance_enrol_merchant_id FROM res_partner p"
            " WHERE p.id = alliance_card.partner_id), FALSE)",
            date,
            merchant.id if merchant else None,
        )

    @api.model
    def _prepare_entry_vals(self, card, entry_type, points, merchant=None, reference=None, balance=0, **values):
        """Hook: the values of one ledger entry (a later addon adds its own columns)."""
        if merchant:
            company, currency = merchant.company_id, merchant.currency_id
        else:
            company = self.env["alliance.merchant"]._get_operator_company()
            currency = company.currency_id
        record = {
            key: values[key].id if values.get(key) else False for key in ("pos_order", "reversed_entry", "parent_entry")
        }
        return {
            "card_id": card.id,
            "partner_id": card.partner_id.id,
            "merchant_id": merchant.id if merchant else False,
            "company_id": company.id,
            "entry_type": entry_type,
            "points": points,
            "debt_delta": values.get("debt_delta") or 0,
            "balance_after": balance,
            # Before the amount: caching a Monetary at create reads its currency.
            "currency_id": currency.id,
            "amount": values.get("amount") or 0.0,
            "reference": reference,
            "date": values.get("date"),
            "pos_order_id": record["pos_order"],
            "origin": values.get("origin"),
            "reversed_entry_id": record["reversed_entry"],
            "reversed_type": values["reversed_entry"].entry_type if values.get("reversed_entry") else False,
            "parent_entry_id": record["parent_entry"],
            "note": values.get("note"),
            "explain": values.get("explain"),
        }

    @api.model
    def _create_lot(self, entry, points, expiry_date, merchant, pending_until=False):
        return (
            self.env["alliance.points.lot"]
            .sudo()
            .create(
                {
                    "entry_id": entry.id,
                    "card_id": entry.card_id.id,
                    "merchant_id": merchant.id if merchant else False,
                    "company_id": entry.company_id.id,
                    "date": entry.date,
                    "expiry_date": expiry_date,
                    "points": points,
                    "remaining": points,
                    "pending_until": pending_until or False,
                }
            )
        )

    @api.model
    def _open_lots(self, card, prefer=None, spendable_only=False):
        """Lots with points left, the preferred ones first, then oldest-expiring first.

        ``spendable_only`` leaves pending lots out (a spend); taking points
        back (a reversal, a debt) takes from any lot.
        """
        Lot = self.env["alliance.points.lot"].sudo()
        Lot.flush_model(["remaining", "expiry_date", "card_id", "pending_until"])
        # One statement finds the lots in order and fetches what consuming them reads.
        query = Query(self.env, Lot._table)
        query.add_where(
            SQL(
                "%s = %s AND %s > 0",
                SQL.identifier(Lot._table, "card_id"),
                card.id,
                SQL.identifier(Lot._table, "remaining"),
            )
        )
        if spendable_only:
            pending = SQL.identifier(Lot._table, "pending_until")
            query.add_where(SQL("(%s IS NULL OR %s <= %s)", pending, pending, fields.Datetime.now()))
        query.order = SQL(
            "%s = ANY(%s) DESC, %s ASC NULLS LAST, %s ASC",
            SQL.identifier(Lot._table, "id"),
            list(prefer.ids) if prefer else [],
            SQL.identifier(Lot._table, "expiry_date"),
            SQL.identifier(Lot._table, "id"),
        )
        return Lot._fetch_query(query, [Lot._fields[name] for name in ("remaining", "merchant_id")])

    @api.model
    def _consume(self, entry, points, prefer=None, spendable_only=False, lots=None):
        """Take ``points`` from the card's open lots (``lots``: already found, in order, under the lock)."""
        left = points
        if lots is None:
            lots = self._open_lots(entry.card_id, prefer, spendable_only=spendable_only)
        uses = []
        for lot in lots:
            take = min(lot.remaining, left)
            uses.append((lot.id, take))
            left -= take
            if not left:
                break
        if left:
            # Lots and balance disagree: refuse rather than lose track of points.
            raise UserError(self.env._("The lots of card %s do not cover its balance.", entry.card_id.code))
        self._move_lots(entry, uses)

    @api.model
    def _restore(self, entry, moves):
        """Give points back to the lots they were taken from (reversal of a spend)."""
        self._move_lots(entry, [(move.lot_id.id, -move.points) for move in moves])

    @api.model
    def _move_lots(self, entry, uses):
        """``uses``: ``(lot id, points)`` taken from each lot (negative: given back), recorded as its uses.

        One statement for the lots and their uses, on every spend: the ORM
        would write the lots, then insert the uses. The lot's CHECK refuses a
        lot taken below zero or given back above what it got.
        """
        if not uses:
            return
        Lot = self.env["alliance.points.lot"].sudo()
        Lot.flush_model(["remaining"])
        self.env.execute_query(
            SQL(
                """WITH share AS (SELECT * FROM unnest(%(lots)s::int[], %(points)s::int[]) WITH ORDINALITY
                                           AS s(lot_id, points, n)),
                        used AS (UPDATE alliance_points_lot lot SET remaining = lot.remaining - share.points
                                   FROM share WHERE lot.id = share.lot_id
                                 RETURNING lot.id, lot.merchant_id, share.points, share.n)
                   INSERT INTO alliance_points_lot_move
                               (entry_id, lot_id, points, company_id, merchant_id, issuer_merchant_id)
                   SELECT %(entry)s, used.id, used.points, %(company)s, %(merchant)s, used.merchant_id
                     FROM used ORDER BY used.n""",
                lots=[lot_id for lot_id, _points in uses],
                points=[points for _lot_id, points in uses],
                entry=entry.id,
                company=entry.company_id.id,
                merchant=entry.merchant_id.id or None,
            )
        )
        Lot.browse([lot_id for lot_id, _points in uses]).invalidate_recordset(["remaining", "move_ids"])
        entry.invalidate_recordset(["lot_move_ids"])
