"""What the alliance texts, to whom and when: consent, quiet hours, a merchant's SMS quota, reminders.

Plain code with hooks. Messages are queued (``sms.sms``) in the transaction that causes them, so
a rolled-back sale texts nothing; Odoo's SMS queue sends them (``sms_sms.py``).
"""

import json
import logging
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The first key of the advisory lock that serializes the takers of one merchant's SMS quota.
ADVISORY_SMS_QUOTA = 0x534D53


class AllianceSmsService(models.AbstractModel):
    _name = "alliance.sms.service"
    _description = "Alliance SMS Service"

    # -- queueing -----------------------------------------------------------------------

    @api.model
    def _queue(self, key, partner, params, merchant=None, reason=None, number=None):
        """Queue the template ``key`` for ``partner`` with ``params``; returns the ``sms.sms`` (or nothing).

        ``merchant``: whose SMS quota an optional message takes (none: the operator's). ``reason``:
        the idempotency key (a second call queues nothing). Nothing is queued without a number, or
        without the member's consent for what the template is.
        """
        SMS = self.env["sms.sms"].sudo()
        template = self.env["alliance.sms.template"]._get(key)
        number = number or (partner.phone if partner else False)
        if not template or not number or not self._has_consent(template, partner):
            return SMS
        if reason:
            done = SMS.search([("alliance_key", "=", reason)], limit=1)
            if done:
                return done
        params = {k: v if isinstance(v, str) else str(v) for k, v in params.items()}
        now = fields.Datetime.now()
        after = self._next_slot(template.kind, now)
        # The server's own record, in Odoo's SMS queue, which only the system reads.
        return SMS.create(
            {
                "number": number,
                "partner_id": partner.id if partner else False,
                "body": template._render(params),
                "alliance_text": template._render(params, masked=True),
                "alliance_template_id": template.id,
                "alliance_params": self._dump_params(params),
                "alliance_merchant_id": merchant.id if merchant and template.kind != "code" else False,
                "alliance_key": reason or False,
                "state": "alliance_wait" if after > now else "outgoing",
                "alliance_send_after": after if after > now else False,
            }
        )

    @api.model
    def _template_lang(self):
        """The language put into the gateway's (Chinese) templates: zh_CN, where the database has it."""
        return self.env["res.lang"]._get_code("zh_CN") or self.env.lang

    @api.model
    def _dump_params(self, params):
        return json.dumps(params, ensure_ascii=False, sort_keys=True)

    @api.model
    def _has_consent(self, template, partner):
        """Hook: codes go to whoever asked for one; notifications need consent to SMS, marketing to marketing."""
        if template.kind == "code":
            return True
        if not partner:
            return False
        if template.kind == "marketing":
            return partner.alliance_consent_sms and partner.alliance_consent_marketing
        return partner.alliance_consent_sms

    @api.model
    def _get_quiet_hours(self):
        Engine = self.env["alliance.points.engine"]
        return Engine._param_int("sms_quiet_start", 21), Engine._param_int("sms_quiet_end", 8)

    @api.model
    def _next_slot(self, kind, when):
        """When a message of ``kind`` may go, at ``when`` or later: codes at once; others not in the quiet hours."""
        if kind == "code":
            return when
        start, end = self._get_quiet_hours()
        if start == end:
            return when
        tz = pytz.timezone(self.env["alliance.points.engine"]._get_tz())
        local = pytz.utc.localize(when).astimezone(tz)
        quiet = local.hour >= start or local.hour < end if start > end else start <= local.hour < end
        if not quiet:
            return when
        day = local.date() + timedelta(days=1) if start > end and local.hour >= start else local.date()
        return tz.localize(datetime.combine(day, time(end))).astimezone(pytz.utc).replace(tzinfo=None)

    # -- the merchant's quota -----------------------------------------------------------

    @api.model
    def _quota_left(self, merchant_ids):
        """{merchant id: SMS left}: the packs bought minus the messages that took one, in two aggregates."""
        if not merchant_ids:
            return {}
        self.env.flush_all()
        bought = dict(
            self.env.execute_query(
                SQL(
                    """SELECT merchant_id, SUM(quantity) FROM alliance_sms_pack
                        WHERE merchant_id = ANY(%s) GROUP BY merchant_id""",
                    list(merchant_ids),
                )
            )
        )
        used = dict(
            self.env.execute_query(
                SQL(
                    """SELECT alliance_merchant_id, COUNT(*) FROM sms_sms
                        WHERE alliance_quota_taken AND alliance_merchant_id = ANY(%s) GROUP BY alliance_merchant_id""",
                    list(merchant_ids),
                )
            )
        )
        return {m: max(int(bought.get(m) or 0) - int(used.get(m) or 0), 0) for m in merchant_ids}

    @api.model
    def _take_quota(self, merchant, wanted):
        """How many of ``wanted`` messages ``merchant``'s quota still covers.

        Senders of one merchant's texts queue on a transaction-level advisory lock, not on the
        merchant's row: the counters' sales never wait for a gateway's answer. The caller marks the
        messages it takes (``alliance_quota_taken``), which is what the quota counts.
        """
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", ADVISORY_SMS_QUOTA, merchant.id))
        merchant.invalidate_recordset(["sms_quota"])
        return min(self._quota_left([merchant.id])[merchant.id], wanted)

    # -- what causes a message ----------------------------------------------------------

    @api.model
    def _notify_entry(self, entry):
        """Points earned or spent at a merchant: the member is told, on that merchant's SMS quota."""
        key = {"earn": "points_earned", "redeem": "points_redeemed"}.get(entry.entry_type)
        partner = entry.card_id.partner_id
        if not key or not entry.points:
            return self.env["sms.sms"]
        # The one column, not the whole partner (an earn has fetched it already).
        partner.fetch(["alliance_consent_sms"])
        if not partner.alliance_consent_sms:
            return self.env["sms.sms"]
        card = entry.card_id
        return self._queue(
            key,
            partner,
            {"merchant": entry.merchant_id.name, "points": abs(entry.points), "balance": card.balance},
            merchant=entry.merchant_id,
            reason=f"entry/{entry.id}",
        )

    # -- reminders ----------------------------------------------------------------------

    @api.model
    def _cron_remind_expiring(self):
        self._remind_expiring(commit=True)

    @api.model
    def _remind_expiring(self, today=None, commit=False, batch=50000):
        """One reminder per member for the points expiring in the next N days, once per batch of lots.

        A batch is named by its first expiry date: a member reminded of points expiring on the 20th
        is not reminded again when more lots fall into the window, and is for the next batch once the
        20th has passed. One INSERT … SELECT per ``batch`` cards (committed when ``commit``); the
        unique key makes a rerun or a resumed run queue nothing twice. Returns how many were queued.
        """
        template = self.env["alliance.sms.template"]._get("points_expiring")
        if not template:
            return 0
        Engine = self.env["alliance.points.engine"]
        today = fields.Date.to_date(today) or Engine._today()
        days = Engine._param_int("sms_expiry_reminder_days", 7)
        now = fields.Datetime.now()
        after = self._next_slot(template.kind, now)
        self.env.flush_all()
        [(low, high)] = self.env.execute_query(SQL("SELECT MIN(id), MAX(id) FROM alliance_card"))
        queued = 0
        step = batch
        start = low or 0
        while low is not None and start <= high:
            done = self._remind_range(template, today, days, start, start + step, now, after)
            queued += done
            start += step
            if commit:
                self.env["ir.cron"]._commit_progress(done)
        if queued:
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger(after)
        _logger.info("Expiry reminders queued: %s", queued)
        return queued

    @api.model
    def _remind_range(self, template, today, days, low, high, now, after):
        text = SQL(
            "replace(replace(%s, '${points}', x.points::text), '${date}', to_char(x.first, 'YYYY-MM-DD'))",
            template.body,
        )
        return self._queue_select(
            template,
            SQL(
                """SELECT p.phone AS number, p.id AS partner_id, %(text)s AS body,
                          json_build_object('points', x.points::text, 'date', to_char(x.first, 'YYYY-MM-DD'))::text
                              AS params,
                          NULL::integer AS merchant_id,
                          'expiring/' || p.id || '/' || to_char(x.first, 'YYYY-MM-DD') AS key
                     FROM (SELECT l.card_id, SUM(l.remaining) AS points, MIN(l.expiry_date) AS first
                             FROM alliance_points_lot l
                            WHERE l.remaining > 0 AND l.expiry_date >= %(today)s AND l.expiry_date < %(until)s
                              AND l.card_id >= %(low)s AND l.card_id < %(high)s
                         GROUP BY l.card_id) x
                     JOIN alliance_card c ON c.id = x.card_id AND c.state = 'active'
                     JOIN res_partner p ON p.id = c.partner_id
                    WHERE p.alliance_consent_sms AND p.phone IS NOT NULL AND p.phone != ''""",
                text=text,
                today=today,
                until=today + timedelta(days=days + 1),
                low=low,
                high=high,
            ),
            now,
            after,
        )

    @api.model
    def _queue_select(self, template, select, now=None, after=None):
        """Queue ``template`` for every row of ``select`` in one INSERT; returns how many were new.

        ``select`` gives ``number, partner_id, body, params, merchant_id, key``, its texts rendered in
        SQL; a key already queued is skipped, so a rerun or a resumed run queues nothing twice.
        """
        if template.secret_params:
            # The texts are rendered in SQL, unmasked: a template with a secret goes through ``_queue``.
            raise UserError(self.env._("%s is texted one message at a time.", template.name))
        now = now or fields.Datetime.now()
        after = after or self._next_slot(template.kind, now)
        self.env.cr.execute(
            SQL(
                """
INSERT INTO sms_sms (uuid, number, partner_id, body, alliance_text, alliance_template_id, alliance_params,
                     alliance_merchant_id, alliance_key, state, alliance_send_after, alliance_attempts,
                     alliance_quota_taken, to_delete, create_uid, write_uid, create_date, write_date)
SELECT replace(gen_random_uuid()::text, '-', ''), q.number, q.partner_id, q.body, q.body, %(template)s, q.params,
       q.merchant_id, q.key, %(state)s, %(after)s, 0, false, false, %(uid)s, %(uid)s, %(now)s, %(now)s
  FROM (%(select)s) q
ON CONFLICT (alliance_key) WHERE alliance_key IS NOT NULL DO NOTHING""",
                template=template.id,
                state="alliance_wait" if after > now else "outgoing",
                after=after if after > now else None,
                uid=self.env.uid,
                now=now,
                select=select,
            )
        )
        return self.env.cr.rowcount

    # -- merchants' campaigns -----------------------------------------------------------

    @api.model
    def _check_merchant_manager(self, merchant):
        user = self.env.user
        operator = user.has_group("alliance_member.group_alliance_operator")
        if not user.has_group("alliance_member.group_alliance_merchant_manager") or (
            merchant.company_id not in user.company_ids and not operator
        ):
            raise AccessError(self.env._("Only the merchant's managers send its campaigns."))

    @api.model
    def _check_template(self, template):
        if not template or template.kind != "marketing" or not template.active:
            raise UserError(self.env._("Choose one of the alliance's approved marketing templates."))
