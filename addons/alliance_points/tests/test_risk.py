"""Fraud signals: generated patterns raise alerts; the operator reviews them."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.alliance_points.models import alliance_card_auth

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestRisk(PointsCase):
    def setUp(self):
        super().setUp()
        self.A = self._as(self.user_a_cashier)
        self.B = self._as(self.user_b_cashier)
        self.Scan = self.env["alliance.risk.scan"]
        self.Alert = self.env["alliance.risk.alert"]

    def _scan(self):
        return self.Scan._cron_scan(fields.Datetime.now() + timedelta(minutes=1))

    def test_a_self_dealing_merchant_is_flagged(self):
        # B gives its own members points and takes them back as payment: 95% of what it accepts is its own.
        self.B.alliance_earn(self.card_b.code, 3000.0, "self-1")
        self.B.alliance_earn(self.card_b.code, 3000.0, "self-1b")
        self.B.alliance_redeem(self.card_b.code, 5700, "self-2", self._proof(self.card_b))
        self.A.alliance_earn(self.card_a.code, 300.0, "honest")
        self.B.alliance_redeem(self.card_a.code, 300, "honest-2", self._proof(self.card_a))
        alerts = self._scan()
        dealing = alerts.filtered(lambda a: a.kind == "self_dealing")
        self.assertEqual((dealing.merchant_id, dealing.severity, dealing.value), (self.merchant_b, "high", 95))
        # In money: reimbursed ¥8 per 1,000 for 5,700 points it issued itself.
        self.assertIn("5700", dealing.detail)
        self.assertIn("45.6", dealing.detail)
        self.assertNotIn(self.merchant_a, alerts.merchant_id)
        # A second scan raises nothing new.
        self.assertFalse(self._scan())

    def test_a_velocity_burst_on_a_card_is_flagged(self):
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.alert_card_per_hour", "10")
        self.A.alliance_earn(self.card_a.code, 1000.0, "burst-seed")
        # Twelve payments ten seconds apart: each with the member's next payment code.
        start = alliance_card_auth.time.time()
        for i in range(12):
            with patch.object(alliance_card_auth.time, "time", return_value=start + 10 * i):
                self.A.alliance_redeem(self.card_a.code, 5, f"burst-{i}", self._proof(self.card_a))
        alerts = self._scan()
        burst = alerts.filtered(lambda a: a.kind == "velocity_card")
        self.assertEqual((burst.card_id, burst.merchant_id, burst.value), (self.card_a, self.merchant_a, 13))
        cashier = alerts.filtered(lambda a: a.kind == "velocity_cashier")
        self.assertFalse(cashier)  # 13 in an hour is far below a cashier's threshold

    def test_spend_right_after_a_large_api_earn(self):
        self.A.alliance_earn(self.card_a.code, 5000.0, "big-api")
        self.B.alliance_redeem(self.card_a.code, 4000, "spent-fast", self._proof(self.card_a))
        alert = self._scan().filtered(lambda a: a.kind == "spend_after_api_earn")
        self.assertEqual((alert.merchant_id, alert.value, alert.severity), (self.merchant_a, 4000, "high"))

    def test_earn_refund_loops(self):
        for i in range(3):
            self.A.alliance_earn(self.card_a.code, 100.0, f"loop-{i}")
            self.A.alliance_reverse(f"loop-{i}")
        alert = self._scan().filtered(lambda a: a.kind == "refund_loop")
        self.assertEqual((alert.card_id, alert.value), (self.card_a, 3))

    def test_large_adjustment_and_review(self):
        wizard = (
            self.env["alliance.points.adjust"]
            .with_user(self.user_operator)
            .create({"card_id": self.card_a.id, "points": 20000, "reason": "goodwill"})
        )
        wizard.action_apply()
        alert = self.Alert.search([("kind", "=", "large_adjustment")])
        self.assertEqual((alert.card_id, alert.value, alert.state), (self.card_a, 20000, "open"))
        # Merchants see no alert at all; the accountant reads them; the operator reviews.
        for user in (self.user_a_cashier, self.user_a_manager):
            with self.assertRaises(AccessError):
                alert.with_user(user).read(["name"])
        self.assertEqual(alert.with_user(self.user_accountant).read(["name"])[0]["id"], alert.id)
        with self.assertRaises(AccessError):
            alert.with_user(self.user_accountant).action_dismiss()
        with self.assertRaisesRegex(UserError, "review note"):
            alert.with_user(self.user_operator).action_dismiss()
        with self.assertRaisesRegex(UserError, "through its review"):
            alert.with_user(self.user_operator).write({"state": "dismissed"})
        alert.with_user(self.user_operator).write({"review_note": "agreed with the member after a complaint"})
        alert.with_user(self.user_operator).action_dismiss()
        self.assertEqual((alert.state, alert.reviewer_id), ("dismissed", self.user_operator))
