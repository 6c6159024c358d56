"""The member's side of proving presence, on the portal, as the member."""

import re

from odoo.http import Request
from odoo.tests import tagged

from .common import PointsHttpCase


@tagged("post_install", "-at_install")
class TestTrustPortal(PointsHttpCase):
    def setUp(self):
        super().setUp()
        self.B = self._as(self.user_b_cashier)
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 500.0, "portal-seed")

    def _code_on_page(self, html):
        return re.search(r'data-code="(\d{21})"', html).group(1)

    def test_the_member_shows_a_fresh_payment_code_which_pays_once(self):
        self.authenticate("t_member", "t_member")
        page = self.url_open("/my/alliance/paycode")
        self.assertEqual(page.status_code, 200)
        code = self._code_on_page(page.text)
        self.assertTrue(code.startswith("68" + self.card_a.code))
        self.assertIn("/report/barcode/QR/" + code, page.text)
        fresh = self.make_jsonrpc_request("/my/alliance/paycode/next")["code"]
        self.assertNotEqual(fresh, code)
        # The cashier scans the code shown last: it pays; the older one is dead.
        self.assertEqual(self.B.alliance_redeem(self.card_a.code, 100, "phone-1", {"code": fresh})["balance"], 400)
        with self.assertRaisesRegex(Exception, "already used"):
            self.B.alliance_redeem(self.card_a.code, 100, "phone-2", {"code": code})

    def test_a_portal_user_without_a_card_gets_no_code(self):
        self.authenticate("t_portal_merchant", "t_portal_merchant")
        page = self.url_open("/my/alliance/paycode", allow_redirects=False)
        self.assertEqual(page.status_code, 303)
        self.assertIn("error", self.make_jsonrpc_request("/my/alliance/paycode/next"))

    def test_the_member_sets_a_pin_with_an_sms_code(self):
        self.authenticate("t_member", "t_member")
        token = Request.csrf_token(self)
        sent = self.url_open("/my/alliance/pin", data={"csrf_token": token, "send_code": "1"})
        self.assertIn("139****9001", sent.text)
        sms = self.env["sms.sms"].search([("partner_id", "=", self.card_a.partner_id.id)], order="id desc", limit=1)
        code = re.search(r"(\d{6})", sms.body).group(1)
        wrong = "000000" if code != "000000" else "111111"
        refused = self.url_open(
            "/my/alliance/pin", data={"csrf_token": token, "sms_code": wrong, "pin": "135790", "pin_again": "135790"}
        )
        self.assertIn("o_alliance_pin_error", refused.text)
        self.assertFalse(self.env["alliance.card.auth"]._get_for(self.card_a).pin_hash)
        done = self.url_open(
            "/my/alliance/pin", data={"csrf_token": token, "sms_code": code, "pin": "135790", "pin_again": "135790"}
        )
        self.assertIn("o_alliance_pin_done", done.text)
        self.assertEqual(self.B.alliance_redeem(self.card_a.code, 50, "pin-ok", {"pin": "135790"})["balance"], 450)

    def test_the_member_always_sees_the_next_expiry(self):
        lot = self.env["alliance.points.lot"].search([("card_id", "=", self.card_a.id), ("remaining", ">", 0)])
        self.assertEqual(len(lot), 1)
        self.authenticate("t_member", "t_member")
        page = self.url_open("/my/alliance/points")
        self.assertEqual(page.status_code, 200)
        # Two years away, not within the 30-day warning: shown all the same.
        shown = re.search(
            r'o_alliance_next_expiry">\s*Next expiry: <strong>(\d+)</strong> points on <span>([\d-]+)', page.text
        )
        self.assertEqual(shown.groups(), (str(lot.remaining), str(lot.expiry_date)))
        self.assertNotIn("o_alliance_expiring", page.text)

    def test_a_prepaid_merchant_sees_its_quota_on_the_portal(self):
        self.merchant_a.billing_mode = "prepaid"
        self.merchant_a.with_user(self.user_operator).action_buy_points(7_500, "portal-pack")
        self.authenticate("t_portal_merchant", "t_portal_merchant")
        page = self.url_open("/my/alliance/merchant")
        self.assertEqual(page.status_code, 200)
        shown = re.search(r'o_alliance_quota_left">(\d+)<', page.text)
        self.assertEqual(shown.group(1), str(self.merchant_a.quota_balance))
        self.assertEqual(self.merchant_a.quota_balance, 7_500)

    def test_a_merchant_sees_its_sms_left_on_the_portal(self):
        self.env["alliance.sms.pack"].with_user(self.user_operator).create(
            {"merchant_id": self.merchant_a.id, "quantity": 1200}
        )
        self.authenticate("t_portal_merchant", "t_portal_merchant")
        page = self.url_open("/my/alliance/merchant")
        self.assertEqual(re.search(r'o_alliance_sms_left">(\d+)<', page.text).group(1), "1200")
