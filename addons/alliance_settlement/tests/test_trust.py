"""The statements hold against a dishonest counter: no claw-back, no posting past open alerts."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SettlementCase


@tagged("post_install", "-at_install")
class TestSettlementTrust(SettlementCase):
    def test_refund_after_the_points_were_spent_elsewhere_leaves_the_issuer_charged(self):
        """A gives 1,000, the member spends 700 at B, A reverses its earn: A stays billed for the 700."""
        A, B = self._as(self.user_a_cashier), self._as(self.user_b_cashier)
        A.alliance_earn(self.card_a.code, 1000.0, "A-1")
        B.alliance_redeem(self.card_a.code, 700, "B-1", self._proof(self.card_a))
        A.alliance_reverse("A-1")
        self.assertEqual((self.card_a.balance, self.card_a.debt_points), (0, 700))
        self._build(self.this_month)
        a = self._statement(self.this_month, self.merchant_a)
        b = self._statement(self.this_month, self.merchant_b)
        # The operator pays B ¥5.60 for the 700 points: A pays ¥7.00 for them, not nothing.
        self.assertEqual((a.points_issued, a.amount_issued), (700, 7.0))
        self.assertEqual((b.points_redeemed, b.amount_reimbursed), (700, 5.6))
        self.assertLedgerConsistent(self.card_a)

    def test_open_high_alerts_hold_the_statement_until_reviewed(self):
        B = self._as(self.user_b_cashier)
        B.alliance_earn(self.card_b.code, 3000.0, "self-1")
        B.alliance_earn(self.card_b.code, 3000.0, "self-2")
        B.alliance_redeem(self.card_b.code, 6000, "self-3", self._proof(self.card_b))
        alerts = self.env["alliance.risk.scan"]._cron_scan(fields.Datetime.now() + timedelta(minutes=1))
        dealing = alerts.filtered(lambda a: a.kind == "self_dealing")
        self.assertEqual(dealing.merchant_id, self.merchant_b)
        self._build(self.this_month)
        b = self._statement(self.this_month, self.merchant_b)
        b.with_user(self.user_accountant).action_confirm()
        with self.assertRaisesRegex(UserError, "open high-severity risk alerts"):
            b.with_user(self.user_accountant).action_post()
        self.assertEqual((b.state, b.move_ids), ("confirmed", self.env["account.move"]))
        dealing.with_user(self.user_operator).write({"review_note": "B's own staff cards; contract reminded"})
        dealing.with_user(self.user_operator).action_confirm()
        b.with_user(self.user_accountant).action_post()
        self.assertEqual(b.state, "posted")
