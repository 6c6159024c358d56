"""Staff commission (员工提成): two cashiers of one merchant over a month, hand-computed, and its export."""

import io
import json

import openpyxl

from odoo import Command, http
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SettlementCase, SettlementHttpCase


class StaffMixin:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        ctx = {"no_reset_password": True, "lang": "en_US"}
        cls.user_a_cashier2 = new_test_user(
            env,
            "t_a_cashier2",
            name="收银员 小刘",
            groups="base.group_user,alliance_member.group_alliance_cashier",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
            context=ctx,
        )
        cls.user_b_manager = new_test_user(
            env,
            "t_b_manager_staff",
            groups="base.group_user,alliance_member.group_alliance_merchant_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
            context=ctx,
        )
        cls.user_a_cashier.name = "收银员 小陈"
        Rule = env["alliance.staff.commission.rule"].with_user(cls.user_a_manager).with_company(cls.company_a)
        # A pays 2% of members' sales, ¥5 per member enrolled, ¥1 per payment with points.
        Rule.create({"event": "sale", "kind": "percent", "percent": 2.0})
        Rule.create({"event": "enrol", "kind": "fixed", "amount": 5.0})
        Rule.create({"event": "redeem", "kind": "fixed", "amount": 1.0})
        # B pays its staff too; A never sees it.
        env["alliance.staff.commission.rule"].with_user(cls.user_b_manager).with_company(cls.company_b).create(
            {"event": "sale", "kind": "percent", "percent": 10.0}
        )
        chen, liu = cls.user_a_cashier, cls.user_a_cashier2

        def card(user):
            return env["alliance.card"].with_user(user).with_company(user.company_id)

        cls.card_a2 = env["alliance.card"].browse(cls._enrol(chen, "王五", "13907319055")["card_id"])
        cls.card_a3 = env["alliance.card"].browse(cls._enrol(liu, "赵六", "13907319066")["card_id"])
        card(chen).alliance_earn(cls.card_a.code, 100.0, "staff-1")
        card(chen).alliance_earn(cls.card_b.code, 300.0, "staff-2")
        card(chen).alliance_earn(cls.card_a2.code, 200.0, "staff-3")
        # 小刘 refunds 小陈's sale: the commission goes back from 小陈, who made it.
        card(liu).alliance_reverse("staff-3")
        card(liu).alliance_earn(cls.card_a3.code, 50.0, "staff-4")
        proof = {"code": env["alliance.card.auth"]._get_for(cls.card_a)._issue_payment_code()}
        card(liu).alliance_redeem(cls.card_a.code, 100, "staff-5", proof)
        # B's sales to A's member: B's staff, B's rules.
        card(cls.user_b_cashier).alliance_earn(cls.card_a.code, 500.0, "staff-b")


@tagged("post_install", "-at_install")
class TestStaffCommission(StaffMixin, SettlementCase):
    def _by_staff(self, user):
        Report = self.env["alliance.report.staff.commission"].with_user(user).with_company(user.company_id)
        groups = Report._read_group(
            [("user_id", "in", (self.user_a_cashier | self.user_a_cashier2 | self.user_b_cashier).ids)],
            ["employee", "event"],
            ["events:sum", "base:sum", "commission:sum"],
        )
        return {(employee, event): (events, base, commission) for employee, event, events, base, commission in groups}

    def test_two_cashiers_hand_computed(self):
        self.assertEqual(
            self._by_staff(self.user_a_manager),
            {
                # 小陈: ¥100 + ¥300 + ¥200 sold, the ¥200 refunded: 2% of ¥400 = ¥8; 张三 and 王五 enrolled: ¥10.
                ("收银员 小陈", "sale"): (2, 400.0, 8.0),
                ("收银员 小陈", "enrol"): (2, 0.0, 10.0),
                # 小刘: ¥50 sold (¥1), 赵六 enrolled (¥5), one payment with points (¥1).
                ("收银员 小刘", "sale"): (1, 50.0, 1.0),
                ("收银员 小刘", "enrol"): (1, 0.0, 5.0),
                ("收银员 小刘", "redeem"): (1, 1.0, 1.0),
            },
        )

    def test_who_sees_what(self):
        # B's manager sees B's staff only: 10% of ¥500.
        self.assertEqual(self._by_staff(self.user_b_manager), {(self.user_b_cashier.name, "sale"): (1, 500.0, 50.0)})
        # Cashiers see no commission, theirs or others'; the operator's accountants neither: it is A's business.
        for user in (self.user_a_cashier, self.user_a_cashier2, self.user_accountant):
            with self.assertRaises(AccessError):
                self.env["alliance.report.staff.commission"].with_user(user).search([])
        # A's manager cannot write B's rules nor create rules for B.
        rule_b = self.env["alliance.staff.commission.rule"].search([("merchant_id", "=", self.merchant_b.id)])
        Rule = self.env["alliance.staff.commission.rule"].with_user(self.user_a_manager).with_company(self.company_a)
        self.assertFalse(Rule.search([("merchant_id", "=", self.merchant_b.id)]))
        with self.assertRaises(AccessError):
            rule_b.with_user(self.user_a_manager).percent = 50.0
        with self.assertRaises(AccessError):
            Rule.create({"merchant_id": self.merchant_b.id, "event": "sale", "kind": "percent", "percent": 90.0})
        self.assertEqual(rule_b.percent, 10.0)
        self.assertEqual(self.env["alliance.staff.commission.rule"].search_count([]), 4)


@tagged("post_install", "-at_install")
class TestStaffCommissionExport(StaffMixin, SettlementHttpCase):
    def test_manager_exports_xlsx(self):
        """The merchant's manager downloads the month per staff member, through Odoo's own list export."""
        self.authenticate(self.user_a_manager.login, self.user_a_manager.login)
        fields_ = [
            {"name": "employee", "label": "Staff", "type": "char"},
            {"name": "event", "label": "Event", "type": "selection"},
            {"name": "base", "label": "Amount", "type": "monetary"},
            {"name": "commission", "label": "Commission", "type": "monetary"},
        ]
        data = {
            "model": "alliance.report.staff.commission",
            "fields": fields_,
            "ids": False,
            "domain": [],
            "groupby": ["employee"],
            "import_compat": False,
            "context": {"allowed_company_ids": self.company_a.ids},
        }
        response = self.url_open(
            "/web/export/xlsx", data={"data": json.dumps(data), "csrf_token": http.Request.csrf_token(self)}
        )
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        self.assertEqual(rows[0], ["Staff", "Event", "Amount", "Commission"])
        groups = {row[0].split(" (")[0]: row[3] for row in rows[1:] if row[0] and row[1] is None}
        self.assertEqual(groups, {"收银员 小陈": 18.0, "收银员 小刘": 7.0})
        # B's staff are not in A's file.
        self.assertNotIn(self.user_b_cashier.name, json.dumps(rows, ensure_ascii=False))
