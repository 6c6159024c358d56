from datetime import datetime

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.alliance_points.tests.common import PointsCase, PointsHttpCase


class SettlementMixin:
    """Two months: the one of today, where the API's entries are dated, and the next."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Period = cls.env["alliance.settlement.period"]
        # The alliance's day, which periods follow (Asia/Shanghai): from 16:00 UTC it is already tomorrow.
        tz = pytz.timezone(cls.env["alliance.points.engine"]._get_tz())
        cls.today = datetime.now(tz).date()
        first = cls.today.replace(day=1)
        cls.this_month = Period._month_of(first)
        cls.next_month = Period._month_of(first + relativedelta(months=1))

    def _statement(self, period, merchant):
        return self.env["alliance.settlement.statement"].search(
            [("period_id", "=", period.id), ("merchant_id", "=", merchant.id), ("state", "!=", "cancel")]
        )

    def _build(self, period):
        period.with_user(self.user_accountant).action_build()
        return period.statement_ids.filtered(lambda s: s.state != "cancel")

    def _lines(self, statement):
        return {line.kind: (line.points, line.amount) for line in statement.line_ids}


class SettlementCase(SettlementMixin, PointsCase):
    pass


class SettlementHttpCase(SettlementMixin, PointsHttpCase):
    pass


class ReportMixin:
    """A small alliance for the reports: A's members buy at B and C, B's at C, a refund; 1 point per yuan."""

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
        cls.card_a2 = card_a2 = env["alliance.card"].browse(
            cls._enrol(cls.user_a_cashier, "王五", "13907319055")["card_id"]
        )
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


class ReportCase(ReportMixin, SettlementCase):
    pass


class ReportHttpCase(ReportMixin, SettlementHttpCase):
    pass
