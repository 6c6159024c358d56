"""A code texted to a phone that is no member's yet: a friend an invite brings proves the phone is theirs."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .alliance_card_auth import SMS_TRIES, SMS_VALID_MINUTES, check_send_pace

# Phones one address may have codes texted to in an hour: texts cost the operator money.
PHONES_PER_ADDRESS_HOUR = 10
TICKET_SECONDS = 60


class AlliancePhoneCode(models.Model):
    _name = "alliance.phone.code"
    _description = "Phone Verification Code"
    _rec_name = "phone"

    phone = fields.Char(required=True, readonly=True, help="E.164, as members' phones are kept.")
    purpose = fields.Selection([("join", "Join the alliance")], required=True, readonly=True)
    code_hash = fields.Char(readonly=True, copy=False)
    expires = fields.Datetime(readonly=True)
    tries = fields.Integer(readonly=True)
    sent_at = fields.Datetime(readonly=True)
    hour_start = fields.Datetime(readonly=True)
    hour_count = fields.Integer(readonly=True)
    address = fields.Char(readonly=True, help="Where the last code was asked from.")
    ticket_hash = fields.Char(readonly=True, copy=False)
    ticket_expires = fields.Datetime(readonly=True)

    _phone_purpose_uniq = models.UniqueIndex("(phone, purpose)", "One pending code per phone and purpose.")
    _address_sent_idx = models.Index("(address, sent_at)")

    @api.model
    def _keyed(self, value):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()

    @api.model
    def _get_locked(self, phone, purpose):
        """The phone's row, created if new, locked until the transaction ends (two requests queue here)."""
        self.env.cr.execute(
            SQL(
                """INSERT INTO alliance_phone_code (phone, purpose, tries, hour_count, create_date, write_date)
                   VALUES (%(phone)s, %(purpose)s, 0, 0, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
                   ON CONFLICT (phone, purpose) DO UPDATE SET phone = EXCLUDED.phone
                   RETURNING id""",
                phone=phone,
                purpose=purpose,
            )
        )
        return self.browse(self.env.cr.fetchone()[0])

    @api.model
    def _send(self, phone, purpose, address, purpose_label):
        """Text a 6-digit code to ``phone`` (E.164) through Odoo's SMS queue; ``purpose_label`` says what for.

        One a minute and five an hour per phone, ten phones an hour per address.
        """
        now = fields.Datetime.now()
        row = self._get_locked(phone, purpose)
        hour_start, count = check_send_pace(
            self.env,
            row.sent_at,
            row.hour_start,
            row.hour_count,
            now,
            self.env._("Too many codes were sent to this phone in the last hour: try again later."),
        )
        if address:
            recent = self.search_count(
                [("address", "=", address), ("sent_at", ">", now - timedelta(hours=1)), ("id", "!=", row.id)]
            )
            if recent >= PHONES_PER_ADDRESS_HOUR:
                raise UserError(
                    self.env._("Too many codes were asked for from here in the last hour: try again later.")
                )
        code = f"{secrets.randbelow(10**6):06d}"
        row.write(
            {
                "code_hash": self._keyed(f"{row.id}:{code}"),
                "expires": now + timedelta(minutes=SMS_VALID_MINUTES),
                "tries": 0,
                "sent_at": now,
                "hour_start": hour_start,
                "hour_count": count + 1,
                "address": address or False,
                "ticket_hash": False,
            }
        )
        # Odoo's SMS queue, which only the system reads, carries the code.
        self.env["alliance.sms.service"]._queue(
            "auth_code",
            self.env["res.partner"],
            {"code": code, "minutes": SMS_VALID_MINUTES, "purpose": purpose_label},
            number=phone,
        )
        return row.expires

    @api.model
    def _check(self, phone, purpose, code):
        """Accept the phone's pending code once; three wrong tries kill it. Returns the row."""
        row = self.search([("phone", "=", phone), ("purpose", "=", purpose)], limit=1)
        if not row.code_hash or not row.expires or row.expires < fields.Datetime.now():
            raise UserError(self.env._("No valid code for this phone: send a new one."))
        if not isinstance(code, str) or not hmac.compare_digest(self._keyed(f"{row.id}:{code}"), row.code_hash):
            # Counted in a transaction of its own: a failed request rolls back, the count must stay.
            with self.env.registry.cursor() as cr:
                cr.execute(
                    SQL(
                        """UPDATE alliance_phone_code SET tries = tries + 1,
                                  code_hash = CASE WHEN tries + 1 >= %s THEN NULL ELSE code_hash END
                            WHERE id = %s RETURNING tries""",
                        SMS_TRIES,
                        row.id,
                    )
                )
                tries = cr.fetchone()[0]
            row.invalidate_recordset()
            if tries >= SMS_TRIES:
                raise UserError(self.env._("Wrong code, three times: send a new one."))
            raise UserError(self.env._("Wrong code. %s tries left.", SMS_TRIES - tries))
        row.write({"code_hash": False, "expires": False, "tries": 0})
        return row

    def _issue_ticket(self):
        """A one-time sign-in ticket for the phone just proven, held by the server for a minute.

        It never leaves the request: the sign-in that follows hands it to ``res.users``.
        """
        self.ensure_one()
        ticket = secrets.token_urlsafe(32)
        self.write(
            {
                "ticket_hash": self._keyed(f"ticket:{self.id}:{ticket}"),
                "ticket_expires": fields.Datetime.now() + timedelta(seconds=TICKET_SECONDS),
            }
        )
        return ticket

    @api.model
    def _use_ticket(self, phone, purpose, ticket):
        """True once for the ticket issued to ``phone``; the ticket is spent."""
        row = self.search([("phone", "=", phone), ("purpose", "=", purpose)], limit=1)
        if not (row.ticket_hash and row.ticket_expires and row.ticket_expires > fields.Datetime.now()):
            return False
        if not isinstance(ticket, str) or not hmac.compare_digest(
            self._keyed(f"ticket:{row.id}:{ticket}"), row.ticket_hash
        ):
            return False
        row.write({"ticket_hash": False, "ticket_expires": False})
        return True
