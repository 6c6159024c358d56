from odoo.tests import tagged

from .common import AllianceCase


@tagged("post_install", "-at_install")
class TestMemberPrices(AllianceCase):
    """持卡享受XX折: the card's discount at the counter, as the server keeps it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.merchant_a.company_id
        # China's VAT, included in the shelf price as Chinese counters show it.
        cls.vat = cls.env["account.tax"].create(
            {
                "name": "增值税 13%",
                "amount": 13.0,
                "amount_type": "percent",
                "price_include_override": "tax_included",
                "company_id": company.id,
                "country_id": company.account_fiscal_country_id.id,
            }
        )
        cls.dish = cls._pos_product(company)
        cls.dish.write({"name": "剁椒鱼头", "list_price": 58.0, "taxes_id": [(6, 0, cls.vat.ids)]})
        cls.cigarettes = cls._pos_product(company)
        cls.cigarettes.write({"name": "芙蓉王香烟", "list_price": 30.0, "alliance_no_discount": True})
        cls.merchant_a.member_discount = 10.0

    def test_the_best_discount_not_the_sum(self):
        self.card_type.discount = 5.0
        self.card_a.tier_id.discount = 8.0
        # Merchant A's own 10% beats the type's 5% and the tier's 8%; they are never added up (23%).
        self.assertEqual(self.card_a._alliance_discount_for(self.merchant_a), 10.0)
        self.assertEqual(self.card_a._alliance_discount_for(self.merchant_b), 8.0)
        self.card_type.discount = 12.0
        self.assertEqual(self.card_a._alliance_discount_for(self.merchant_a), 12.0)
        # The counter learns it from the lookup, as the cashier.
        Cards = self.env["alliance.card"].with_user(self.user_a_cashier).with_company(self.company_a)
        self.assertEqual(Cards.alliance_lookup(self.card_a.code)["member_discount"], 12.0)
        # A frozen card gets nothing off.
        self.card_a.state = "frozen"
        self.assertEqual(self.card_a._alliance_discount_for(self.merchant_a), 0.0)

    def test_member_prices_at_sync(self):
        lines = [
            # Two fish heads at the member's price: 58 × 0.9 × 2 = 104.40 (VAT included).
            self._pos_line(self.dish, 2, 58.0, discount=10.0, alliance_discount=10.0),
            # The counter marked an excluded product: its price stands (27.00), the label goes.
            self._pos_line(self.cigarettes, 1, 30.0, discount=10.0, alliance_discount=10.0),
            # More than the card gives, called the member's: the cashier's own discount (49.30).
            self._pos_line(self.dish, 1, 58.0, discount=15.0, alliance_discount=15.0),
        ]
        order = self._pos_sync(self.merchant_a, self.card_a, 0, lines=lines, user=self.user_a_cashier)
        self.assertEqual(order.state, "paid")
        self.assertAlmostEqual(order.amount_total, 180.70, places=2)
        by_name = {line.product_id.name: line for line in order.lines}
        fish, extra_fish = order.lines.filtered(lambda line: line.product_id == self.dish).sorted("qty")[::-1]
        self.assertEqual((fish.alliance_discount, fish.discount), (10.0, 10.0))
        self.assertEqual((extra_fish.alliance_discount, extra_fish.discount), (0.0, 15.0))
        self.assertEqual((by_name["芙蓉王香烟"].alliance_discount, by_name["芙蓉王香烟"].discount), (0.0, 10.0))
        # Before any discount: 116 + 30 + 58 = 204.00; the member's share: 116 − 104.40 = 11.60.
        self.assertAlmostEqual(order.alliance_gross_amount, 204.00, places=2)
        self.assertAlmostEqual(order.alliance_discount_amount, 11.60, places=2)

    def test_no_card_no_member_discount(self):
        line = self._pos_line(self.dish, 1, 58.0, discount=10.0, alliance_discount=10.0)
        order = self._pos_sync(self.merchant_a, False, 0, lines=[line], user=self.user_a_cashier)
        self.assertEqual((order.lines.alliance_discount, order.lines.discount), (0.0, 10.0))
        self.assertAlmostEqual(order.alliance_gross_amount, 58.0, places=2)
        self.assertEqual(order.alliance_discount_amount, 0.0)
