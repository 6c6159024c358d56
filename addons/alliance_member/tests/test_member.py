from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import AllianceCase


@tagged("post_install", "-at_install")
class TestMember(AllianceCase):
    def test_phone_normalised_and_unique(self):
        partner = self.env["res.partner"].create({"name": "钱九", "phone": "139 0731 9010", "alliance_is_member": True})
        self.assertEqual(partner.phone, "+8613907319010")
        self.assertEqual(partner.alliance_phone, "+8613907319010")
        with self.assertRaisesRegex(ValidationError, "already belongs to member 钱九"):
            self.env["res.partner"].create({"name": "冒名", "phone": "+86 13907319010", "alliance_is_member": True})
        with self.assertRaisesRegex(ValidationError, "already belongs"):
            self._enrol(self.user_a_cashier, "冒名", "13907319010")

    def test_invalid_phone_refused_and_nothing_created(self):
        count = self.env["res.partner"].search_count([])
        for bad in ("12345", "1390731900112345", "abc"):
            with self.assertRaisesRegex(ValidationError, "not a valid phone number"):
                self._enrol(self.user_a_cashier, "错号", bad)
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_referral_cycle_refused(self):
        a = self.card_a.partner_id
        b = self.card_b.partner_id
        b.alliance_referrer_id = a
        c = self.env["res.partner"].create(
            {"name": "丙", "phone": "13907319011", "alliance_is_member": True, "alliance_referrer_id": b.id}
        )
        with self.assertRaisesRegex(ValidationError, "by themselves"):
            a.alliance_referrer_id = c
        with self.assertRaisesRegex(ValidationError, "by themselves"):
            a.alliance_referrer_id = a
        a.invalidate_recordset()
        self.assertFalse(a.alliance_referrer_id)
        self.assertEqual(a.alliance_referral_ids, b)

    def test_merchant_from_a_company_alone_takes_its_name(self):
        """API.md: create the company, then the merchant with that company and the contract fields."""
        company = self.env["res.company"].create({"name": "芙蓉茶馆", "currency_id": self.currency.id})
        # The operator's administrator created the company and gave the operator's staff access to it.
        self.user_operator.company_ids = [(4, company.id)]
        merchant = (
            self.env["alliance.merchant"]
            .with_user(self.user_operator)
            .with_context(alliance_no_pos_config=True)
            .create({"company_id": company.id, "issue_price": 12.0, "billing_mode": "prepaid"})
        )
        self.assertEqual((merchant.name, merchant.issue_price, merchant.state), ("芙蓉茶馆", 12.0, "draft"))
        merchant.action_activate()
        self.assertEqual(merchant.state, "active")

    def test_a_company_is_no_member(self):
        Card = self.env["alliance.card"].with_user(self.user_a_cashier).with_company(self.company_a)
        count = Card.sudo().search_count([])
        with self.assertRaisesRegex(UserError, "a company"):
            Card.create({"partner_id": self.company_b.partner_id.id})
        self.assertEqual(Card.sudo().search_count([]), count)
        self.assertFalse(self.company_b.partner_id.alliance_is_member)
