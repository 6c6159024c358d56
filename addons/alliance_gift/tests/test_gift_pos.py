"""礼品领取 at the counter: the cashier types the member's code, the gifts leave the warehouse, the co-pay is sold."""

from odoo.tests import tagged

from .common import GiftHttpCase


@tagged("post_install", "-at_install")
class TestGiftPos(GiftHttpCase):
    def test_the_cashier_hands_a_gift_over_at_the_pos(self):
        order = self._place([{"product_id": self.cup.id, "qty": 2}])
        # The member's code, as their phone shows it (fixed here so that the tour can type it).
        order.sudo().code = "246813579024"
        config = self.merchant_a.pos_config_ids[:1]
        # The company's chart may have named it in Chinese; the tour clicks "Cash".
        config.payment_method_ids.filtered("is_cash_count").with_context(lang="en_US").name = "Cash"
        config.with_user(self.user_a_cashier).with_company(self.company_a).open_ui()
        self.start_tour(f"/pos/ui/{config.id}", "alliance_gift_pos_pickup_tour", login="t_a_cashier")
        order.invalidate_recordset()
        self.assertEqual((order.state, order.sudo().handed_over_by_id), ("done", self.user_a_cashier))
        self.assertEqual(order.sudo().picking_id.state, "done")
        self.assertEqual(self.cup.product_variant_id.with_context(warehouse_id=self.wh_operator.id).qty_available, 3)
        sale = self.env["pos.order"].search([("config_id", "=", config.id)], order="id desc", limit=1)
        copay = sale.lines.filtered(lambda line: line.product_id.default_code == "ALLIANCE-GIFT-COPAY")
        self.assertEqual((sale.state, copay.price_subtotal_incl), ("paid", 19.8))
