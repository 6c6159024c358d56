"""A card's secrets: what proves the member is at the counter.

One row per card, readable by nobody (no access right grants anything): the
points service and the member's portal reach it through ``sudo``. It holds
the key of the member's dynamic payment code (动态付款码), the PIN's hash
(Odoo's password hashing), the pending SMS code's keyed hash, and the
counters that lock guessing out.

A failed try is counted in a transaction of its own: the error that tells
the counter "wrong PIN" rolls the caller's transaction back, and the count
must survive it.
"""

import hashlib
import hmac
import secrets
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, Query

# The payment code: prefix, the 10-digit card number, the time step's last two digits, the code's
# sequence number within its step, and a 6-digit one-time value: 21 digits.
CODE_PREFIX = "68"
CODE_LENGTH = 21
# Time steps of STEP seconds; a code is accepted for the operator's validity (60 s by default).
STEP = 10
# Up to 10 codes a step (a member paying twice in a row gets a new code at once).
SEQ_PER_STEP = 10
MAX_FAILURES = 5
SMS_TRIES = 3
SMS_VALID_MINUTES = 5
SMS_RESEND_SECONDS = 60
SMS_PER_HOUR = 5
TRIVIAL_PINS = {"012345", "123456", "234567", "345678", "456789", "987654", "876543", "654321", "543210"}


def check_send_pace(env, sent_at, hour_start, count, now, too_many):
    """Texted codes go one a minute and ``SMS_PER_HOUR`` an hour; returns the hour's (start, count) so far.

    ``too_many``: the refusal's words when the hour is full (a member's, a phone's).
    """
    if sent_at and sent_at > now - timedelta(seconds=SMS_RESEND_SECONDS):
        raise UserError(env._("A code was sent less than a minute ago: wait before asking again."))
    if not hour_start or hour_start < now - timedelta(hours=1):
        hour_start, count = now, 0
    if count >= SMS_PER_HOUR:
        raise UserError(too_many)
    return hour_start, count


def payment_code_otp(secret, card_code, step, seq):
    """The one-time part of a payment code: HMAC-SHA256, dynamically truncated (RFC 4226) to 6 digits."""
    mac = hmac.new(secret.encode(), f"{card_code}:{step}:{seq}".encode(), hashlib.sha256).digest()
    offset = mac[-1] & 0x0F
    value = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 10**6:06d}"


def card_code_of_payment_code(value):
    """The card number a payment code is for, or None when it is not a payment code."""
    if isinstance(value, str) and len(value) == CODE_LENGTH and value.isdigit() and value.startswith(CODE_PREFIX):
        return value[len(CODE_PREFIX) : len(CODE_PREFIX) + 10]
    return None


