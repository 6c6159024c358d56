"""SMS on the merchant's statement: the packs it bought are charged (the operator's SMS income), the messages
it used are shown, each counted once."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.alliance_points.tests.sms_gateway_server import GatewayMixin

from .common import SettlementCase


@tagged("post_install", "-at_install")
class TestSmsStatement(GatewayMixin, SettlementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.books = cls.operator._alliance_ensure_settlement_books()

    def test_packs_charged_and_usage_shown(self):
        Pack = self.env["alliance.sms.pack"].with_user(self.user_operator)
        self.merchant_a.sms_price = 0.045
        Pack.create({"merchant_id": self.merchant_a.id, "quantity": 1000, "reference": "短信包-1"})
        Pack.create({"merchant_id": self.merchant_a.id, "quantity": 333})
        for ref in ("s1", "s2", "s3"):
            self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 10.0, ref)
        # A code is the operator's: not A's usage.
        self._as(self.user_a_cashier).alliance_send_code(self.card_a.code, 5)
        self.env["sms.sms"].sudo().search([("state", "=", "outgoing")])._send()
        # The three texts of one template in one request, the code in its own.
        self.assertEqual((len(self.gateway.messages()), len(self.gateway.requests)), (4, 2))
        self.assertEqual(self.merchant_a.sms_quota, 1330)

        a = self._build(self.this_month).filtered(lambda s: s.merchant_id == self.merchant_a)
        lines = self._lines(a)
        # 1,333 × 0.045 = 59.985: rounded once, to 59.99 (not 45.00 + 14.99 = 59.99 by luck of two roundings).
        self.assertEqual(lines["sms_pack"], (1333, 59.99))
        self.assertEqual(lines["sms_used"], (3, 0.0))
        self.assertEqual((a.sms_bought, a.amount_sms, a.sms_used), (1333, 59.99, 3))
        self.assertEqual(a.amount_net, round(a.amount_issued + a.amount_commission + 59.99, 2))
        a.with_user(self.user_accountant).action_confirm()
        a.with_user(self.user_accountant).action_post()
        sms_income = self.operator.alliance_sms_account_id
        # An account's code is the company's: read in the operator's books.
        self.assertEqual(sms_income.with_company(self.operator).code, "505104")
        income = a.move_ids.line_ids.filtered(lambda item: item.account_id == sms_income)
        self.assertEqual(round(sum(income.mapped("balance")), 2), -59.99)
        # Settled: next month's statement charges nothing again, counts nothing again.
        nxt = self._build(self.next_month).filtered(lambda s: s.merchant_id == self.merchant_a)
        self.assertFalse(nxt and {"sms_pack", "sms_used"} & set(self._lines(nxt)))
        # The merchant's manager sees its packs, not another merchant's; a cashier none.
        packs = self.env["alliance.sms.pack"].with_user(self.user_a_manager).search([])
        self.assertEqual(packs.merchant_id, self.merchant_a)
        with self.assertRaises(AccessError):
            self.env["alliance.sms.pack"].with_user(self.user_b_cashier).search([])
