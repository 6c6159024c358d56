"""Merchant activity and members, hand-computed on the small alliance, against the ledger and the statements."""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ReportCase

MEASURES = [
    "orders",
    "refunds",
    "sales",
    "gross_amount",
    "discount_amount",
    "sales_points",
    "member",
    "new_members",
    "points_issued",
    "points_accepted",
    "points_expired",
    "value_issued",
    "amount_reimbursed",
    "amount_commission",
    "amount_due",
]


@tagged("post_install", "-at_install")
class TestReportMerchant(ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # On top of the flow's events: B takes 2% commission on member sales (set before its sales count).
        cls.merchant_b.commission_rate = 2.0
        # A's member buys ¥80 at B's counter, then brings it back.
        sale = cls._pos_sync(cls, cls.merchant_b, cls.card_a, 80.0)
        cls._pos_sync(cls, cls.merchant_b, None, -80.0, refund_of=sale)
        # B's member earned 500 at A three months ago; the points lived a month and expired.
        env["ir.config_parameter"].sudo().set_param("alliance_points.expiry_months", "1")
        long_ago = fields.Datetime.now() - relativedelta(months=3)
        env["alliance.points.service"]._earn(cls.card_b, cls.merchant_a, 500.0, "report-old", date=long_ago)
        env["alliance.points.service"]._expire_batch()
        cls.merchants.invalidate_recordset()

    def _figures(self, user=None, domain=()):
        Report = self.env["alliance.report.merchant"]
        if user:
            Report = Report.with_user(user).with_company(user.company_id)
        groups = Report._read_group(
            [("merchant_id", "in", self.merchants.ids), *domain],
            ["merchant_id"],
            [f"{name}:{Report._fields[name].aggregator}" for name in MEASURES],
        )
        return {merchant.name[-1]: dict(zip(MEASURES, values, strict=True)) for merchant, *values in groups}

    def test_hand_computed(self):
        figures = self._figures()
        self.assertEqual(
            figures["A"],
            {
                # ¥100 through the API today, ¥500 three months ago; those 500 points expired.
                "orders": 2,
                "refunds": 0,
                "sales": 600.0,
                "gross_amount": 600.0,
                "discount_amount": 0.0,
                "sales_points": 600.0,
                "member": 2,
                "new_members": 2,
                "points_issued": 600,
                "points_accepted": 0,
                "points_expired": 500,
                "value_issued": 6.0,
                "amount_reimbursed": 0.0,
                "amount_commission": 0.0,
                # Postpaid: the 600 points issued are billed at ¥10 per 1,000.
                "amount_due": 6.0,
            },
        )
        self.assertEqual(
            figures["B"],
            {
                # Three API purchases (one refunded) and one at the counter (refunded).
                "orders": 4,
                "refunds": 2,
                "sales": 300.0,
                "gross_amount": 300.0,
                "discount_amount": 0.0,
                "sales_points": 300.0,
                "member": 3,
                "new_members": 1,
                "points_issued": 300,
                "points_accepted": 0,
                "points_expired": 0,
                "value_issued": 3.0,
                "amount_reimbursed": 0.0,
                "amount_commission": 6.0,
                "amount_due": 9.0,
            },
        )
        self.assertEqual(
            figures["C"],
            {
                "orders": 1,
                "refunds": 0,
                "sales": 300.0,
                "gross_amount": 300.0,
                "discount_amount": 0.0,
                "sales_points": 300.0,
                "member": 2,
                "new_members": 0,
                "points_issued": 300,
                "points_accepted": 150,
                "points_expired": 0,
                "value_issued": 3.0,
                # 150 points accepted at ¥8 per 1,000.
                "amount_reimbursed": 1.2,
                "amount_commission": 0.0,
                "amount_due": 1.8,
            },
        )

    def test_by_month(self):
        """The expired purchase is three months old: this month holds the rest."""
        start = fields.Datetime.to_string(
            self.env["alliance.settlement.clearing"]._period_end(self.this_month) - relativedelta(months=1)
        )
        figures = self._figures(domain=[("date", ">=", start)])
        self.assertEqual(figures["A"]["sales"], 100.0)
        self.assertEqual(figures["A"]["orders"], 1)
        # The expiry ran today: it is today's, like the statement that shows it.
        self.assertEqual(figures["A"]["points_expired"], 500)
        # 张三 bought at A this month; 李四's purchase there was three months ago.
        self.assertEqual(figures["A"]["member"], 1)
        self.assertEqual(figures["B"]["member"], 3)

    def test_equals_the_ledger_and_the_statements(self):
        statements = self._build(self.this_month)
        figures = self._figures()
        for merchant in self.merchants:
            statement = statements.filtered(lambda s, m=merchant: s.merchant_id == m)
            mine = figures[merchant.name[-1]]
            self.assertEqual(mine["points_issued"], statement.points_issued, merchant.name)
            self.assertEqual(mine["points_accepted"], statement.points_redeemed, merchant.name)
            self.assertEqual(mine["points_expired"], statement.points_expired, merchant.name)
            self.assertEqual(mine["amount_reimbursed"], statement.amount_reimbursed, merchant.name)
            self.assertEqual(mine["amount_commission"], statement.amount_commission, merchant.name)
            self.assertEqual(mine["amount_due"], statement.amount_net, merchant.name)
            entries = self.env["alliance.points.entry"].search([("merchant_id", "=", merchant.id)])
            self.assertEqual(
                mine["points_issued"] - mine["points_accepted"] - mine["points_expired"],
                sum(entries.mapped("points")),
                merchant.name,
            )

    def test_who_sees_what(self):
        self.assertEqual(set(self._figures(self.user_c_manager)), {"C"})
        self.assertEqual(set(self._figures(self.user_a_manager)), {"A"})
        self.assertEqual(set(self._figures(self.user_accountant)), {"A", "B", "C"})
        # Asking for another merchant's rows by id finds none.
        self.assertFalse(
            self.env["alliance.report.merchant"]
            .with_user(self.user_c_manager)
            .with_company(self.company_c)
            .search([("merchant_id", "=", self.merchant_a.id)])
        )
        for user in (self.user_a_cashier, self.user_c_cashier):
            for model in ("alliance.report.merchant", "alliance.report.member"):
                with self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])


