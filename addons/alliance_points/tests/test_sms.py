"""SMS through a real local gateway: signed templated requests, retries, failures, quota, consent, quiet hours."""

import json
import logging
import time
from datetime import datetime, timedelta
from unittest.mock import patch

import pytz

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, config, split_every

from .common import PointsCase, PointsHttpCase
from .sms_gateway_server import GatewayMixin

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestSms(GatewayMixin, PointsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.SMS = cls.env["sms.sms"].sudo()
        cls.Service = cls.env["alliance.sms.service"]

    # -- helpers ------------------------------------------------------------------------

    def _run_queue(self):
        """What the SMS queue's cron does (``_process_queue``), without its commits: batches of its size, sent."""
        queued = self.SMS.search([("state", "=", "outgoing")], order="id")
        for batch in split_every(self.SMS._get_send_batch_size(), queued.ids, queued.browse):
            batch._send(unlink_failed=False, unlink_sent=True)

    def _wake_all(self):
        """As if the scheduled time had come: the wake-up cron at that time."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sms_sms SET alliance_send_after = now() at time zone 'UTC' - interval '1 second'"
            " WHERE state = 'alliance_wait'"
        )
        self.SMS.invalidate_model()
        return self.SMS._cron_alliance_wake()

    def _sell(self, merchant, quantity):
        return (
            self.env["alliance.sms.pack"]
            .with_user(self.user_operator)
            .create({"merchant_id": merchant.id, "quantity": quantity})
        )

    def _earn(self, amount=100.0, ref="sale-1", user=None):
        return self._as(user or self.user_a_cashier).alliance_earn(self.card_a.code, amount, ref)

    def _messages(self, key):
        return self.SMS.search([("partner_id", "=", self.card_a.partner_id.id), ("alliance_template_id.key", "=", key)])

    # -- the gateway --------------------------------------------------------------------

    def test_signed_request_with_template_and_parameters(self):
        self._sell(self.merchant_a, 10)
        self._earn(123.0)
        [sms] = self._messages("points_earned")
        self.assertEqual(sms.state, "outgoing")
        self._run_queue()
        [request] = self.gateway.requests
        self.assertTrue(request["_signed"], "the gateway checks the signature with the shared secret")
        self.assertEqual(
            {k: request[k] for k in ("Action", "AccessKeyId", "SignName", "TemplateCode", "PhoneNumbers", "OutId")},
            {
                "Action": "SendSms",
                "AccessKeyId": "LTAI-test-key",
                "SignName": "星城商家联盟",
                "TemplateCode": "SMS_ALLIANCE_EARN",
                "PhoneNumbers": "13907319001",
                "OutId": sms.uuid,
            },
        )
        self.assertEqual(
            json.loads(request["TemplateParam"]), {"merchant": "Test Merchant A", "points": "123", "balance": "123"}
        )
        # Sent, kept (the cron's "unlink sent" does not apply to the alliance's), the merchant's quota used.
        self.assertEqual((sms.exists(), sms.state, sms.to_delete, sms.alliance_attempts), (sms, "pending", False, 1))
        self.assertEqual(self.merchant_a.sms_quota, 9)
        # The cron again, twice: nothing sent twice.
        self._run_queue()
        self._wake_all()
        self._run_queue()
        self.assertEqual(len(self.gateway.requests), 1)

    def test_the_secret_comes_from_the_config_file_first(self):
        """With the secret in odoo.conf, the database's copy (wrong here) is not used."""
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.sms_secret", "a stale secret")
        with patch.dict(config.options, {"alliance_sms_access_key_secret": self.SECRET}):
            self.card_a.partner_id.phone and self.Service._queue(
                "auth_code", self.card_a.partner_id, {"code": "123456", "minutes": 10, "purpose": "登录"}
            )
            self._run_queue()
        self.assertTrue(self.gateway.requests[-1]["_signed"])
        # And a wrong secret is refused by the gateway, for good, with its reason kept.
        self.Service._queue("auth_code", self.card_a.partner_id, {"code": "654321", "minutes": 10, "purpose": "登录"})
        self._run_queue()
        sms = self._messages("auth_code").sorted("id")[-1]
        self.assertFalse(self.gateway.requests[-1]["_signed"])
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_acc"))
        self.assertIn("SignatureDoesNotMatch", sms.alliance_failure)

    def test_a_transient_failure_is_tried_again_and_delivered(self):
        self.gateway.answers[:] = [
            (503, {"Code": "ServiceUnavailable", "Message": "busy"}),
            (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}),
        ]
        sms = self.Service._queue("points_expiring", self.card_a.partner_id, {"points": 300, "date": "2026-12-08"})
        before = fields.Datetime.now()
        self._run_queue()
        self.assertEqual((sms.state, sms.alliance_attempts), ("alliance_wait", 1))
        self.assertIn("ServiceUnavailable", sms.alliance_failure)
        self.assertGreaterEqual(sms.alliance_send_after, before + timedelta(minutes=1))
        # Not due yet: the wake-up cron leaves it; the queue does not see it.
        self.assertEqual(self.SMS._cron_alliance_wake(), 0)
        self._run_queue()
        self.assertEqual(len(self.gateway.requests), 1)
        # Due: tried again (throttled), then again, and delivered, with the same id for the gateway.
        self._wake_all()
        self._run_queue()
        self.assertEqual((sms.state, sms.alliance_attempts), ("alliance_wait", 2))
        self.assertGreaterEqual(sms.alliance_send_after, before + timedelta(minutes=5))
        self._wake_all()
        self._run_queue()
        self.assertEqual((sms.state, sms.alliance_attempts, sms.alliance_failure), ("pending", 3, False))
        self.assertEqual([r["OutId"] for r in self.gateway.requests], [sms.uuid] * 3)
        self.assertEqual({r["TemplateParam"] for r in self.gateway.requests}, {sms.alliance_params})

    def test_a_permanent_failure_is_recorded_and_the_operator_sees_it(self):
        self._sell(self.merchant_a, 5)
        self.gateway.answers[:] = [(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"})]
        self._earn(50.0)
        [sms] = self._messages("points_earned")
        self._run_queue()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_number_format"))
        self.assertIn("非法手机号", sms.alliance_failure)
        # The gateway took nothing: the merchant's SMS is its own again.
        self.assertEqual((self.merchant_a.sms_quota, sms.alliance_quota_taken), (5, False))
        # Never sent again by the cron.
        self._wake_all()
        self._run_queue()
        self.assertEqual(len(self.gateway.requests), 1)
        failures = (
            self.env["alliance.sms.message"]
            .with_user(self.user_accountant)
            .search([("state", "in", ("error", "canceled")), ("partner_id", "=", self.card_a.partner_id.id)])
        )
        self.assertEqual(failures.mapped("failure"), [sms.alliance_failure])

    def test_retries_end_in_a_recorded_failure(self):
        self.gateway.answers[:] = [(500, {"Code": "isp.SYSTEM_ERROR", "Message": "系统错误"})] * 8
        sms = self.Service._queue("points_expiring", self.card_a.partner_id, {"points": 300, "date": "2026-12-08"})
        for _try in range(6):
            self._wake_all()
            self._run_queue()
        self.assertEqual((sms.state, sms.failure_type, sms.alliance_attempts), ("error", "alliance_retries", 6))
        self._wake_all()
        self._run_queue()
        self.assertEqual(len(self.gateway.requests), 6)
        # A code is retried while it is valid (5 minutes) only: the second retry would be too late.
        code = self.Service._queue(
            "auth_code", self.card_a.partner_id, {"code": "333444", "minutes": 5, "purpose": "登录"}
        )
        self._run_queue()
        self.assertEqual((code.state, code.alliance_attempts), ("alliance_wait", 1))
        self._wake_all()
        self._run_queue()
        self.assertEqual((code.state, code.failure_type, code.alliance_attempts), ("error", "alliance_retries", 2))
        # Done with: the code is gone from every copy kept, not only from the one shown.
        self.assertNotIn("333444", code.body)
        self.assertEqual(code._alliance_params()["code"], "******")

    def test_one_bad_number_fails_alone_and_a_silent_gateway_is_not_repeated(self):
        # Member B's number is well formed (the server checks that): the carrier refuses it all the same.
        self.card_b.partner_id.alliance_consent_sms = True
        params = {"points": 300, "date": "2026-12-08"}
        good = self.Service._queue("points_expiring", self.card_a.partner_id, params)
        bad = self.Service._queue("points_expiring", self.card_b.partner_id, params)
        illegal = (200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"})
        self.gateway.answers[:] = [illegal, (200, None), illegal]
        self._run_queue()
        self.assertEqual([r["Action"] for r in self.gateway.requests], ["SendBatchSms", "SendSms", "SendSms"])
        self.assertEqual((good.state, bad.state, bad.failure_type), ("pending", "error", "sms_number_format"))
        # Sent, and no answer in time: it may have gone; it is not sent again.
        late = self.Service._queue("points_expiring", self.card_a.partner_id, {"points": 1, "date": "2026-12-09"})
        # (Odoo's tests wait at least 10 s for any request: the gateway answers after 10.5 s.)
        self.gateway.answers[:] = [(200, None, 10.5)]
        with self.assertLogs("odoo.addons.alliance_points.tools.sms_gateway", "WARNING") as logs:
            self._run_queue()
        self.assertIn("did not answer", logs.output[0])
        self.assertEqual((late.state, late.failure_type), ("error", "alliance_unknown"))
        self._wake_all()
        self._run_queue()
        self.assertEqual(len(self.gateway.requests), 4)

    def test_unconfigured_gateway_is_a_recorded_failure(self):
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.sms_gateway_url", "")
        sms = self.Service._queue("auth_code", self.card_a.partner_id, {"code": "1", "minutes": 10, "purpose": "登录"})
        self._run_queue()
        self.assertEqual((sms.state, sms.failure_type), ("error", "alliance_unconfigured"))
        self.assertFalse(self.gateway.requests)

    # -- quota, consent, quiet hours ----------------------------------------------------

    def test_a_merchant_at_zero_sends_no_optional_messages_codes_still_go(self):
        self.assertEqual(self.merchant_a.sms_quota, 0)
        self._earn(80.0)
        [earned] = self._messages("points_earned")
        self._as(self.user_a_cashier).alliance_send_code(self.card_a.code, 50)
        [code] = self._messages("auth_pay")
        self._run_queue()
        self.assertEqual((earned.state, earned.failure_type), ("canceled", "alliance_quota"))
        self.assertEqual(code.state, "pending")
        self.assertEqual([r["TemplateCode"] for r in self.gateway.requests], ["SMS_ALLIANCE_PAY"])
        self.assertFalse(code.alliance_merchant_id, "the operator pays for the codes")
        # A pack bought: the next one goes, and takes one.
        pack = self._sell(self.merchant_a, 2)
        self.assertEqual((pack.price, pack.amount, self.merchant_a.sms_quota), (0.05, 0.1, 2))
        self._earn(20.0, ref="sale-2")
        self._run_queue()
        self.assertEqual(self.merchant_a.sms_quota, 1)
        self.assertEqual(len(self.gateway.requests), 2)

    def test_consent(self):
        partner = self.card_a.partner_id
        partner.alliance_consent_sms = False
        self._sell(self.merchant_a, 10)
        self._earn(60.0)
        self.assertFalse(self._messages("points_earned"))
        # A code is what the member asked for: it goes whatever the consents.
        self._as(self.user_a_cashier).alliance_send_code(self.card_a.code, 50)
        self.assertTrue(self._messages("auth_pay"))
        # Marketing needs the consent to marketing, on top of the consent to SMS.
        partner.alliance_consent_sms = True
        self.assertFalse(self.Service._queue("merchant_offer", partner, {"merchant": "A", "offer": "满100减20"}))
        partner.alliance_consent_marketing = True
        self.assertTrue(self.Service._queue("merchant_offer", partner, {"merchant": "A", "offer": "满100减20"}))

    def test_quiet_hours(self):
        tz = pytz.timezone("Asia/Shanghai")
        local = pytz.utc.localize(fields.Datetime.now()).astimezone(tz)
        # The quiet hours start this hour and end at the next: now is quiet.
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("alliance_points.sms_quiet_start", str(local.hour))
        ICP.set_param("alliance_points.sms_quiet_end", str((local.hour + 1) % 24))
        self._sell(self.merchant_a, 10)
        self._earn(70.0)
        [earned] = self._messages("points_earned")
        end = tz.localize(
            datetime.combine(local.date(), datetime.min.time()).replace(hour=local.hour) + timedelta(hours=1)
        )
        self.assertEqual(
            (earned.state, earned.alliance_send_after), ("alliance_wait", end.astimezone(pytz.utc).replace(tzinfo=None))
        )
        self._as(self.user_a_cashier).alliance_send_code(self.card_a.code, 50)
        self.assertEqual(self.SMS._cron_alliance_wake(), 0)
        self._run_queue()
        self.assertEqual([r["TemplateCode"] for r in self.gateway.requests], ["SMS_ALLIANCE_PAY"])
        # Queued before the quiet hours, sent during them: the queue holds it back too.
        late = self.Service._queue(
            "points_earned", self.card_a.partner_id, {"merchant": "A", "points": 1, "balance": 1}
        )
        late.write({"state": "outgoing", "alliance_send_after": False})
        self._run_queue()
        self.assertEqual(late.state, "alliance_wait")
        self.assertEqual(len(self.gateway.requests), 1)

    # -- reminders ----------------------------------------------------------------------

    def test_expiry_reminders_for_10000_members_once_per_batch(self):
        env = self.env
        today = env["alliance.points.engine"]._today()
        cr = env.cr
        card_type = env.ref("alliance_member.card_type_standard").id
        tier = env.ref("alliance_member.tier_basic").id
        # With the accounting addons installed, a partner has a required column more.
        extra = SQL(", autopost_bills") if "autopost_bills" in env["res.partner"]._fields else SQL()
        extra_value = SQL(", 'ask'") if extra else SQL()
        cr.execute(
            SQL(
                """INSERT INTO res_partner (name, complete_name, phone, alliance_phone, alliance_is_member, active,
                                            alliance_consent_sms, type, lang, create_date, write_date %s)
                   SELECT '提醒会员' || g, '提醒会员' || g, '+86137' || lpad(g::text, 8, '0'),
                          '+86137' || lpad(g::text, 8, '0'), TRUE, TRUE, g <= 10000, 'contact', 'zh_CN', now(), now() %s
                     FROM generate_series(1, 10500) g""",
                extra,
                extra_value,
            )
        )
        cr.execute(
            SQL(
                """INSERT INTO alliance_card (code, serial, partner_id, type_id, tier_id, issuer_merchant_id,
                                              company_id, state, valid_from, balance, debt_points, visits_left)
                   SELECT 'R' || p.id, 900000000 + p.id, p.id, %s, %s, %s, %s, 'active', now()::date, 300, 0, 0
                     FROM res_partner p WHERE p.alliance_phone LIKE '+86137%%'""",
                card_type,
                tier,
                self.merchant_a.id,
                self.company_a.id,
            )
        )
        # Each card: 100 points expiring in 3 days, 200 in 5 (both in the 7-day window), 50 in a year.
        cr.execute(
            SQL(
                """INSERT INTO alliance_points_entry (card_id, partner_id, merchant_id, company_id, entry_type, points,
                                                      debt_delta, balance_after, currency_id, reference, date, origin)
                   SELECT c.id, c.partner_id, %(m)s, %(c)s, 'earn', 350, 0, 350, %(cur)s, 'remind-' || c.id, now(),
                          'reminder test'
                     FROM alliance_card c WHERE c.code LIKE 'R%%'""",
                m=self.merchant_a.id,
                c=self.company_a.id,
                cur=self.currency.id,
            )
        )
        cr.execute(
            SQL(
                """INSERT INTO alliance_points_lot (entry_id, card_id, merchant_id, company_id, date, expiry_date,
                                                    points, remaining)
                   SELECT e.id, e.card_id, e.merchant_id, e.company_id, e.date, %(today)s::date + d.days, d.points,
                          d.points
                     FROM alliance_points_entry e, (VALUES (3, 100), (5, 200), (365, 50)) d(days, points)
                    WHERE e.origin = 'reminder test'""",
                today=today,
            )
        )
        start = time.perf_counter()
        queued = self.Service._remind_expiring()
        self.assertEqual(queued, 10000, "the 500 without consent to SMS get nothing")
        self.Service._remind_expiring()
        self.assertEqual(self.Service._remind_expiring(), 0, "rerun: nothing twice")
        self._run_queue()
        elapsed = time.perf_counter() - start
        reminders = self.gateway.messages("SMS_ALLIANCE_EXPIRE")
        self.assertEqual(len(reminders), 10000)
        self.assertEqual(len({phone for phone, _params in reminders}), 10000, "one per member")
        self.assertEqual(reminders[0][1], {"points": "300", "date": str(today + timedelta(days=3))})
        # Batched: 100 messages of one template per request, each its own parameters, all signed.
        self.assertEqual(len(self.gateway.requests), 100)
        self.assertTrue(all(r["_signed"] and r["Action"] == "SendBatchSms" for r in self.gateway.requests))
        _logger.info("10,000 expiry reminders queued and sent through the gateway in %.1f s", elapsed)
        self.assertLess(elapsed, 60, f"10,000 reminders queued and sent in {elapsed:.1f}s")
        self.assertEqual(
            self.SMS.search_count([("alliance_template_id.key", "=", "points_expiring"), ("state", "=", "pending")]),
            10000,
        )
        # The same batch tomorrow: nothing; once its first date has passed, the next batch is reminded.
        self.Service._remind_expiring(today=today + timedelta(days=1))
        self.assertEqual(self.Service._remind_expiring(today=today + timedelta(days=1)), 0)
        cr.execute(SQL("UPDATE alliance_points_lot SET remaining = 0 WHERE expiry_date = %s::date + 3", today))
        self.assertEqual(self.Service._remind_expiring(today=today + timedelta(days=4)), 10000)

    # -- who sees what ------------------------------------------------------------------

    def test_who_sees_the_messages(self):
        self._as(self.user_a_cashier).alliance_send_code(self.card_a.code, 50)
        [code] = self._messages("auth_pay")
        digits = code._alliance_params()["code"]
        self._run_queue()
        Message = self.env["alliance.sms.message"]
        # The operator reads the member's messages on the member's page; the code is masked.
        shown = self.card_a.partner_id.with_user(self.user_accountant).alliance_sms_message_ids
        self.assertEqual(shown.ids, [code.id])
        self.assertIn("******", shown.text)
        self.assertNotIn(digits, shown.text)
        # A member their own only; merchants none: not the messages, nor the queue.
        self.assertEqual(Message.with_user(self.user_portal_member).search([]).partner_id, self.card_a.partner_id)
        # The merchant's portal user is a portal user: texts to its own contact, none here.
        self.assertFalse(Message.with_user(self.user_portal_merchant).search([]))
        for user in (self.user_a_manager, self.user_a_cashier, self.user_portal_merchant):
            if user != self.user_portal_merchant:
                with self.assertRaises(AccessError):
                    Message.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["sms.sms"].with_user(user).search([])

    def test_what_merchants_cannot_do(self):
        # Packs are sold by the operator: a merchant's manager cannot give itself SMS.
        with self.assertRaises(AccessError):
            self.env["alliance.sms.pack"].with_user(self.user_a_manager).create(
                {"merchant_id": self.merchant_a.id, "quantity": 1000}
            )
        pack = self._sell(self.merchant_a, 10)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            pack.with_user(self.user_operator).write({"quantity": 100000})
        for bad in (0, -5, "10", 1.5, True, 10**9):
            with self.subTest(bad=bad), self.assertRaisesRegex(UserError, "whole number of messages"):
                self._sell(self.merchant_a, bad)
        self.assertEqual(self.merchant_a.sms_quota, 10)
        # Templates are the operator's: a manager cannot rewrite what the gateway approved.
        template = self.env.ref("alliance_points.sms_template_points_earned")
        with self.assertRaises(AccessError):
            template.with_user(self.user_a_manager).write({"body": "转账到 6222…"})

    def test_a_merchant_campaign(self):
        partner = self.card_a.partner_id
        partner.alliance_consent_marketing = True
        self._earn(30.0)
        # Served at B only, and accepting marketing: not A's to text.
        self.card_b.partner_id.write({"alliance_consent_sms": True, "alliance_consent_marketing": True})
        self._as(self.user_b_cashier).alliance_earn(self.card_b.code, 30.0, "b-sale")
        Campaign = self.env["alliance.sms.campaign"].with_user(self.user_a_manager).with_company(self.company_a)
        campaign = Campaign.create(
            {
                "name": "周末特惠",
                "template_id": self.env.ref("alliance_points.sms_template_merchant_offer").id,
                "offer": "满100减20",
            }
        )
        self.assertEqual(campaign.merchant_id, self.merchant_a)
        self.assertEqual(campaign.preview, "Test Merchant A联盟会员专享：满100减20。回T退订")
        campaign.action_preview()
        self.assertEqual((campaign.audience, campaign.cost), (1, 1))
        with self.assertRaisesRegex(UserError, "has 0 SMS left"):
            campaign.action_send()
        self._sell(self.merchant_a, 3)
        campaign.action_send()
        self.assertEqual(campaign.state, "sent")
        with self.assertRaisesRegex(UserError, "sent already"):
            campaign.action_send()
        self._run_queue()
        self.assertEqual(
            self.gateway.messages("SMS_ALLIANCE_OFFER"),
            [("13907319001", {"merchant": "Test Merchant A", "offer": "满100减20"})],
        )
        # The earn notification and the offer, each one of A's SMS.
        self.assertEqual(self.merchant_a.sms_quota, 1)
        # A's manager cannot text B's members, nor spend B's quota.
        with self.assertRaises(AccessError):
            Campaign.create(
                {
                    "name": "冒名",
                    "merchant_id": self.merchant_b.id,
                    "template_id": self.env.ref("alliance_points.sms_template_merchant_offer").id,
                    "offer": "x",
                }
            )
        # Its figures are the server's; sent, it is kept as it went.
        with self.assertRaisesRegex(UserError, "the server's"):
            campaign.write({"cost": 0})
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            campaign.write({"offer": "全场免费"})
        with self.assertRaisesRegex(UserError, "is kept"):
            campaign.unlink()
        with self.assertRaisesRegex(UserError, "the server's"):
            Campaign.create({"name": "x", "template_id": campaign.template_id.id, "state": "sent", "cost": 0})
        # A cashier sends no campaign.
        with self.assertRaises(AccessError):
            self.env["alliance.sms.campaign"].with_user(self.user_a_cashier).create(
                {"name": "x", "template_id": self.env.ref("alliance_points.sms_template_merchant_offer").id}
            )


@tagged("post_install", "-at_install")
class TestSmsPortal(PointsHttpCase):
    """The member's page, and the gateway's delivery reports, over HTTP."""

    def test_a_member_reads_their_messages(self):
        Service = self.env["alliance.sms.service"]
        Service._queue("auth_code", self.card_a.partner_id, {"code": "864209", "minutes": 10, "purpose": "登录"})
        Service._queue("auth_code", self.card_b.partner_id, {"code": "975310", "minutes": 10, "purpose": "登录"})
        self.authenticate("t_member", "t_member")
        page = self.url_open("/my/alliance/messages").text
        self.assertIn("您登录的验证码为******", page)
        self.assertNotIn("864209", page)
        self.assertNotIn("975310", page)

    def test_delivery_reports(self):
        Service = self.env["alliance.sms.service"]
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("alliance_points.sms_report_token", "report-token-7f3a")
        one = Service._queue("auth_code", self.card_a.partner_id, {"code": "246810", "minutes": 10, "purpose": "登录"})
        two = Service._queue("auth_code", self.card_b.partner_id, {"code": "135791", "minutes": 10, "purpose": "登录"})
        # As the gateway left them: sent, one by its own request, the other in a batch.
        one.write({"state": "pending", "alliance_gateway_id": "biz-1"})
        two.write({"state": "pending", "alliance_gateway_id": "biz-2"})
        reports = [
            {
                "out_id": one.uuid,
                "biz_id": "biz-1",
                "phone_number": "13907319001",
                "success": True,
                "err_code": "DELIVERED",
                "err_msg": "用户接收成功",
            },
            {
                "biz_id": "biz-2",
                "phone_number": "13907319002",
                "success": False,
                "err_code": "MK:0001",
                "err_msg": "空号",
            },
        ]
        # Without the token, or with another: nothing changes.
        for token in ("wrong", "report-token-7f3"):
            response = self.url_open(
                f"/alliance/sms/report/{token}", data=json.dumps(reports), headers={"Content-Type": "application/json"}
            )
            self.assertEqual(response.status_code, 403)
        (one | two).invalidate_recordset()
        self.assertEqual((one.state, two.state), ("pending", "pending"))
        response = self.url_open(
            "/alliance/sms/report/report-token-7f3a",
            data=json.dumps(reports),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json(), {"code": 0, "msg": "成功"})
        (one | two).invalidate_recordset()
        self.assertEqual((one.state, two.state, two.failure_type), ("sent", "error", "alliance_undelivered"))
        self.assertIn("空号", two.alliance_failure)
        # Garbage is refused whole.
        response = self.url_open(
            "/alliance/sms/report/report-token-7f3a", data="not json", headers={"Content-Type": "application/json"}
        )
        self.assertEqual(response.status_code, 400)
