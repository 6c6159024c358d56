"""The member's gift pages on a phone: browse the catalogue, order with the PIN, see the order."""

from odoo.tests import tagged

from .common import GiftHttpCase


@tagged("post_install", "-at_install")
class TestGiftPortal(GiftHttpCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_a_member_orders_a_gift_on_a_phone(self):
        Template = self.env["alliance.coupon.template"]
        # Only this test's coupons: the demo's welcome coupon went to the test's members at enrolment.
        self.env["alliance.coupon"].search([("partner_id", "=", self.card_a.partner_id.id)]).sudo().state = "cancel"
        monthly = Template.create(
            {"name": "测试月度券 满50减5", "issue_mode": "tier_monthly", "amount": 5.0, "min_spend": 50.0}
        )
        self.env["alliance.coupon"]._issue(monthly, self.card_a, "2026-11/1")
        Template.search([("issue_mode", "=", "points")]).active = False
        offer = Template.create({"name": "测试代金券 满100减20", "amount": 20.0, "points_price": 1000})
        self.start_tour(f"/my/alliance/card/{self.card_a.id}", "alliance_gift_portal_tour", login="t_member")
        order = self.Order.search([("partner_id", "=", self.card_a.partner_id.id)])
        self.assertEqual((order.points_total, order.pickup_merchant_id, order.state), (6000, self.merchant_a, "placed"))
        bought = self.env["alliance.coupon"].search([("template_id", "=", offer.id)])
        self.assertEqual((bought.card_id, bought.state), (self.card_a, "available"))
        self.assertEqual((self.card_a.balance, self._free(self.cup)), (3000, 3))

    def test_what_another_member_and_the_pages_give_away(self):
        order = self._place([{"product_id": self.cup.id, "qty": 1}])
        self.env["res.users"].create(
            {
                "name": "李四",
                "login": "t_member_b",
                "password": "t_member_b",
                "partner_id": self.card_b.partner_id.id,
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        self.authenticate("t_member_b", "t_member_b")
        # Another member's order is no page; cancelling it through the form changes nothing.
        self.assertEqual(self.url_open(f"/my/alliance/gift-orders/{order.id}").status_code, 404)
        # The lists only read: served read-only (a replica, when Odoo has one).
        page = self.assertServedReadonly("/my/alliance/gift-orders").text
        self.assertNotIn(order.name, page)
        csrf = self.assertServedReadonly("/my/alliance/gifts").text.split('csrf_token: "')[1].split('"')[0]
        self.url_open(f"/my/alliance/gift-orders/{order.id}", data={"csrf_token": csrf, "cancel": "1"})
        self.assertEqual((order.state, self.card_a.balance), ("placed", 7000))
        # A gift that is not in the catalogue has no order page.
        plain = self.env["product.template"].create({"name": "普通商品", "is_storable": True, "type": "consu"})
        self.assertEqual(self.url_open(f"/my/alliance/gifts/{plain.id}").status_code, 404)
        # Another member's coupon is not on this member's page; a campaign's coupon cannot be bought.
        birthday = self.env["alliance.coupon.template"].create(
            {"name": "生日券", "amount": 30.0, "issue_mode": "birthday"}
        )
        coupon = self.env["alliance.coupon"]._issue(birthday, self.card_a, "birthday/2026")
        page = self.assertServedReadonly("/my/alliance/coupons").text
        self.assertNotIn(coupon.code, page)
        self.assertEqual(self.url_open(f"/my/alliance/coupons/buy/{birthday.id}").status_code, 404)
        self.url_open(f"/my/alliance/coupons/buy/{birthday.id}", data={"csrf_token": csrf, "pin": "135790"})
        self.assertFalse(
            self.env["alliance.coupon"].search([("card_id", "=", self.card_b.id), ("template_id", "=", birthday.id)])
        )