@tagged("post_install", "-at_install")
class TestReportMember(ReportCase):
    def _states(self, user=None, domain=()):
        Report = self.env["alliance.report.member"]
        if user:
            Report = Report.with_user(user).with_company(user.company_id)
        rows = Report.search([("merchant_id", "in", self.merchants.ids), *domain])
        return {(r.merchant_id.name[-1], r.state, r.visited_elsewhere) for r in rows}, len(rows)

    def test_active_and_dormant(self):
        self.env["ir.config_parameter"].sudo().set_param("alliance_settlement.dormant_days", "30")
        # 王五 enrolled and last bought 60 days ago.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE alliance_card SET create_date = create_date - interval '60 days' WHERE id = %s", [self.card_a2.id]
        )
        self.env.cr.execute(
            "UPDATE alliance_points_entry SET date = date - interval '60 days' WHERE card_id = %s", [self.card_a2.id]
        )
        # The card's last visit follows its ledger, as an upgrade sets it.
        self.assertEqual(self.env["alliance.card"]._alliance_recompute_visits(), 1)
        report = self.env["alliance.report.member"]
        dormant = report.search([("merchant_id", "=", self.merchant_a.id), ("state", "=", "dormant")])
        self.assertEqual(dormant.ids, [self.card_a2.partner_id.id])
        self.assertEqual(
            report.search_count([("merchant_id", "=", self.merchant_a.id), ("state", "=", "active")]),
            report.search_count([("merchant_id", "=", self.merchant_a.id)]) - 1,
        )
        # Counted by where they enrolled: A's two members both bought elsewhere (at B).
        elsewhere = report.search([("id", "in", (self.card_a.partner_id | self.card_a2.partner_id).ids)])
        self.assertEqual(elsewhere.mapped("visited_elsewhere"), [True, True])
        self.assertEqual(set(elsewhere.mapped("merchant_id.name")), {self.merchant_a.name})
        # A setting of 90 days: 王五 is active again, without an upgrade.
        self.env["ir.config_parameter"].sudo().set_param("alliance_settlement.dormant_days", "90")
        self.env.flush_all()
        self.assertFalse(report.search([("merchant_id", "=", self.merchant_a.id), ("state", "=", "dormant")]))

    def test_who_sees_what(self):
        seen, count = self._states(self.user_a_manager)
        self.assertEqual({merchant for merchant, _s, _e in seen}, {"A"})
        self.assertGreaterEqual(count, 2)
        # C enrolled no one: it sees no member, though A's members buy there.
        self.assertEqual(self._states(self.user_c_manager), (set(), 0))
        # Counts, never names: the report has no field to read a member by.
        fields_ = self.env["alliance.report.member"]._fields
        self.assertFalse({"partner_id", "name", "phone"} & set(fields_))
