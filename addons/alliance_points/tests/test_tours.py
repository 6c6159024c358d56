from odoo.tests import tagged

from .common import PointsHttpCase


@tagged("post_install", "-at_install")
class TestPointsTours(PointsHttpCase):
    def test_earn_on_a_paid_order_shows_on_the_receipt(self):
        dish = self._pos_product(self.company_a)
        dish.write({"name": "Alliance tour dish", "list_price": 58.0})
        config = self.merchant_a.pos_config_ids[:1]
        config.payment_method_ids.filtered("is_cash_count").with_context(lang="en_US").name = "Cash"
        config.with_user(self.user_a_cashier).with_company(self.company_a).open_ui()
        self.start_tour(f"/pos/ui/{config.id}", "alliance_points_earn_tour", login="t_a_cashier")
        order = self.env["pos.order"].search([("config_id", "=", config.id)], order="id desc", limit=1)
        self.assertEqual(order.alliance_card_id, self.card_a)
        self.assertEqual(order.alliance_points_earned, 58)
        self.assertEqual(self.card_a.balance, 58)
        self.assertEqual(order.alliance_entry_ids.entry_type, "earn")
