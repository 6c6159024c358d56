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

    def test_the_cashier_takes_a_coupon_at_the_pos(self):
        template = self.env["alliance.coupon.template"].create(
            {
                "name": "测试代金券 满100减20",
                "funder_id": self.merchant_a.id,
                "merchant_ids": [(6, 0, self.merchant_b.ids)],
                "amount": 20.0,
                "min_spend": 100.0,
                "points_price": 1000,
            }
        )
        coupon = self.env["alliance.coupon"]._issue(template, self.card_a, "pos-tour")
        # The code the member's phone shows (fixed here so that the tour can type it).
        coupon.sudo().code = "ABCDEF0123456789"
        self.env["product.product"].create(
            {
                "name": "测试套餐",
                "available_in_pos": True,
                "list_price": 120.0,
                "taxes_id": [(5, 0, 0)],
                "company_id": self.company_b.id,
            }
        )
        config = self.merchant_b.pos_config_ids[:1]
        config.payment_method_ids.filtered("is_cash_count").with_context(lang="en_US").name = "Cash"
        config.with_user(self.user_b_cashier).with_company(self.company_b).open_ui()
        self.start_tour(f"/pos/ui/{config.id}", "alliance_coupon_pos_tour", login="t_b_cashier")
        sale = self.env["pos.order"].search([("config_id", "=", config.id)], order="id desc", limit=1)
        coupon.invalidate_recordset()
        self.assertEqual((sale.state, sale.amount_total, sale.alliance_coupon_note), ("paid", 100.0, False))
        self.assertEqual((coupon.state, coupon.pos_order_id, coupon.use_ids.reimburse_amount), ("used", sale, 20.0))
