"""The flow matrix on a small alliance, hand-computed: A's members at B and C, B's at C, a refund."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ReportCase


@tagged("post_install", "-at_install")
class TestReportFlow(ReportCase):
    def _matrix(self, user=None):
        Flow = self.env["alliance.report.flow"]
        if user:
            Flow = Flow.with_user(user).with_company(user.company_id)
        groups = Flow._read_group(
            [("source_merchant_id", "in", self.merchants.ids), ("dest_merchant_id", "in", self.merchants.ids)],
            ["source_name", "dest_name"],
            [
                "members:count_distinct",
                "visits:sum",
                "sales:sum",
                "points_earned:sum",
                "points_accepted:sum",
            ],
        )
        return {(source[-1], dest[-1]): tuple(values) for source, dest, *values in groups}

    def test_hand_computed(self):
        # (members, visits, sales, points earned, points accepted); 1 point per yuan.
        self.assertEqual(
            self._matrix(),
            {
                ("A", "A"): (1, 1, 100.0, 100, 0),
                # Two of A's members bought at B; one purchase (¥50) was refunded: its sale and points are gone.
                ("A", "B"): (2, 2, 200.0, 200, 0),
                ("A", "C"): (1, 0, 0.0, 0, 150),
                ("B", "B"): (1, 1, 100.0, 100, 0),
                ("B", "C"): (1, 1, 300.0, 300, 0),
            },
        )

    def test_money(self):
        """C took 150 of A's members' points: the operator pays it ¥8 per 1,000, ¥1.20."""
        [(paid,)] = self.env["alliance.report.flow"]._read_group(
            [("source_merchant_id", "=", self.merchant_a.id), ("dest_merchant_id", "=", self.merchant_c.id)],
            [],
            ["amount_reimbursed:sum"],
        )
        self.assertEqual(paid, 1.2)
        statements = self._build(self.this_month)
        self.assertEqual(statements.filtered(lambda s: s.merchant_id == self.merchant_c).amount_reimbursed, 1.2)

    def test_equals_the_ledger_and_the_statements(self):
        Flow = self.env["alliance.report.flow"]
        statements = self._build(self.this_month)
        for merchant in self.merchants:
            rows = Flow.search([("dest_merchant_id", "=", merchant.id)])
            statement = statements.filtered(lambda s, m=merchant: s.merchant_id == m)
            self.assertEqual(sum(rows.mapped("points_accepted")), statement.points_redeemed, merchant.name)
            self.assertEqual(sum(rows.mapped("points_earned")), statement.points_issued, merchant.name)
            entries = self.env["alliance.points.entry"].search(
                [("merchant_id", "=", merchant.id), ("entry_type", "=", "earn")]
            )
            self.assertEqual(len(entries), sum(rows.mapped("visits")), merchant.name)

    def test_who_sees_what(self):
        # C sees who sends it customers (A's and B's members at C); never A's members at B.
        self.assertEqual(set(self._matrix(self.user_c_manager)), {("A", "C"), ("B", "C")})
        self.assertEqual(set(self._matrix(self.user_a_manager)), {("A", "A"), ("A", "B"), ("A", "C")})
        self.assertEqual(len(self._matrix(self.user_accountant)), 5)
        # Grouped as a pivot would: the totals C sees are its own pairs' only.
        groups = (
            self.env["alliance.report.flow"]
            .with_user(self.user_c_manager)
            .with_company(self.company_c)
            ._read_group([("dest_merchant_id", "in", self.merchants.ids)], ["source_merchant_id"], ["sales:sum"])
        )
        self.assertEqual(sum(total for _source, total in groups), 300.0)
        # Cashiers see no reports.
        for user in (self.user_a_cashier, self.user_c_cashier):
            with self.assertRaises(AccessError):
                self.env["alliance.report.flow"].with_user(user).search([])
