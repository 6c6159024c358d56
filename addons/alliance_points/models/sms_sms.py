"""Odoo's SMS queue, carrying the alliance's templated messages through the alliance's gateway.

The shape is ``sms_twilio``'s: the messages choose their API in ``_split_by_api`` (and in
``_send``, which the queue's cron calls directly); the gateway's answers come back through
``_send_with_api`` and ``_handle_call_result_hook``. What the alliance adds: a message waits
out the quiet hours; a transient failure is tried again later, with a growing delay; a
merchant's optional message takes one unit of its SMS quota when first sent, and gives it
back if the gateway refuses it for good; the messages are kept, to show the member and the
operator what was sent.
"""

import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.sms_gateway import SmsApiAlliance
from .alliance_card_auth import SMS_VALID_MINUTES

TRANSIENT_STATES = {"alliance_transient", "server_error"}
RETRY_MINUTES = (1, 5, 15, 60, 240)


class SmsSms(models.Model):
    _inherit = "sms.sms"

    state = fields.Selection(selection_add=[("alliance_wait", "Scheduled")], ondelete={"alliance_wait": "set default"})
    failure_type = fields.Selection(
        selection_add=[
            ("alliance_template", "Template Refused by the Gateway"),
            ("alliance_unconfigured", "Gateway Not Configured"),
            ("alliance_quota", "Merchant's SMS Quota Used Up"),
            ("alliance_retries", "Failed After Retries"),
            ("alliance_undelivered", "Not Delivered"),
            ("alliance_unknown", "Outcome Unknown"),
        ]
    )
    # A template that sent messages is archived, never deleted: its messages would lose their gateway.
    alliance_template_id = fields.Many2one(
        "alliance.sms.template", index="btree_not_null", readonly=True, ondelete="restrict"
    )
    alliance_params = fields.Text(readonly=True, help="The template's parameters, JSON (the code included).")
    alliance_text = fields.Text(readonly=True, help="The text as shown afterwards: codes masked.")
    alliance_merchant_id = fields.Many2one(
        "alliance.merchant", index="btree_not_null", readonly=True, help="Whose SMS quota the message takes."
    )
    alliance_key = fields.Char(readonly=True, copy=False, help="The message's reason, once: the idempotency key.")
    alliance_send_after = fields.Datetime(readonly=True, help="Scheduled: after the quiet hours, or the next try.")
    alliance_attempts = fields.Integer(readonly=True, default=0)
    alliance_failure = fields.Char(readonly=True, help="The gateway's last answer, when it refused.")
    alliance_sent_at = fields.Datetime(readonly=True)
    alliance_gateway_id = fields.Char(
        readonly=True, index="btree_not_null", help="The gateway's id of the request (BizId): delivery reports name it."
    )
    alliance_quota_taken = fields.Boolean(readonly=True, default=False)

    _alliance_key_uniq = models.UniqueIndex("(alliance_key) WHERE alliance_key IS NOT NULL")
    _alliance_wait_idx = models.Index("(alliance_send_after) WHERE state = 'alliance_wait'")
    _alliance_quota_idx = models.Index("(alliance_merchant_id) WHERE alliance_quota_taken")

    # -- sending ------------------------------------------------------------------------

    def _split_by_api(self):
        alliance = self.filtered("alliance_template_id")
        if alliance:
            yield SmsApiAlliance(self.env), alliance
        if self - alliance:
            yield from super(SmsSms, self - alliance)._split_by_api()

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        alliance = self.filtered("alliance_template_id")
        others = self - alliance
        result = None
        if others:
            result = super(SmsSms, others)._send(
                unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception
            )
        ready = alliance._alliance_gate()
        if ready:
            # Kept after sending, sent or not: the member's and the operator's record of what went.
            result = super(SmsSms, ready.with_context(sms_api=SmsApiAlliance(self.env)))._send(
                unlink_failed=False, unlink_sent=False, raise_exception=raise_exception
            )
        return result

    def _alliance_gate(self):
        """What may go now: quiet hours wait; a merchant's optional messages take its quota, or are cancelled."""
        now = fields.Datetime.now()
        Service = self.env["alliance.sms.service"]
        waiting = self.browse()
        for sms in self:
            after = Service._next_slot(sms.alliance_template_id.kind, now)
            if after > now:
                waiting |= sms
                sms.write({"state": "alliance_wait", "alliance_send_after": after})
        ready = self - waiting
        paying = ready.filtered(
            lambda s: s.alliance_merchant_id and not s.alliance_quota_taken and s.alliance_template_id.kind != "code"
        )
        refused = self.browse()
        for merchant, group in paying.grouped("alliance_merchant_id").items():
            messages = group.sorted("id")
            allowed = Service._take_quota(merchant, len(messages))
            messages[:allowed].write({"alliance_quota_taken": True})
            merchant.invalidate_recordset(["sms_quota"])
            refused |= messages[allowed:]
        if refused:
            refused.write(
                {
                    "state": "canceled",
                    "failure_type": "alliance_quota",
                    "alliance_failure": self.env._("The merchant's SMS quota is used up."),
                }
            )
        return ready - refused

    def _handle_call_result_hook(self, results):
        """The gateway's answer: sent; or tried again later; or refused for good, with its reason kept."""
        alliance = self.filtered("alliance_template_id")
        super(SmsSms, self - alliance)._handle_call_result_hook(results)
        if not alliance:
            return
        by_uuid = alliance.grouped("uuid")
        sent = self.browse()
        for result in results:
            sms = by_uuid.get(result.get("uuid"))
            if not sms:
                continue
            if result["state"] == "success":
                sent |= sms
            else:
                sms._alliance_failed(result)
        sent._alliance_scrub()
        # A campaign's thousands of messages: one UPDATE per request and number of tries, not one per message.
        gateway_ids = {result["uuid"]: result.get("gateway_id") for result in results}
        for (attempts, gateway_id), group in sent.grouped(
            lambda s: (s.alliance_attempts + 1, gateway_ids.get(s.uuid))
        ).items():
            group.write(
                {
                    "alliance_attempts": attempts,
                    "alliance_sent_at": fields.Datetime.now(),
                    "alliance_failure": False,
                    "alliance_gateway_id": gateway_id,
                }
            )

    def _alliance_failed(self, result):
        """A transient failure is tried again later (1, 5, 15, 60, 240 minutes); any other is final."""
        self.ensure_one()
        attempts = self.alliance_attempts + 1
        after = fields.Datetime.now() + timedelta(minutes=RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1])
        # A code is worth its few minutes: texted later, it only confuses the member.
        stale = self.alliance_template_id.kind == "code" and after > self.create_date + timedelta(
            minutes=SMS_VALID_MINUTES
        )
        if result["state"] in TRANSIENT_STATES and attempts <= len(RETRY_MINUTES) and not stale:
            self.write(
                {
                    "state": "alliance_wait",
                    "failure_type": False,
                    "alliance_attempts": attempts,
                    "alliance_send_after": self.env["alliance.sms.service"]._next_slot(
                        self.alliance_template_id.kind, after
                    ),
                    "alliance_failure": result.get("failure_reason"),
                }
            )
            return
        vals = {"alliance_attempts": attempts, "alliance_failure": result.get("failure_reason")}
        if result["state"] in TRANSIENT_STATES:
            vals["failure_type"] = "alliance_retries"
        if self.alliance_quota_taken:
            # The gateway charges for messages it takes: a refused one is the merchant's again.
            vals["alliance_quota_taken"] = False
            self.alliance_merchant_id.invalidate_recordset(["sms_quota"])
        self.write(vals)
        self._alliance_scrub()

    def _alliance_scrub(self):
        """Once a message with a secret (a code) is done with, the secret goes: only the masked copy stays."""
        for sms in self.filtered(lambda s: s.alliance_template_id.secret_params):
            template = sms.alliance_template_id
            sms.write(
                {
                    "body": sms.alliance_text,
                    "alliance_params": self.env["alliance.sms.service"]._dump_params(
                        {**sms._alliance_params(), **dict.fromkeys(template._secret_names(), "******")}
                    ),
                }
            )

    @api.model
    def _alliance_apply_reports(self, reports):
        """Delivered, or not, as the carriers reported: matched by our id (a single message) or by the gateway's
        request id and the number (a batch). Returns how many messages changed."""
        changed = 0
        for report in reports:
            if not isinstance(report, dict):
                continue
            sms = self.browse()
            if isinstance(report.get("out_id"), str) and report["out_id"]:
                sms = self.search([("uuid", "=", report["out_id"]), ("alliance_template_id", "!=", False)], limit=1)
            if not sms and isinstance(report.get("biz_id"), str) and isinstance(report.get("phone_number"), str):
                candidates = self.search([("alliance_gateway_id", "=", report["biz_id"])], order="id")
                phone = report["phone_number"]
                # Two texts to one number in one batch (two coupons): each report to one not yet reported.
                same = candidates.filtered(lambda s, phone=phone: s._alliance_gateway_number() == phone)
                sms = (same.filtered(lambda s: s.state == "pending") or same)[:1]
            if not sms or sms.state not in ("pending", "sent", "error"):
                continue
            if report.get("success") is True:
                sms.write({"state": "sent", "failure_type": False})
            else:
                reason = f"{report.get('err_code') or ''}: {report.get('err_msg') or ''}"[:200]
                sms.write({"state": "error", "failure_type": "alliance_undelivered", "alliance_failure": reason})
            changed += 1
        return changed

    def _alliance_gateway_number(self):
        """The number as the gateway takes it: a mainland number without +86; others with 00."""
        number = "".join(ch for ch in (self.number or "") if ch.isdigit() or ch == "+")
        if number.startswith("+86"):
            return number[3:]
        return "00" + number[1:] if number.startswith("+") else number

    @api.model
    def _cron_alliance_wake(self):
        """Every minute: the scheduled messages whose time has come go back to the queue."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """UPDATE sms_sms SET state = 'outgoing'
                    WHERE state = 'alliance_wait' AND alliance_send_after <= %s RETURNING id""",
                fields.Datetime.now(),
            )
        )
        self.invalidate_model(["state"])
        if rows:
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()
        return len(rows)

    def _alliance_params(self):
        return json.loads(self.alliance_params or "{}")
