"""手机验证码登录: a member enrolled at a counter signs in on a phone, and what an attacker gets from the page."""

import re

from odoo.tests import tagged

from .common import PointsHttpCase

PHONE = "13907319077"


@tagged("post_install", "-at_install")
class TestPhoneSignIn(PointsHttpCase):
    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        info = cls._enrol(cls.user_a_cashier, "柜台会员王芳", PHONE)
        cls.card = cls.env["alliance.card"].browse(info["card_id"])
        cls.member = cls.card.partner_id

    def _send(self, phone):
        page = self.url_open("/alliance/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/alliance/login", data={"csrf_token": token, "phone": phone, "send": "1"})

    def _sign_in(self, phone, code):
        page = self.url_open("/alliance/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/alliance/login", data={"csrf_token": token, "phone": phone, "code": code})

    def _texts(self, partner):
        return self.env["sms.sms"].sudo().search([("partner_id", "=", partner.id)], order="id")

    def _last_code(self, partner):
        return re.search(r"\d{6}", self._texts(partner)[-1:].body).group(0)

    def test_a_member_enrolled_at_a_counter_signs_in_on_a_phone(self):
        self._as(self.user_a_cashier).alliance_earn(self.card.code, 88.0, "first-visit")
        self.assertFalse(self.member.user_ids)
        sent = self._send("139 0731 9077")
        self.assertIn("o_alliance_login_sent", sent.text)
        code = self._last_code(self.member)
        self.start_tour(f"/alliance/login?phone={PHONE}&code={code}", "alliance_points_phone_login_tour")
        user = self.member.user_ids
        self.assertEqual((user.login, user._is_portal()), ("+86" + PHONE, True))
        # The code is spent: it signs no one in again.
        self.assertNotIn("o_alliance_next_expiry", self._sign_in(PHONE, code).text)

    def test_what_the_page_gives_an_attacker(self):
        known, unknown = self._send(PHONE), self._send("13907319999")
        # The same answer whether the phone is a member's or not; a text only for the member.
        self.assertIn("o_alliance_login_sent", unknown.text)
        self.assertEqual(known.text.count("o_alliance_login_sent"), unknown.text.count("o_alliance_login_sent"))
        self.assertEqual(len(self._texts(self.member)), 1)
        self.assertFalse(self.env["sms.sms"].sudo().search([("number", "like", "9999")]))
        code = self._last_code(self.member)
        # Three wrong codes kill the code; no user is left behind by the attempts.
        for wrong in ("000000", "123456", "999999"):
            self.assertIn("o_alliance_login_error", self._sign_in(PHONE, wrong).text)
        self.assertFalse(self.member.with_context(active_test=False).user_ids)
        self.assertIn("o_alliance_login_error", self._sign_in(PHONE, code).text)
        self.assertFalse(self.member.with_context(active_test=False).user_ids)
        self.assertEqual((self.member.exists(), self.card.state), (self.member, "active"))
        # A stranger's phone gets the very words a member's wrong code gets.
        self.assertEqual(
            re.findall(r"o_alliance_login_error[^>]*>([^<]*)<", self._sign_in("13907319999", "123456").text),
            re.findall(r"o_alliance_login_error[^>]*>([^<]*)<", self._sign_in(PHONE, "123456").text),
        )
        # A code texted to pay at a counter does not sign in; a sign-in code does not pay.
        auth = self.env["alliance.card.auth"].sudo()._get_for(self.card)
        auth.write({"sms_sent_at": False, "sms_hour_count": 0})
        self._as(self.user_b_cashier).alliance_send_code(self.card.code, 10)
        self.assertIn("o_alliance_login_error", self._sign_in(PHONE, self._last_code(self.member)).text)
        auth.write({"sms_sent_at": False, "sms_hour_count": 0})
        self._send(PHONE)
        with self.assertRaisesRegex(Exception, "another purpose"):
            self._as(self.user_b_cashier).alliance_redeem(
                self.card.code, 1, "login-code", {"sms": self._last_code(self.member)}
            )
