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

    def test_pos_scan_card_then_enrol(self):
        self.config_a.with_user(self.user_a_cashier).with_company(self.company_a).open_ui()
        self.start_tour(f"/pos/ui/{self.config_a.id}", "alliance_member_pos_tour", login="t_a_cashier")
        order = self.env["pos.order"].search([("config_id", "=", self.config_a.id)], order="id desc", limit=1)
        self.assertEqual(order.alliance_card_id, self.card_a)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.amount_total, 58.0)
        member = self.env["res.partner"].search([("alliance_phone", "=", "+8613907319088")])
        self.assertEqual(member.name, "柜台新会员")
        self.assertEqual(member.alliance_card_id.issuer_merchant_id, self.merchant_a)
        self.assertEqual(member.alliance_enrol_merchant_id, self.merchant_a)

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

    def test_portal_merchant_page(self):
        self.authenticate("t_portal_merchant", "t_portal_merchant")
        page = self.url_open("/my/alliance/merchant")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Test Merchant A", page.text)
        self.assertNotIn("Test Merchant B", page.text)
        # It is not a member: no card page.
        self.assertEqual(self.url_open(f"/my/alliance/card/{self.card_a.id}").status_code, 404)
