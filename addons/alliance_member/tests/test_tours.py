from odoo.http import Request
from odoo.tests import tagged

from .common import AllianceHttpCase


@tagged("post_install", "-at_install")
class TestTours(AllianceHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dish = cls._pos_product(cls.company_a)
        cls.dish.write({"name": "Alliance tour dish", "list_price": 58.0})
        cls.config_a = cls.merchant_a.pos_config_ids[:1]
        # The company's chart may have named it in Chinese; the tour clicks "Cash".
        cls.config_a.payment_method_ids.filtered("is_cash_count").with_context(lang="en_US").name = "Cash"
        cls.card_type.issue_fee = 20.0

    def test_pos_scan_card_then_enrol(self):
        self.config_a.with_user(self.user_a_cashier).with_company(self.company_a).open_ui()
        self.start_tour(f"/pos/ui/{self.config_a.id}", "alliance_member_pos_tour", login="t_a_cashier")
        order = self.env["pos.order"].search([("config_id", "=", self.config_a.id)], order="id", limit=1)
        self.assertEqual(order.alliance_card_id, self.card_a)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.amount_total, 58.0)
        member = self.env["res.partner"].search([("alliance_phone", "=", "+8613907319088")])
        self.assertEqual(member.name, "柜台新会员")
        self.assertEqual(member.alliance_card_id.issuer_merchant_id, self.merchant_a)
        self.assertEqual(member.alliance_enrol_merchant_id, self.merchant_a)
        self.assertEqual(str(member.alliance_birthday), "1992-05-17")
        self.assertEqual(member.alliance_referrer_id, self.card_a.partner_id)
        # The issue fee was charged on the enrolment's order, which carries the new card.
        fee_order = self.env["pos.order"].search([("alliance_card_id", "=", member.alliance_card_id.id)])
        fee_line = fee_order.lines.filtered(lambda line: line.product_id.default_code == "ALLIANCE-CARD-FEE")
        self.assertEqual((fee_order.state, fee_line.price_subtotal_incl), ("paid", 20.0))

    def test_pos_member_discount(self):
        self.merchant_a.member_discount = 10.0
        cigarettes = self._pos_product(self.company_a)
        cigarettes.write({"name": "Alliance tour cigarettes", "list_price": 30.0, "alliance_no_discount": True})
        self.config_a.with_user(self.user_a_cashier).with_company(self.company_a).open_ui()
        self.start_tour(f"/pos/ui/{self.config_a.id}", "alliance_member_discount_tour", login="t_a_cashier")
        order = self.env["pos.order"].search([("config_id", "=", self.config_a.id)], order="id desc", limit=1)
        self.assertEqual((order.alliance_card_id, order.state), (self.card_a, "paid"))
        self.assertAlmostEqual(order.amount_total, 134.40, places=2)
        dish = order.lines.filtered(lambda line: line.product_id == self.dish)
        self.assertEqual((dish.qty, dish.discount, dish.alliance_discount), (2, 10.0, 10.0))
        self.assertEqual(order.lines.filtered(lambda line: line.product_id == cigarettes).discount, 0.0)
        # 折扣前 58 × 2 + 30 = 146.00; the card took 11.60 off.
        self.assertAlmostEqual(order.alliance_gross_amount, 146.00, places=2)
        self.assertAlmostEqual(order.alliance_discount_amount, 11.60, places=2)

    def test_pos_card_scanned_on_the_product_screen(self):
        self.config_a.with_user(self.user_a_cashier).with_company(self.company_a).open_ui()
        self.start_tour(f"/pos/ui/{self.config_a.id}", "alliance_member_scan_tour", login="t_a_cashier")
        order = self.env["pos.order"].search([("config_id", "=", self.config_a.id)], order="id desc", limit=1)
        self.assertEqual(order.alliance_card_id, self.card_a)
        self.assertEqual(order.state, "paid")
        # The rule is Odoo's own nomenclature's: a product barcode is still a product.
        parsed = self.env["barcode.nomenclature"].browse(self.config_a.company_id.nomenclature_id.id)
        self.assertEqual(parsed.parse_barcode(self.card_a.code)["type"], "alliance_card")
        self.assertEqual(parsed.parse_barcode("6901234567892")["type"], "product")

    def test_pos_count_card_visit_and_refund(self):
        count_type = self.env["alliance.card.type"].create({"name": "美发三次卡", "kind": "count", "visits": 3})
        partner = self.env["res.partner"].create({"name": "计次会员", "phone": "13907319060"})
        Cards = self.env["alliance.card"].with_user(self.user_a_cashier).with_company(self.company_a)
        card = Cards.create({"partner_id": partner.id, "type_id": count_type.id, "code": "9000000027"})
        self.config_a.with_user(self.user_a_cashier).with_company(self.company_a).open_ui()
        self.start_tour(f"/pos/ui/{self.config_a.id}", "alliance_member_count_card_tour", login="t_a_cashier")
        order = self.env["pos.order"].search([("alliance_card_id", "=", card.id)])
        self.assertEqual((order.state, card.visits_left), ("paid", 2))
        Visit = self.env["alliance.card.visit"]
        used = Visit.search([("card_id", "=", card.id)])
        self.assertEqual((used.visits, used.pos_order_id, used.reference), (-1, order, f"pos/{order.uuid}"))
        # The cashier refunds the order: the visit comes back, once however often the refund is synced.
        cashier = self.user_a_cashier
        refund = self._pos_sync(self.merchant_a, False, -58.0, refund_of=order, user=cashier)
        self._pos_sync(self.merchant_a, False, -58.0, refund_of=order, uuid=refund.uuid, user=cashier)
        card.invalidate_recordset()
        self.assertEqual(card.visits_left, 3)
        back = Visit.search([("card_id", "=", card.id), ("visits", "=", 1)])
        self.assertEqual((back.pos_order_id, used.given_back_id), (refund, back))

    def test_portal_member_sees_own_card_only(self):
        self.start_tour("/my", "alliance_member_portal_tour", login="t_member")
        self.authenticate("t_member", "t_memberx")
        own = self.url_open(f"/my/alliance/card/{self.card_a.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn(self.card_a.code, own.text)
        other = self.url_open(f"/my/alliance/card/{self.card_b.id}")
        self.assertEqual(other.status_code, 404)
        self.assertNotIn(self.card_b.code, other.text)
        self.assertNotIn("李四", other.text)
        # The merchant page is for merchant managers only.
        merchant = self.url_open("/my/alliance/merchant", allow_redirects=False)
        self.assertEqual(merchant.status_code, 303)

    def test_the_member_edits_their_details_on_a_phone_page(self):
        self.authenticate("t_member", "t_member")
        page = self.url_open("/my/alliance/profile")
        self.assertEqual(page.status_code, 200)
        self.assertIn("139****9001", page.text)
        self.assertNotIn('name="street"', page.text)
        token = Request.csrf_token(self)
        partner = self.card_a.partner_id
        # What a page may send beyond its fields (the phone, a referrer) is not taken.
        data = {"csrf_token": token, "name": "张三丰", "birthday": "1990-03-12", "consent_sms": "on"}
        saved = self.url_open("/my/alliance/profile", data=data | {"phone": "13900000000", "alliance_referrer_id": "1"})
        self.assertIn("o_alliance_profile_saved", saved.text)
        self.assertEqual((partner.name, str(partner.alliance_birthday)), ("张三丰", "1990-03-12"))
        self.assertEqual((partner.alliance_consent_sms, partner.alliance_consent_marketing), (True, False))
        self.assertEqual((partner.phone, partner.alliance_referrer_id.id), ("+8613907319001", False))
        refused = self.url_open("/my/alliance/profile", data=data | {"name": "张三", "birthday": "1990/03/12"})
        self.assertIn("o_alliance_profile_error", refused.text)
        self.assertEqual(partner.name, "张三丰")
        # A portal user who is no member has no such page.
        self.authenticate("t_portal_merchant", "t_portal_merchant")
        self.assertEqual(self.url_open("/my/alliance/profile", allow_redirects=False).status_code, 303)

    def test_portal_merchant_page(self):
        self.authenticate("t_portal_merchant", "t_portal_merchant")
        page = self.url_open("/my/alliance/merchant")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Test Merchant A", page.text)
        self.assertNotIn("Test Merchant B", page.text)
        # It is not a member: no card page.
        self.assertEqual(self.url_open(f"/my/alliance/card/{self.card_a.id}").status_code, 404)
