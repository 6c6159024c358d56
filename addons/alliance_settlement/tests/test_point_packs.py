from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SettlementCase


@tagged("post_install", "-at_install")
class TestPointPacks(SettlementCase):
    """商家充值: a pack is invoiced at once and usable once paid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.merchant_a.billing_mode = "prepaid"
        cls.Pack = cls.env["alliance.point.pack"]

    def _sell(self, points, merchant=None, user=None):
        """The operator's wizard on the merchant's form; the invoice it opens."""
        user = user or self.user_operator
        wizard = (
            self.env["alliance.point.pack.sell"]
            .with_user(user)
            .with_company(self.operator)
            .create({"merchant_id": (merchant or self.merchant_a).id, "points": points})
        )
        return self.env["account.move"].browse(wizard.action_sell()["res_id"])

    def _pay(self, invoice):
        """The operator's accountant registers the merchant's transfer."""
        self.env["account.payment.register"].with_user(self.user_accountant).with_company(self.operator).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()

    def test_pack_sale_then_invoice_then_quota_after_payment(self):
        invoice = self._sell(250_000)
        pack = self.Pack.search([("invoice_id", "=", invoice.id)])
        # 250,000 points at A's ¥10 per 1,000: ¥2,500.00 in the operator's books, on the points liability.
        self.assertEqual((invoice.state, invoice.move_type, invoice.amount_total), ("posted", "out_invoice", 2500.0))
        self.assertEqual(
            (invoice.company_id, invoice.partner_id), (self.operator, self.merchant_a.company_id.partner_id)
        )
        self.assertEqual(invoice.invoice_line_ids.account_id, self.operator.alliance_liability_account_id)
        self.assertEqual((pack.state, pack.points, self.merchant_a.quota_balance), ("invoiced", 250_000, 0))
        # Unpaid, the pack gives nothing: the counter's members earn nothing beyond the overdraft.
        with self.assertRaisesRegex(UserError, "prepaid points left"):
            self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 100.0, "A-unpaid")
        self._pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual((pack.state, self.merchant_a.quota_balance), ("credited", 250_000))
        # Said paid once more (another reconciliation): nothing more.
        invoice._invoice_paid_hook()
        self.assertEqual(self.merchant_a.quota_balance, 250_000)
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 100.0, "A-paid")
        self.assertEqual(self.merchant_a.quota_balance, 249_900)
        # The month's statement does not bill the pack a second time; a pack recorded by hand it does.
        self.merchant_a.with_user(self.user_operator).action_buy_points(1000, reference="PACK-BY-HAND")
        statement = self._build(self.this_month).filtered(lambda s: s.merchant_id == self.merchant_a)
        self.assertEqual((statement.points_bought, statement.amount_bought), (1000, 10.0))

    def test_only_the_operator_sells_packs_and_nothing_else_is_a_pack(self):
        for user in (self.user_a_manager, self.user_a_cashier, self.user_accountant):
            with self.assertRaises(AccessError):
                self.Pack.with_user(user)._sell(self.merchant_a, 1000)
        with self.assertRaises(AccessError):
            self._sell(1000, user=self.user_a_manager)
        for bad in (0, -5, 1.5, "1000", True, None, 10**12):
            with self.assertRaises(UserError):
                self.Pack.with_user(self.user_operator)._sell(self.merchant_a, bad)
        # A postpaid merchant is billed at settlement: it buys no packs.
        with self.assertRaisesRegex(UserError, "buys no packs"):
            self.Pack.with_user(self.user_operator)._sell(self.merchant_b, 1000)
        self.assertFalse(self.Pack.search([]))
        self.assertEqual(self.merchant_a.quota_balance, 0)

    def test_a_merchant_sees_its_own_packs(self):
        self.merchant_b.billing_mode = "prepaid"
        mine, theirs = self._sell(1000), self._sell(2000, merchant=self.merchant_b)
        Packs = self.Pack.with_user(self.user_a_manager).with_company(self.company_a)
        self.assertEqual(Packs.search([]).invoice_id, mine)
        with self.assertRaises(AccessError):
            Packs.browse(self.Pack.search([("invoice_id", "=", theirs.id)]).id).read(["points"])
