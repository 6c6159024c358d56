"""The dashboards: the figures against the ledger, who opens which, and the two pages in a browser."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ReportCase, ReportHttpCase


@tagged("post_install", "-at_install")
class TestDashboard(ReportCase):
    def test_merchant_figures_hand_computed(self):
        board = self.env["alliance.dashboard"]._get_merchant_figures(self.merchant_c)
        # C this month: B's member bought ¥300, A's member paid 150 points; C enrolled no one.
        self.assertEqual(
            board["this"],
            {
                "sales": 300.0,
                "member": 2,
                "new_members": 0,
                "points_issued": 300,
                "points_accepted": 150,
                # 300 points billed at ¥10 per 1,000, 150 reimbursed at ¥8: ¥1.80 owed to the operator.
                "amount_due": 1.8,
            },
        )
        self.assertEqual(board["last"]["sales"], 0.0)
        self.assertEqual(
            [(name, members, sales) for name, members, sales in board["sources"]],
            [("Test Merchant B", 1, 300.0), ("Test Merchant A", 1, 0.0)],
        )

    def test_operator_figures_follow_the_ledger(self):
        Board = self.env["alliance.dashboard"]
        before = Board._get_operator_figures()
        self.env.flush_all()
        self.env.cr.execute("SELECT COALESCE(SUM(balance), 0) FROM alliance_card")
        self.assertEqual(before["liability_points"], self.env.cr.fetchone()[0])
        # 1,000 more points issued by A at ¥10 per 1,000: ¥10.00 more liability.
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 1000.0, "dash-1")
        after = Board._get_operator_figures()
        self.assertEqual(after["liability_points"] - before["liability_points"], 1000)
        self.assertAlmostEqual(after["liability_value"] - before["liability_value"], 10.0, places=2)
        # Every merchant's month, then the board's five that issued most: the demo data's merchants issue
        # this month too, and may outrank the test's.
        _last, this_start, next_start = Board._get_month_starts()
        every = {
            merchant_id: (issued, accepted)
            for merchant_id, issued, accepted, _expired in Board._get_points_moved(
                this_start, next_start, by_merchant=True
            )
        }
        self.assertEqual(every[self.merchant_a.id], (1100, 0))
        self.assertEqual(every[self.merchant_c.id], (300, 150))
        top = after["top"]
        self.assertEqual(len(top), min(5, len(every)))
        self.assertEqual([(issued, accepted) for merchant, issued, accepted in top], [every[m.id] for m, _i, _a in top])
        issued_top = [issued for _merchant, issued, _accepted in top]
        self.assertEqual(issued_top, sorted(issued_top, reverse=True))
        others = [issued for merchant_id, (issued, _a) in every.items() if merchant_id not in {m.id for m, *_ in top}]
        self.assertLessEqual(max(others, default=0), issued_top[-1])

    def test_who_opens_which(self):
        Board = self.env["alliance.dashboard"]
        own = Board.with_user(self.user_c_manager).with_company(self.company_c)
        action = own.action_open("merchant")
        board = own.browse(action["res_id"])
        self.assertEqual((board.merchant_id, board.sales_this, board.accepted_this), (self.merchant_c, 300.0, 150))
        # Another merchant's figures, asked for by id: refused, and the board keeps its merchant.
        with self.assertRaises(AccessError):
            own.create({"scope": "merchant", "merchant_id": self.merchant_a.id})
        with self.assertRaises(AccessError):
            board.write({"merchant_id": self.merchant_a.id})
        self.assertEqual(board.merchant_id, self.merchant_c)
        # The operator's figures are its accountants'.
        with self.assertRaises(UserError):
            own.action_open("operator")
        with self.assertRaises(UserError):
            own.create({"scope": "operator"})
        operator = Board.with_user(self.user_accountant).action_open("operator")
        self.assertTrue(Board.with_user(self.user_accountant).browse(operator["res_id"]).liability_points)
        # Cashiers open no dashboard.
        with self.assertRaises(AccessError):
            Board.with_user(self.user_c_cashier).with_company(self.company_c).action_open("merchant")


@tagged("post_install", "-at_install")
class TestMonthReport(ReportCase):
    def test_the_pdf_of_the_month(self):
        Report = self.env["ir.actions.report"].with_user(self.user_c_manager).with_company(self.company_c)
        ref = "alliance_settlement.action_report_merchant_month"
        month = {"month": self.today.strftime("%Y-%m")}
        html = Report._render_qweb_html(ref, self.merchant_c.ids, data=month)[0].decode()
        self.assertIn("o_alliance_month_chart", html)
        # One bar per day of the month; today's is the only one with sales (¥300), drawn full height.
        self.assertEqual(
            html.count("<rect") - html.count('fill="#017E84"'),
            self.next_month.date_from.day and (self.next_month.date_from - self.this_month.date_from).days,
        )
        self.assertIn('height="160.0"', html)
        self.assertIn("Test Merchant B", html)
        # This machine's wkhtmltopdf is built without patched Qt: it warns about the header and footer it
        # ignores; the PDF is made all the same.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
                ref, self.merchant_c.ids, data=month
            )[0]
        self.assertEqual(pdf[:5], b"%PDF-")
        # Another merchant's report: refused.
        with self.assertRaises(AccessError):
            Report._render_qweb_html(ref, self.merchant_a.ids, data=month)
        with self.assertRaises(UserError):
            Report._render_qweb_html(ref, self.merchant_c.ids, data={"month": "2026-13"})


@tagged("post_install", "-at_install")
class TestDashboardTourOperator(ReportHttpCase):
    def test_operator_dashboard(self):
        self.start_tour("/odoo/alliance-dashboard", "alliance_operator_dashboard_tour", login="t_accountant")


@tagged("post_install", "-at_install")
class TestDashboardTourPortal(ReportHttpCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_merchant_dashboard_on_a_phone(self):
        # B's member buys ¥60 at A: A sees where that customer came from.
        self._as(self.user_a_cashier).alliance_earn(self.card_b.code, 60.0, "dash-portal-1")
        self.start_tour("/my/alliance/merchant", "alliance_merchant_dashboard_portal_tour", login="t_portal_merchant")
        # Last month's report as a PDF, for its own merchant.
        self.authenticate("t_portal_merchant", "t_portal_merchant")
        # Both pages read only: a replica serves them when Odoo has one.
        self.assertIn("Test Merchant A", self.assertServedReadonly("/my/alliance/dashboard").text)
        response = self.assertServedReadonly("/my/alliance/dashboard/pdf")
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # Under tests Odoo hands over the report's HTML instead of running wkhtmltopdf (TestMonthReport runs it).
        self.assertIn(b"o_alliance_month_report", response.content)
        self.assertIn(b"Test Merchant A", response.content)


@tagged("post_install", "-at_install")
class TestReadonlyReads(ReportHttpCase):
    """The web client's reads of the reports and dashboards are served read-only (a replica's, when Odoo has one)."""

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_a_managers_pivot_and_dashboard_are_read_only(self):
        self.authenticate("t_c_manager", "t_c_manager")
        with self.assertNoReadWriteRetry():
            groups = self._call(
                "alliance.report.merchant",
                "formatted_read_group",
                [],
                groupby=["merchant_id"],
                aggregates=["points_issued:sum", "points_accepted:sum", "member:count_distinct"],
            )
        # C's rows alone, as its rule leaves them: B's member's 300 points at C, A's member's 150 paid there.
        self.assertEqual(
            [(g["merchant_id"][1], g["points_issued:sum"], g["points_accepted:sum"]) for g in groups],
            [("Test Merchant C", 300, 150)],
        )
        # Opening the dashboard writes its (transient) row; reading its figures is read-only.
        [board_id] = self._call(
            "alliance.dashboard", "create", [{"scope": "merchant", "merchant_id": self.merchant_c.id}]
        )
        with self.assertNoReadWriteRetry():
            [board] = self._call(
                "alliance.dashboard", "web_read", [board_id], specification={"issued_this": {}, "accepted_this": {}}
            )
        self.assertEqual((board["issued_this"], board["accepted_this"]), (300, 150))
