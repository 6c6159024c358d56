"""The one path every movement of points takes: POS, API, wizards, gifts.

Callers lock the card first (``_lock_card``); ``_post`` then writes the
entry, changes the stored balance in the same transaction and keeps the
lots. Balances never go negative: the database refuses it as a last guard.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class AlliancePointsService(models.AbstractModel):
    _name = "alliance.points.service"
    _description = "Alliance Points Service"

    @api.model
    def _lock_card(self, card):
        """Row lock on the card until the transaction ends; waits for other holders.

        Odoo transactions are REPEATABLE READ: when another transaction moved
        points on the card since ours began, PostgreSQL refuses the lock with
        a serialization failure and Odoo replays the whole call (``retrying``),
        which then sees the new balance. The failure is expected, not logged.
        """
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT id FROM alliance_card WHERE id = %s FOR UPDATE", card.id), log_exceptions=False)
        card.invalidate_recordset(["balance", "debt_points"])

    @api.model
    def _expiry_date(self, when):
        engine = self.env["alliance.points.engine"]
        policy = engine._param("expiry_policy", "months")
        day = fields.Datetime.to_datetime(when).date()
        if policy == "never":
            return False
        if policy == "year_end":
            # 年底清零: points earned in a year expire at the end of the next one.
            return day.replace(year=day.year + 1, month=12, day=31)
        return day + relativedelta(months=engine._param_int("expiry_months", 24))

    @api.model
    def _post(self, card, entry_type, points, merchant=None, reference=None, **kw):
        """Write one entry and its effect on the card. The caller holds the card's lock."""
        if not isinstance(points, int):
            raise UserError(self.env._("Points are whole numbers."))
        date = kw.get("date") or fields.Datetime.now()
        if merchant:
            company, currency = merchant.company_id, merchant.currency_id
        else:
            company = self.env["alliance.merchant"]._get_operator_company()
            currency = company.currency_id
        if points < 0 and card.balance + points < 0:
            raise UserError(
                self.env._(
                    "Card %(card)s has %(balance)s points: %(points)s cannot be taken.",
                    card=card.code,
                    balance=card.balance,
                    points=-points,
                )
            )
        [(balance,)] = self.env.execute_query(
            SQL(
                "UPDATE alliance_card SET balance = COALESCE(balance, 0) + %s,"
                " debt_points = COALESCE(debt_points, 0) + %s WHERE id = %s RETURNING balance",
                points,
                kw.get("debt_delta", 0),
                card.id,
            )
        )
        card.invalidate_recordset(["balance", "debt_points"])
        # Entries are written by the service for every role; access was checked by the caller.
        entry = (
            self.env["alliance.points.entry"]
            .sudo()
            .create(
                {
                    "card_id": card.id,
                    "partner_id": card.partner_id.id,
                    "merchant_id": merchant.id if merchant else False,
                    "company_id": company.id,
                    "entry_type": entry_type,
                    "points": points,
                    "debt_delta": kw.get("debt_delta", 0),
                    "balance_after": balance,
                    "amount": kw.get("amount", 0.0),
                    "currency_id": currency.id,
                    "reference": reference,
                    "date": date,
                    "pos_order_id": kw["pos_order"].id if kw.get("pos_order") else False,
                    "origin": kw.get("origin"),
                    "reversed_entry_id": kw["reversed_entry"].id if kw.get("reversed_entry") else False,
                    "parent_entry_id": kw["parent_entry"].id if kw.get("parent_entry") else False,
                    "note": kw.get("note"),
                    "explain": kw.get("explain"),
                }
            )
        )
        if points < 0:
            self._consume(entry, -points, prefer=kw.get("prefer_lots"))
        elif points > 0 and kw.get("create_lot", True):
            if kw.get("restore_moves"):
                self._restore(entry, kw["restore_moves"])
            else:
                self._create_lot(entry, points, kw.get("expiry_date", self._expiry_date(date)), merchant)
        return entry

    @api.model
    def _create_lot(self, entry, points, expiry_date, merchant):
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
                }
            )
        )

    @api.model
    def _open_lots(self, card, prefer=None):
        """Lots with points left, the preferred ones first, then oldest-expiring first."""
        Lot = self.env["alliance.points.lot"].sudo()
        Lot.flush_model(["remaining", "expiry_date", "card_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM alliance_points_lot
                    WHERE card_id = %s AND remaining > 0
                 ORDER BY id = ANY(%s) DESC, expiry_date ASC NULLS LAST, id ASC""",
                card.id,
                list(prefer.ids) if prefer else [],
            )
        )
        return Lot.browse([r[0] for r in rows])

    @api.model
    def _consume(self, entry, points, prefer=None):
        Move = self.env["alliance.points.lot.move"].sudo()
        left = points
        for lot in self._open_lots(entry.card_id, prefer):
            take = min(lot.remaining, left)
            lot.remaining -= take
            Move.create(self._lot_move_vals(entry, lot, take))
            left -= take
            if not left:
                break
        if left:
            # Lots and balance disagree: refuse rather than lose track of points.
            raise UserError(self.env._("The lots of card %s do not cover its balance.", entry.card_id.code))

    @api.model
    def _restore(self, entry, moves):
        """Give points back to the lots they were taken from (reversal of a spend)."""
        Move = self.env["alliance.points.lot.move"].sudo()
        for move in moves:
            move.lot_id.remaining += move.points
            Move.create(self._lot_move_vals(entry, move.lot_id, -move.points))

    @api.model
    def _lot_move_vals(self, entry, lot, points):
        return {
            "entry_id": entry.id,
            "lot_id": lot.id,
            "points": points,
            "company_id": entry.company_id.id,
            "merchant_id": entry.merchant_id.id,
            "issuer_merchant_id": lot.merchant_id.id,
        }
