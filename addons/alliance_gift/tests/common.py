from odoo.addons.alliance_points.tests.common import PointsCase, PointsHttpCase

PIN = "135790"


class GiftMixin:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Order = env["alliance.gift.order"]
        cls.wh_operator = env["stock.warehouse"].search([("company_id", "=", cls.operator.id)], limit=1)
        cls.wh_b = env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1)
        Product = env["product.template"]
        common = {"alliance_is_gift": True, "is_storable": True, "type": "consu", "list_price": 0.0}
        cls.cup = Product.create(
            {
                **common,
                "name": "测试保温杯",
                "alliance_points_price": 3000,
                "alliance_cash_copay": 9.9,
                "alliance_gift_limit_month": 2,
                "company_id": cls.operator.id,
            }
        )
        cls.tea_set = Product.create(
            {
                **common,
                "name": "测试金卡茶具",
                "alliance_points_price": 2000,
                "alliance_gift_tier_ids": [(6, 0, cls.tier_gold.ids)],
                "company_id": cls.operator.id,
            }
        )
        cls.cream = Product.create(
            {
                **common,
                "name": "测试护手霜",
                "alliance_points_price": 1500,
                "alliance_gift_sponsor_id": cls.merchant_b.id,
                "alliance_gift_sponsor_price": 12.0,
                "company_id": cls.company_b.id,
            }
        )
        Quant = env["stock.quant"].sudo()
        for product, warehouse, qty in (
            (cls.cup, cls.wh_operator, 5),
            (cls.tea_set, cls.wh_operator, 5),
            (cls.cream, cls.wh_b, 3),
        ):
            Quant._update_available_quantity(product.product_variant_id, warehouse.lot_stock_id, qty)
        # The member has points to spend, and a PIN to confirm with.
        env["alliance.points.service"]._adjust(cls.card_a, 10000, "礼品测试积分")
        env["alliance.card.auth"]._get_for(cls.card_a)._set_pin(PIN)

    def _place(self, items, pickup=None, proof=None, reference="order-1", user=None, card=None):
        Order = self.Order.with_user(user or self.user_portal_member)
        return Order._alliance_place(
            card or self.card_a,
            items,
            (pickup or self.merchant_a).id,
            {"pin": PIN} if proof is None else proof,
            reference,
        )

    def _free(self, product, warehouse=None):
        return product.product_variant_id.with_context(warehouse_id=(warehouse or self.wh_operator).id).free_qty


class GiftCase(GiftMixin, PointsCase):
    pass


class GiftHttpCase(GiftMixin, PointsHttpCase):
    pass
