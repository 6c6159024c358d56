"""A coupon funded by A and accepted at B, an operator's coupon, a sponsored gift: statements and books."""

import io

import openpyxl

from odoo.tests import tagged

from .common import GiftCase
from .test_coupon import CouponMixin


@tagged("post_install", "-at_install")
class TestCouponSettlement(CouponMixin, GiftCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.books = cls.operator._alliance_ensure_settlement_books()

    def _balances(self, moves):
        balances = {}
        for line in moves.line_ids:
            balances[line.account_id] = balances.get(line.account_id, 0.0) + line.balance
        return {account: round(balance, 2) for account, balance in balances.items() if round(balance, 2)}

    def _post(self):
        statements = self._build(self.this_month)
        mine = statements.filtered(lambda s: s.merchant_id in (self.merchant_a | self.merchant_b))
        mine.with_user(self.user_accountant).action_confirm()
        mine.with_user(self.user_accountant).action_post()
        return self._statement(self.this_month, self.merchant_a), self._statement(self.this_month, self.merchant_b)

    def test_funded_by_a_accepted_at_b_in_the_books(self):
        # Two of A's coupons used at B, one given back by a refund; one of the operator's used at B.
        first, second = self._issue(), self._issue()
        self._sale_with_coupon(first, 120.0)
        order = self._sale_with_coupon(second, 150.0)
        lines = [
            {**self._pos_line(line.product_id, -1, line.price_unit), "refunded_orderline_id": line.id}
            for line in order.lines
        ]
        self._pos_sync(self.merchant_b, False, 0, user=self.user_b_cashier, lines=lines)
        self._sale_with_coupon(self._issue(self.tpl_operator), 100.0)
        # A's own coupon used at A: A's discount, nothing to clear.
        self.tpl_a.merchant_ids |= self.merchant_a
        own = self._issue()
        self._apply(own, 120.0, "own-order", user=self.user_a_cashier)
        a, b = self._post()
        self.assertEqual(self._lines(a)["coupon_out"], (1, 20.0))
        self.assertEqual(self._lines(b)["coupon_in"], (2, -30.0), "A's ¥20 and the operator's ¥10")
        self.assertEqual(
            (a.amount_coupon_charged, b.amount_coupon_reimbursed, b.amount_coupon_operator), (20.0, 30.0, 10.0)
        )
        clearing = self.operator.alliance_coupon_account_id
        marketing = self.operator.alliance_marketing_account_id
        receivable = self.company_a.partner_id.with_company(self.operator).property_account_receivable_id
        # A: invoiced ¥20 into the coupon clearing account.
        self.assertEqual(self._balances(a.move_ids), {receivable: 20.0, clearing: -20.0})
        # B: billed to the operator: ¥20 out of the clearing account, ¥10 of the operator's marketing.
        b_balances = self._balances(b.move_ids)
        self.assertEqual((b_balances[clearing], b_balances[marketing]), (20.0, 10.0))
        self.assertFalse(self._balances(a.move_ids | b.move_ids).get(clearing), "the clearing account nets to zero")
        # The spreadsheet and the PDF carry them.
        book = openpyxl.load_workbook(io.BytesIO(self.env["alliance.settlement.xlsx"]._write(a | b)))
        summary = list(book.worksheets[0].iter_rows(values_only=True))
        header = summary[0]
        self.assertEqual(summary[2][header.index("Coupons Reimbursed")], 30.0)
        self.assertEqual(summary[1][header.index("Coupons Charged")], 20.0)
        kinds = [row[1] for row in book.worksheets[1].iter_rows(values_only=True)]
        self.assertIn("Coupons Accepted for Others", kinds)
        html = self.env["ir.actions.report"]._render_qweb_html("alliance_settlement.action_report_statement", b.ids)[0]
        # In the merchant's language: 代收其他方电子券 (2 张).
        self.assertIn("代收其他方电子券", html.decode())
        self.assertIn("2 张", html.decode())
        # Each merchant's manager reads the uses it accepted or funded, and never a member's coupon code.
        Use = self.env["alliance.coupon.use"].with_user(self.user_a_manager)
        rows = Use.search_read([], ["amount", "reimburse_amount", "merchant_id", "funder_id", "template_id"])
        self.assertEqual(sorted(row["amount"] for row in rows), [-20.0, 20.0, 20.0])
        # Settled once: the next build has no coupons left for either.
        next_month = self._build(self.next_month)
        self.assertFalse(any(line.kind.startswith("coupon") for line in next_month.line_ids))
        uses = self.env["alliance.coupon.use"].search([("coupon_id", "in", (first | second).ids)])
        self.assertEqual(set(uses.mapped("settlement_id")), {b})
        self.assertEqual(set(uses.mapped("funder_settlement_id")), {a})

    def test_cancelled_statement_unlocks_its_coupons(self):
        self._sale_with_coupon(self._issue(), 120.0)
        a, _b = self._post()
        self.assertTrue(a.move_ids)
        a.move_ids.button_draft()
        a.move_ids.button_cancel()
        a.with_user(self.user_accountant).action_cancel()
        self.assertFalse(self.env["alliance.coupon.use"].search([("funder_settlement_id", "=", a.id)]))
        again = self._build(self.this_month).filtered(lambda s: s.merchant_id == self.merchant_a)
        self.assertEqual(self._lines(again)["coupon_out"], (1, 20.0))

    def test_sponsor_credited_for_gifts_handed_over(self):
        order = self._place([{"product_id": self.cream.id, "qty": 2}], pickup=self.merchant_b)
        self.assertEqual(order.sudo().sponsor_credit, 24.0)
        _a, b = self._post()
        self.assertNotIn("gift_credit", self._lines(b), "not handed over yet")
        b.with_user(self.user_accountant).action_cancel() if b.stage == "draft" else None
        self.Order.with_user(self.user_b_cashier).with_company(self.company_b).alliance_hand_over(order.sudo().code)
        statement = self._build(self.next_month).filtered(lambda s: s.merchant_id == self.merchant_b)
        self.assertEqual(self._lines(statement)["gift_credit"], (1, -24.0))
        statement.with_user(self.user_accountant).action_confirm()
        statement.with_user(self.user_accountant).action_post()
        gift_cost = self.operator.alliance_gift_cost_account_id
        self.assertEqual(self._balances(statement.move_ids)[gift_cost], 24.0)
