"""The statements hold against a dishonest counter: no claw-back, no posting past open alerts."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
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


@tagged("post_install", "-at_install")
class TestBooksSealed(SettlementCase):
    def setUp(self):
        super().setUp()
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 1000.0, "A-1")
        self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 600, "B-1", self._proof(self.card_a))
        self.statements = self._build(self.this_month)
        self.a = self._statement(self.this_month, self.merchant_a)

    def test_the_operators_figures_are_the_operators(self):
        Period = self.env["alliance.settlement.period"]
        for user in (self.user_a_manager, self.user_portal_merchant):
            period = Period.with_user(user).browse(self.this_month.id)
            for field in ("amount_margin", "amount_breakage", "outstanding_points", "outstanding_value"):
                with self.assertRaises(AccessError, msg=f"{user.login} reads {field}"):
                    period.read([field])
            # What is the merchant's own is still its to read.
            self.assertEqual(period.read(["points_issued"])[0]["points_issued"], 1000)
        figures = Period.with_user(self.user_accountant).browse(self.this_month.id).read(["outstanding_points"])
        held = sum(self.env["alliance.points.lot"].search([]).mapped("remaining"))
        self.assertEqual(figures[0]["outstanding_points"], held)

    def test_a_confirmed_statement_is_immutable(self):
        Statement = self.env["alliance.settlement.statement"].with_user(self.user_accountant)
        a = Statement.browse(self.a.id)
        a.action_confirm()
        for vals in ({"amount_net": 0.0}, {"points_issued": 1}, {"stage": "draft"}, {"move_ids": [(5, 0, 0)]}):
            with self.assertRaisesRegex(UserError, "changes only through its actions"):
                a.write(vals)
        with self.assertRaises(AccessError):
            self.env["alliance.settlement.line"].with_user(self.user_accountant).create(
                {"statement_id": a.id, "kind": "commission", "amount": -1000.0}
            )
        with self.assertRaises(AccessError):
            a.line_ids[:1].write({"amount": 0.0})
        with self.assertRaisesRegex(UserError, "built from the ledger"):
            Statement.create({"period_id": self.this_month.id, "merchant_id": self.merchant_a.id})
        self.assertEqual((a.stage, a.points_issued, a.amount_issued), ("confirmed", 1000, 10.0))
        # Who confirmed, and when, is in the statement's history.
        confirmed = a.message_ids.filtered(lambda m: "Confirmed" in (m.body or ""))
        self.assertEqual(confirmed.author_id, self.user_accountant.partner_id)
        self.assertTrue(confirmed.date)

    def test_the_operator_posts_from_any_of_its_companies(self):
        operator = self.user_operator.with_company(self.company_a)
        self.assertEqual(operator.env.company, self.company_a)
        a = self.env["alliance.settlement.statement"].with_user(operator).with_company(self.company_a).browse(self.a.id)
        a.action_confirm()
        a.action_post()
        self.assertEqual(a.state, "posted")
        self.assertEqual(a.sudo().move_ids.company_id, self.operator)
