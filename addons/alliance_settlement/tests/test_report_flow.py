"""The flow matrix on a small alliance, hand-computed: A's members at B and C, B's at C, a refund."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SettlementCase


@tagged("post_install", "-at_install")
class TestReportFlow(SettlementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.merchant_c = env["alliance.merchant"].create({"name": "Test Merchant C", "code": "TC"})
        cls.merchant_c.action_activate()
        cls.company_c = cls.merchant_c.company_id
        ctx = {"no_reset_password": True, "lang": "en_US"}
        cls.user_c_cashier = new_test_user(
            env,
            "t_c_cashier",
            groups="base.group_user,alliance_member.group_alliance_cashier",
            company_id=cls.company_c.id,
            context=ctx,
        )
        cls.user_c_manager = new_test_user(
            env,
            "t_c_manager",
            groups="base.group_user,alliance_member.group_alliance_merchant_manager",
            company_id=cls.company_c.id,
            company_ids=[Command.set(cls.company_c.ids)],
            context=ctx,
        )
        card_a2 = env["alliance.card"].browse(cls._enrol(cls.user_a_cashier, "王五", "13907319055")["card_id"])
        A, B, C = cls.user_a_cashier, cls.user_b_cashier, cls.user_c_cashier

        def card(user):
            return env["alliance.card"].with_user(user).with_company(user.company_id)

        card(A).alliance_earn(cls.card_a.code, 100.0, "flow-a-1")
        card(B).alliance_earn(cls.card_a.code, 200.0, "flow-b-1")
        card(B).alliance_earn(card_a2.code, 50.0, "flow-b-2")
        card(B).alliance_reverse("flow-b-2")
        proof = {"code": env["alliance.card.auth"]._get_for(cls.card_a)._issue_payment_code()}
        card(C).alliance_redeem(cls.card_a.code, 150, "flow-c-1", proof)
        card(B).alliance_earn(cls.card_b.code, 100.0, "flow-b-3")
        card(C).alliance_earn(cls.card_b.code, 300.0, "flow-c-2")
        cls.merchants = cls.merchant_a | cls.merchant_b | cls.merchant_c

    def _matrix(self, user=None):
        Flow = self.env["alliance.report.flow"]
        if user:
            Flow = Flow.with_user(user).with_company(user.company_id)
        rows = Flow.search(
            [("source_merchant_id", "in", self.merchants.ids), ("dest_merchant_id", "in", self.merchants.ids)]
        )
        return {
            (r.source_name[-1], r.dest_name[-1]): (
                r.members,
                r.visits,
                r.sales,
                r.points_earned,
                r.points_accepted,
            )
            for r in rows
        }

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
