from odoo import api, models

DEMO_PIN = "135790"


class AllianceGiftDemo(models.AbstractModel):
    """The demo alliance's gift stock and orders, made the way members and counters make them."""

    _name = "alliance.gift.demo"
    _description = "Alliance Gift Demo Data"

    @api.model
    def _load(self):
        ref = self.env.ref
        Quant = self.env["stock.quant"].sudo()
        Order = self.env["alliance.gift.order"]
        operator_stock = Order._ensure_gift_warehouse().lot_stock_id
        stock = [
            ("gift_bag_demo", operator_stock, 200),
            ("gift_umbrella_demo", operator_stock, 60),
            ("gift_cup_demo", operator_stock, 40),
            ("gift_rice_demo", operator_stock, 30),
            ("gift_movie_demo", operator_stock, 100),
            ("gift_tea_set_demo", operator_stock, 5),
        ]
        for xmlid, merchant in (("gift_hand_cream_demo", "merchant_b_demo"), ("gift_eggs_demo", "merchant_c_demo")):
            company = ref(f"alliance_member.{merchant}").company_id
            warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
            stock.append((xmlid, warehouse.lot_stock_id, 20))
        for xmlid, location, qty in stock:
            Quant._update_available_quantity(ref(f"alliance_gift.{xmlid}").product_variant_id, location, qty)
        # Two members who confirm with their PIN, as they would on their phone.
        big, other = ref("alliance_member.card_9_demo"), ref("alliance_member.card_5_demo")
        for card in big | other:
            self.env["alliance.card.auth"]._get_for(card)._set_pin(DEMO_PIN)
        proof = {"pin": DEMO_PIN}
        gift = lambda xmlid: ref(f"alliance_gift.{xmlid}").id  # noqa: E731
        merchant_a = ref("alliance_member.merchant_a_demo")
        Order._alliance_place(big, [{"product_id": gift("gift_cup_demo"), "qty": 1}], merchant_a.id, proof, "demo-1")
        ready = Order._alliance_place(
            big, [{"product_id": gift("gift_umbrella_demo"), "qty": 1}], merchant_a.id, proof, "demo-2"
        )
        ready.sudo().action_alliance_ready()
        cream = Order._alliance_place(
            other, [{"product_id": gift("gift_hand_cream_demo"), "qty": 1}], False, proof, "demo-3"
        )
        cashier = ref("alliance_member.user_merchant_b_cashier_demo")
        Order.with_user(cashier).with_company(cashier.company_id).alliance_hand_over(cream.sudo().code)
        cancelled = Order._alliance_place(
            other, [{"product_id": gift("gift_bag_demo"), "qty": 2}], merchant_a.id, proof, "demo-4"
        )
        cancelled.sudo().action_alliance_cancel()
        # This month's tier and birthday coupons, and two bought with points.
        self.env["alliance.coupon.campaign"]._issue_campaigns(self.env["alliance.points.engine"]._today())
        Coupon = self.env["alliance.coupon"]
        Coupon._alliance_buy(big, ref("alliance_gift.coupon_merchant_a_demo").id, proof, "demo-coupon-1")
        Coupon._alliance_buy(other, ref("alliance_gift.coupon_merchant_c_demo").id, proof, "demo-coupon-2")