class AllianceCardAuth(models.Model):
    _name = "alliance.card.auth"
    _description = "Alliance Card Secrets"
    _log_access = False

    card_id = fields.Many2one("alliance.card", required=True, ondelete="cascade", index=True, readonly=True)
    secret = fields.Char(required=True, readonly=True, copy=False)
    pin_hash = fields.Char(readonly=True, copy=False)
    pin_set_at = fields.Datetime(readonly=True)
    failures = fields.Integer(readonly=True, help="Wrong PINs and payment codes in a row.")
    locked_until = fields.Datetime(readonly=True)
    code_used = fields.Integer(
        readonly=True, help="Step × 10 + sequence of the last payment code used: that one and older ones are dead."
    )
    code_issued = fields.Integer(readonly=True, help="Step × 10 + sequence of the last payment code shown.")
    sms_hash = fields.Char(readonly=True, copy=False)
    sms_merchant_id = fields.Many2one("alliance.merchant", readonly=True, ondelete="set null")
    # What the pending code is for: a code sent to set the PIN or to sign in never pays, nor the other way.
    sms_purpose = fields.Selection(
        [("spend", "Spend points"), ("pin", "Set the PIN"), ("login", "Sign in")], readonly=True
    )
    sms_expires = fields.Datetime(readonly=True)
    sms_tries = fields.Integer(readonly=True)
    sms_sent_at = fields.Datetime(readonly=True)
    sms_hour_start = fields.Datetime(readonly=True)
    sms_hour_count = fields.Integer(readonly=True)
    card_only_day = fields.Date(readonly=True)
    card_only_points = fields.Integer(readonly=True)

    _card_uniq = models.Constraint("UNIQUE(card_id)", "A card has one set of secrets.")

    # -- the row -----------------------------------------------------------------------

    @api.model
    def _get_for(self, card, create=True):
        """The card's secrets (created with a fresh key the first time)."""
        # On every spend: the probe of the unique card index fetches the row too (one query).
        Auth = self.sudo()
        query = Query(self.env, self._table)
        query.add_where(SQL("%s = %s", SQL.identifier(self._table, "card_id"), card.id))
        auth = Auth._fetch_query(query, [self._fields[name] for name in self._get_fetched_fields()])
        if not auth and create:
            auth = self.sudo().create({"card_id": card.id, "secret": secrets.token_hex(32)})
        return auth

    @api.model
    def _get_fetched_fields(self):
        return [name for name, field in self._fields.items() if field.store and name != "id"]

    def _keyed(self, value):
        return hmac.new(self.secret.encode(), value.encode(), hashlib.sha256).hexdigest()

    def _count_failure(self, column, limit=None):
        """Add one to a failure counter in a transaction of its own; returns the new count.

        With ``limit``, reaching it locks the card's PIN for the operator's lock time.
        """
        self.ensure_one()
        minutes = self.env["alliance.points.engine"]._param_int("pin_lock_minutes", 30)
        column = SQL.identifier(column)
        with self.env.registry.cursor() as cr:
            cr.execute(
                SQL(
                    """UPDATE alliance_card_auth SET %(col)s = COALESCE(%(col)s, 0) + 1,
                              locked_until = CASE WHEN %(limit)s IS NOT NULL AND COALESCE(%(col)s, 0) + 1 >= %(limit)s
                                                  THEN (now() AT TIME ZONE 'UTC') + make_interval(mins => %(minutes)s)
                                                  ELSE locked_until END
                        WHERE id = %(id)s RETURNING %(col)s""",
                    col=column,
                    limit=limit,
                    minutes=minutes,
                    id=self.id,
                )
            )
            row = cr.fetchone()
        # What this transaction read of the row is stale now.
        self.invalidate_recordset()
        return row[0] if row else 0

    def _check_not_locked(self):
        self.ensure_one()
        if self.locked_until and self.locked_until > fields.Datetime.now():
            raise UserError(
                self.env._(
                    "Too many wrong PINs or codes: card %(card)s cannot pay with its PIN until %(when)s UTC. "
                    "The member can pay with their payment code or an SMS code, or reset the PIN with an SMS code.",
                    card=self.card_id.code,
                    when=fields.Datetime.to_string(self.locked_until)[:16],
                )
            )

    def _fail(self, message):
        """Count a wrong PIN or payment code (locking at the fifth), then refuse."""
        failures = self._count_failure("failures", MAX_FAILURES)
        left = max(MAX_FAILURES - failures, 0)
        if not left:
            message = self.env._("%s The card's PIN is now locked.", message)
        else:
            message = self.env._("%(message)s %(left)s tries left.", message=message, left=left)
        raise UserError(message)

    def _succeeded(self, code_used=None):
        """A right PIN or code: the failures are forgotten; a payment code is used up."""
        if not (self.failures or self.locked_until or code_used):
            return
        # One UPDATE on every spend by code, not the ORM's write and flush.
        self.flush_recordset()
        self.env.execute_query(
            SQL(
                """UPDATE alliance_card_auth SET failures = 0, locked_until = NULL,
                          code_used = GREATEST(COALESCE(code_used, 0), %s) WHERE id = %s""",
                code_used or 0,
                self.id,
            )
        )
        self.invalidate_recordset(["failures", "locked_until", "code_used"])

    # -- the dynamic payment code ------------------------------------------------------

    @api.model
    def _current_step(self):
        return int(time.time()) // STEP

    def _issue_payment_code(self):
        """A new code for the member's phone: a fresh one each time it is asked for."""
        self.ensure_one()
        step = self._current_step()
        last = self.code_issued or 0
        seq = last % SEQ_PER_STEP + 1 if last // SEQ_PER_STEP == step else 0
        if seq >= SEQ_PER_STEP:
            raise UserError(self.env._("Too many payment codes at once: wait a few seconds."))
        # The secrets row is nobody's to write but the server's.
        self.sudo().write({"code_issued": step * SEQ_PER_STEP + seq})
        otp = payment_code_otp(self.secret, self.card_id.code, step, seq)
        return f"{CODE_PREFIX}{self.card_id.code}{step % 100:02d}{seq}{otp}"

    def _check_payment_code(self, value):
        """Accept a code of this card made in the validity window and never used; single use."""
        self.ensure_one()
        card_code = card_code_of_payment_code(value)
        if card_code is None:
            raise UserError(self.env._("%s is not a payment code: scan the code on the member's phone.", value))
        if card_code != self.card_id.code:
            raise UserError(self.env._("This payment code belongs to another card."))
        tail = value[len(CODE_PREFIX) + 10 :]
        low, seq, otp = int(tail[:2]), int(tail[2]), tail[3:]
        now = self._current_step()
        # The step whose last two digits the code carries, at most 100 steps back (or one ahead: clocks).
        step = now + 1 - ((now + 1 - low) % 100)
        if not hmac.compare_digest(payment_code_otp(self.secret, card_code, step, seq), otp):
            self._fail(self.env._("This payment code is not valid."))
        if step * SEQ_PER_STEP + seq <= (self.code_used or 0):
            raise UserError(self.env._("This payment code was already used: ask the member to refresh it."))
        valid = max(self.env["alliance.points.engine"]._param_int("paycode_valid_seconds", 60) // STEP, 1)
        if step < now - valid:
            raise UserError(self.env._("This payment code has expired: ask the member to refresh it."))
        self._succeeded(code_used=step * SEQ_PER_STEP + seq)

    # -- the PIN ---------------------------------------------------------------------

    @api.model
    def _check_pin_format(self, pin):
        if not isinstance(pin, str) or len(pin) != 6 or not pin.isdigit():
            raise UserError(self.env._("A PIN is 6 digits."))
        if len(set(pin)) == 1 or pin in TRIVIAL_PINS:
            raise UserError(self.env._("This PIN is too easy to guess: choose another 6 digits."))

    def _set_pin(self, pin):
        self.ensure_one()
        self._check_pin_format(pin)
        self.sudo().write(
            {
                "pin_hash": self.env["res.users"]._crypt_context().hash(pin),
                "pin_set_at": fields.Datetime.now(),
                "failures": 0,
                "locked_until": False,
            }
        )

    def _check_pin(self, pin):
        self.ensure_one()
        if not self.pin_hash:
            raise UserError(
                self.env._("Card %s has no PIN: ask for the member's payment code or an SMS code.", self.card_id.code)
            )
        self._check_not_locked()
        if not isinstance(pin, str) or not self.env["res.users"]._crypt_context().verify(pin, self.pin_hash):
            self._fail(self.env._("Wrong PIN."))
        self._succeeded()

    # -- the one-time SMS code ---------------------------------------------------------

    def _send_sms_code(self, merchant=None, points=None, purpose="pin"):
        """Queue a 6-digit code to the member's phone (Odoo's SMS queue); returns when it expires.

        With ``merchant`` the code authorises a spend there; otherwise ``purpose``
        says what it is for ("pin": set the PIN, "login": sign in on the portal).
        """
        purpose = "spend" if merchant else purpose
        self.ensure_one()
        now = fields.Datetime.now()
        partner = self.card_id.partner_id
        phone = partner.phone
        if not phone:
            raise UserError(self.env._("Card %s has no phone number to send a code to.", self.card_id.code))
        hour_start, count = check_send_pace(
            self.env,
            self.sms_sent_at,
            self.sms_hour_start,
            self.sms_hour_count,
            now,
            self.env._("Too many codes were sent to this member in the last hour: try again later."),
        )
        code = f"{secrets.randbelow(10**6):06d}"
        expires = now + timedelta(minutes=SMS_VALID_MINUTES)
        self.sudo().write(
            {
                "sms_hash": self._keyed(code),
                "sms_merchant_id": merchant.id if merchant else False,
                "sms_purpose": purpose,
                "sms_expires": expires,
                "sms_tries": 0,
                "sms_sent_at": now,
                "sms_hour_start": hour_start,
                "sms_hour_count": count + 1,
            }
        )
        params = {"code": code, "minutes": SMS_VALID_MINUTES}
        if merchant:
            key = "auth_pay"
            params.update(merchant=merchant.name, points=points or "")
        else:
            key = "auth_code"
            # The gateway's templates are Chinese: so are the words put into them.
            zh = self.with_context(lang=self.env["alliance.sms.service"]._template_lang())
            params["purpose"] = zh._get_sms_purpose(purpose)
        self.env["alliance.sms.service"]._queue(key, partner, params, number=phone, reason=None)
        return expires

    def _get_sms_purpose(self, purpose):
        """Hook: what a code is for, as its text says (“您<purpose>的验证码”)."""
        if purpose == "login":
            return self.env._("sign in to the alliance")
        return self.env._("set your card's PIN")

    def _check_sms_code(self, code, merchant=None, purpose="pin"):
        """Accept the pending SMS code once, for the merchant (or the purpose) it was sent for."""
        self.ensure_one()
        if not self.sms_hash or not self.sms_expires or self.sms_expires < fields.Datetime.now():
            raise UserError(self.env._("No valid SMS code for this card: send a new one."))
        expected = "spend" if merchant else purpose
        # Codes sent before purposes were kept: a merchant's was a spend's, any other the PIN's.
        sent_for = self.sms_purpose or ("spend" if self.sms_merchant_id else "pin")
        if sent_for != expected or (self.sms_merchant_id or False) != (merchant or False):
            raise UserError(self.env._("This SMS code was sent for another purpose: send a new one."))
        if not isinstance(code, str) or not hmac.compare_digest(self._keyed(code), self.sms_hash):
            tries = self._count_failure("sms_tries")
            if tries >= SMS_TRIES:
                with self.env.registry.cursor() as cr:
                    cr.execute(SQL("UPDATE alliance_card_auth SET sms_hash = NULL WHERE id = %s", self.id))
                self.invalidate_recordset()
                raise UserError(self.env._("Wrong SMS code, three times: send a new one."))
            raise UserError(self.env._("Wrong SMS code. %s tries left.", SMS_TRIES - tries))
        self.sudo().write({"sms_hash": False, "sms_expires": False, "sms_tries": 0})

    # -- a physical card alone ---------------------------------------------------------

    def _card_only_used_today(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        return self.card_only_points if self.card_only_day == today else 0

    def _use_card_only(self, points):
        self.ensure_one()
        self.sudo().write(
            {
                "card_only_day": fields.Date.context_today(self),
                "card_only_points": self._card_only_used_today() + points,
            }
        )
