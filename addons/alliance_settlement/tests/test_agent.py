"""Regional agents (加盟商): their statement and vendor bill on the seeds' economics, and what they see."""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SettlementCase


@tagged("post_install", "-at_install")
class TestAgent(SettlementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.operator._alliance_ensure_settlement_books()
        ctx = {"no_reset_password": True, "lang": "en_US"}
        cls.user_agent = new_test_user(
            env, "t_agent", groups="base.group_user,alliance_member.group_alliance_agent", context=ctx
        )
        cls.user_agent_y = new_test_user(
            env, "t_agent_y", groups="base.group_user,alliance_member.group_alliance_agent", context=ctx
        )
        Agent = env["alliance.agent"]
        cls.agent = Agent.create(
            {
                "name": "芙蓉区加盟商",
                "partner_id": env["res.partner"].create({"name": "长沙芙蓉商务咨询有限公司"}).id,
                "share_rate": 25.0,
                "fee_per_merchant": 20.0,
                "fee_per_member": 0.5,
                "user_ids": [Command.set(cls.user_agent.ids)],
            }
        )
        cls.merchant_c = env["alliance.merchant"].create({"name": "Test Merchant C", "code": "TC"})
        cls.merchant_c.action_activate()
        cls.agent_y = Agent.create(
            {
                "name": "岳麓区加盟商",
                "partner_id": env["res.partner"].create({"name": "岳麓代理"}).id,
                "share_rate": 30.0,
                "user_ids": [Command.set(cls.user_agent_y.ids)],
            }
        )
        (cls.merchant_a | cls.merchant_b).agent_id = cls.agent
        cls.merchant_c.agent_id = cls.agent_y

    def _seed_month(self):
        """The seeds' economics: A issues 1,000 points at ¥10 per 1,000, B accepts them at ¥8; 500 of A's expire."""
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 1000.0, "A-1")
        self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 1000, "B-1", self._proof(self.card_a))
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.expiry_months", "1")
        self.env["alliance.points.service"]._earn(
            self.card_a, self.merchant_a, 500.0, "A-old", date=fields.Datetime.now() - relativedelta(months=3)
        )
        self.env["alliance.points.service"]._expire_batch()
        statements = self._build(self.this_month)
        mine = statements.filtered(lambda s: s.merchant_id in (self.merchant_a | self.merchant_b))
        mine.with_user(self.user_accountant).action_confirm()
        return mine

    def _agent_statement(self):
        self.this_month.with_user(self.user_accountant).action_build_agents()
        return self.env["alliance.agent.statement"].search(
            [("period_id", "=", self.this_month.id), ("agent_id", "=", self.agent.id), ("state", "!=", "cancel")]
        )

    def test_statement_and_bill_account_by_account(self):
        self._seed_month()
        statement = self._agent_statement()
        self.assertEqual(len(statement), 1)
        lines = {
            line.merchant_id: (
                line.amount_margin,
                line.amount_breakage,
                line.amount_base,
                line.amount_share,
                line.merchant_active,
                line.new_members,
                line.amount_fees,
                line.amount_total,
            )
            for line in statement.line_ids
        }
        self.assertEqual(
            lines,
            {
                # A: 1,500 points issued, 500 of them expired: ¥5 of breakage; 25% is ¥1.25. One member
                # enrolled (张三): ¥20 for an active merchant and ¥0.50 for the member.
                self.merchant_a: (0.0, 5.0, 5.0, 1.25, True, 1, 20.5, 21.75),
                # B: accepted 1,000 points worth ¥10 for ¥8: ¥2 of margin; 25% is ¥0.50. One member (李四).
                self.merchant_b: (2.0, 0.0, 2.0, 0.5, True, 1, 20.5, 21.0),
            },
        )
        self.assertEqual(
            (statement.amount_base, statement.amount_share, statement.amount_fees, statement.amount_total),
            (7.0, 1.75, 41.0, 42.75),
        )
        statement.with_user(self.user_accountant).action_post()
        bill = statement.move_id
        self.assertEqual((statement.state, bill.state, bill.move_type), ("posted", "posted", "in_invoice"))
        self.assertEqual(bill.company_id, self.operator)
        self.assertEqual(bill.partner_id, self.agent.partner_id)
        self.assertEqual(bill.amount_total, 42.75)
        expense = self.operator.alliance_agent_account_id
        payable = self.agent.partner_id.with_company(self.operator).property_account_payable_id
        balances = {}
        for line in bill.line_ids:
            balances[line.account_id] = round(balances.get(line.account_id, 0.0) + line.balance, 2)
        self.assertEqual(balances, {expense: 42.75, payable: -42.75})
        expense_here = expense.with_company(self.operator)
        self.assertEqual((expense_here.code, expense_here.account_type), ("660103", "expense"))
        # Building again leaves the billed statement as it is.
        self.assertEqual(self._agent_statement(), statement)
        self.assertEqual(statement.move_id, bill)

    def test_only_confirmed_merchant_statements_count(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 1000.0, "A-1")
        self._build(self.this_month)
        # A's statement is a draft: the accountants have not agreed its figures; nothing for the agent yet.
        self.assertFalse(self._agent_statement())

    def test_who_sees_what(self):
        self._seed_month()
        self._agent_statement()
        Merchant = self.env["alliance.merchant"].with_user(self.user_agent)
        self.assertEqual(Merchant.search([]), self.merchant_a | self.merchant_b)
        self.assertEqual(self.env["alliance.merchant"].with_user(self.user_agent_y).search([]), self.merchant_c)
        report = self.env["alliance.report.merchant"].with_user(self.user_agent)
        self.assertEqual(report.search([]).merchant_id, self.merchant_a | self.merchant_b)
        self.assertFalse(report.search([("merchant_id", "=", self.merchant_c.id)]))
        self.assertFalse(
            self.env["alliance.report.merchant"].with_user(self.user_agent_y).search([]).merchant_id - self.merchant_c
        )
        members = self.env["alliance.report.member"].with_user(self.user_agent).search([])
        self.assertEqual(members.merchant_id, self.merchant_a | self.merchant_b)
        statements = self.env["alliance.agent.statement"].with_user(self.user_agent_y).search([])
        self.assertFalse(statements)
        mine = self.env["alliance.agent.statement"].with_user(self.user_agent).search([])
        self.assertEqual(mine.agent_id, self.agent)
        self.assertEqual(len(mine.line_ids), 2)
        # An agent reads; it neither posts, nor builds, nor writes its own share.
        with self.assertRaises(UserError):
            mine.action_post()
        with self.assertRaises(UserError):
            self.this_month.with_user(self.user_agent).action_build_agents()
        with self.assertRaises(AccessError):
            self.agent.with_user(self.user_agent).share_rate = 90.0
        self.assertEqual(self.agent.share_rate, 25.0)
        with self.assertRaises(UserError):
            mine.write({"amount_total": 1000.0})
        self.assertEqual(mine.amount_total, 42.75)
        # A merchant's manager and its cashiers see no agent statement.
        for user in (self.user_a_manager, self.user_a_cashier):
            with self.assertRaises(AccessError):
                self.env["alliance.agent.statement"].with_user(user).search([])
