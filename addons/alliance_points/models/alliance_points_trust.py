"""What the points service (``alliance.points.service``) trusts: the member and the server, never the counter.

- Every spend needs the member's proof of presence (``_check_presence``):
  the dynamic payment code on the member's phone, the card's PIN, a one-time
  SMS code, or — below the operator's daily threshold — the physical card's
  own number as read from the card (never a card found by phone).
- Purchases reported through the API are limited per merchant (amount per
  purchase, points per card per day) and their points are pending for the
  operator's delay; a postpaid merchant has a credit limit on the points it
  issued and has not settled.
- A merchant reverses only its own movements, only while active and within
  the operator's window.
"""

import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

PROOF_KINDS = ("code", "pin", "sms", "card")


class AlliancePointsTrust(models.AbstractModel):
    """The checks the points service makes before a point moves (plain code, ``_check_*``/``_get_*`` hooks)."""

    _name = "alliance.points.trust"
    _description = "Alliance Points Trust Checks"

    # -- proof of presence ---------------------------------------------------------

    @api.model
    def _parse_proof(self, proof):
        """``(kind, value)`` of a proof sent by a counter, or ``(False, False)``.

        A proof is ``{"code": ...}``, ``{"pin": ...}``, ``{"sms": ...}`` or
        ``{"card": ...}``; a bare string is a scanned payment code.
        """
        if proof in (None, False, "", {}):
            return False, False
        if isinstance(proof, str):
            proof = {"code": proof}
        if not isinstance(proof, dict) or len(proof) != 1:
            raise UserError(self.env._('A proof is one of {"code": ...}, {"pin": ...}, {"sms": ...} or {"card": ...}.'))
        [(kind, value)] = proof.items()
        if kind not in PROOF_KINDS:
            raise UserError(self.env._("Unknown kind of proof %s: use code, pin, sms or card.", kind))
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip().isdigit() or len(value.strip()) > 32:
            raise UserError(self.env._("The %s given as proof must be digits.", kind))
        return kind, value.strip()

    @api.model
    def _check_presence(self, card, merchant, points, proof, found_by="card"):
        """Refuse a spend unless the member proved they are at the counter.

        A failed PIN, payment code or SMS code is counted in a transaction of
        its own (``alliance.card.auth``), so that the error which rolls this
        one back does not roll the count back too.
        """
        kind, value = self._parse_proof(proof)
        if not kind:
            raise UserError(
                self.env._(
                    "Spending points needs the member: scan their payment code, or let them type their PIN "
                    "or the code sent to their phone."
                )
            )
        auth = self.env["alliance.card.auth"]._get_for(card)
        if kind == "code":
            auth._check_payment_code(value)
        elif kind == "pin":
            auth._check_pin(value)
        elif kind == "sms":
            auth._check_sms_code(value, merchant)
        else:
            self._check_card_only(card, auth, points, value, found_by)

    @api.model
    def _check_card_only(self, card, auth, points, number, found_by):
        """A scanned physical card pays small amounts alone, up to a daily threshold per card."""
        limit = self.env["alliance.points.engine"]._param_int("card_only_points", 0)
        if found_by != "card" or number != card.code:
            raise UserError(
                self.env._("Only the card itself, scanned at the counter, pays without a code; ask for their code.")
            )
        if limit <= 0:
            raise UserError(
                self.env._("The card alone pays nothing here: ask for their payment code, PIN or an SMS code.")
            )
        auth._check_not_locked()
        used = auth._card_only_used_today()
        if used + points > limit:
            raise UserError(
                self.env._(
                    "Without a code a card pays at most %(limit)s points a day (%(used)s used today): "
                    "ask for their payment code, PIN or an SMS code.",
                    limit=limit,
                    used=used,
                )
            )
        auth._use_card_only(points)

    # -- points only for real sales ------------------------------------------------

    @api.model
    def _check_amount(self, amount):
        """A purchase amount a client sent: a finite number, zero or more, of sane size."""
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise UserError(self.env._("The amount paid must be a number, zero or more."))
        if not math.isfinite(amount) or amount < 0:
            raise UserError(self.env._("The amount paid must be a finite number, zero or more."))
        if amount > 10**9:
            raise UserError(self.env._("The amount paid %s is beyond any purchase.", amount))

    @api.model
    def _check_lines(self, lines):
        """Purchase lines a client sent: ``[{"product": id, "category": id, "amount": number}]`` or nothing."""
        if lines in (None, False):
            return
        if not isinstance(lines, list) or len(lines) > 1000:
            raise UserError(self.env._("Lines are a list (at most 1,000) of {product, category, amount}."))
        for line in lines:
            if not isinstance(line, dict) or set(line) - {"product", "category", "amount"}:
                raise UserError(self.env._("A line is {product, category, amount}; got %r.", line))
            for key in ("product", "category"):
                value = line.get(key)
                if value not in (None, False) and (isinstance(value, bool) or not isinstance(value, int)):
                    raise UserError(self.env._("A line's %s is an id.", key))
            self._check_amount(line.get("amount", 0.0))

    @api.model
    def _check_api_earn_limits(self, card, merchant, amount, points):
        """The merchant's limits on purchases reported through the API."""
        max_amount = merchant._alliance_api_max_amount()
        currency = merchant.currency_id
        if max_amount and currency.compare_amounts(amount, max_amount) > 0:
            raise UserError(
                self.env._(
                    "%(merchant)s reports purchases of at most %(max)s through the API; %(amount)s needs the POS "
                    "or the operator.",
                    merchant=merchant.name,
                    max=max_amount,
                    amount=amount,
                )
            )
        max_points = merchant._alliance_api_max_points_day()
        if max_points and points > 0:
            self.env["alliance.points.entry"].flush_model()
            [(today,)] = self.env.execute_query(
                SQL(
                    """SELECT COALESCE(SUM(points), 0) FROM alliance_points_entry
                        WHERE card_id = %s AND date >= %s AND company_id = %s
                          AND entry_type = 'earn' AND pos_order_id IS NULL""",
                    card.id,
                    fields.Datetime.now() - timedelta(days=1),
                    merchant.company_id.id,
                )
            )
            if today + points > max_points:
                raise UserError(
                    self.env._(
                        "%(merchant)s gives a card at most %(max)s points a day through the API "
                        "(%(today)s in the last 24 hours): %(points)s more are refused.",
                        merchant=merchant.name,
                        max=max_points,
                        today=today,
                        points=points,
                    )
                )

    @api.model
    def _get_pending_until(self, date=None):
        """Until when points earned through the API cannot be spent (False: at once).

        Counted from the purchase: an API client sends no date (its purchases
        are now); only the server's own callers date one in the past.
        """
        hours = self.env["alliance.points.engine"]._param_int("api_pending_hours", 24)
        if hours <= 0:
            return False
        return (date or fields.Datetime.now()) + timedelta(hours=hours)

    @api.model
    def _pending_points(self, card):
        """Points on the card that cannot be spent yet (earned through the API, still pending)."""
        self.env["alliance.points.lot"].flush_model(["remaining", "pending_until", "card_id"])
        [(pending,)] = self.env.execute_query(
            SQL(
                """SELECT COALESCE(SUM(remaining), 0) FROM alliance_points_lot
                    WHERE card_id = %s AND remaining > 0 AND pending_until > %s""",
                card.id,
                fields.Datetime.now(),
            )
        )
        return pending

    # -- no claw-back ------------------------------------------------------------------

    @api.model
    def _check_merchant_may_reverse(self, original, merchant):
        """A merchant undoes only its own earn or redeem, while active, within the window."""
        if original.company_id != merchant.company_id or original.entry_type not in ("earn", "redeem"):
            raise AccessError(self.env._("A merchant reverses only its own earns and redemptions."))
        merchant._check_can_move_points()
        days = self.env["alliance.points.engine"]._param_int("reverse_days", 7)
        if original.date < fields.Datetime.now() - timedelta(days=days):
            raise UserError(
                self.env._(
                    "%(ref)s is older than %(days)s days: only the operator can reverse it now.",
                    ref=original.reference,
                    days=days,
                )
            )
