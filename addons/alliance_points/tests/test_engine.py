from datetime import date
from itertools import pairwise

from odoo.tests import tagged

from .common import NOON, PointsCase


@tagged("post_install", "-at_install")
class TestEngine(PointsCase):
    """Each rule with numbers computed by hand, then all of them together."""

    def _points(self, card, amount, merchant=None, lines=None, when=NOON):
        merchant = merchant or self.merchant_a
        return self.env["alliance.points.engine"]._compute_earn(card, merchant, amount, lines, when)["points"]

    def test_base_rate_rounds_down(self):
        self.assertEqual(self._points(self.card_a, 88.50), 88)
        self.assertEqual(self._points(self.card_a, 0.99), 0)
        self.assertEqual(self._points(self.card_a, 0.0), 0)

    def test_currencies_with_no_and_three_decimals(self):
        """One point per unit whatever the currency's minor unit: ¥1,234 (JPY) and 12.345 KWD."""
        for xmlid, amount, points in (("base.JPY", 1234, 1234), ("base.KWD", 12.345, 12), ("base.CNY", 12.34, 12)):
            currency = self.env.ref(xmlid)
            currency.active = True
            company = self.env["res.company"].create({"name": f"Shop in {currency.name}", "currency_id": currency.id})
            merchant = (
                self.env["alliance.merchant"]
                .with_context(alliance_no_pos_config=True)
                .create({"name": company.name, "company_id": company.id})
            )
            with self.subTest(currency=currency.name):
                self.assertEqual(self._points(self.card_a, amount, merchant=merchant), points)

    def test_alliance_rate_and_merchant_override(self):
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.earn_rate_pct", "50")
        self.assertEqual(self._points(self.card_a, 88.50), 44)  # 88.50 × 0.5 = 44.25
        self.merchant_a.earn_rate_pct = 200
        self.assertEqual(self._points(self.card_a, 88.50), 177)
        self.assertEqual(self._points(self.card_a, 88.50, merchant=self.merchant_b), 44)

    def test_spend_bands(self):
        Band = self.env["alliance.earn.band"]
        Band.create({"min_amount": 1000, "max_amount": 2000, "multiplier_pct": 100})
        Band.create({"min_amount": 2000, "max_amount": 5000, "multiplier_pct": 150})
        Band.create({"min_amount": 5000, "multiplier_pct": 200})
        self.assertEqual(self._points(self.card_a, 999.99), 999)
        self.assertEqual(self._points(self.card_a, 1500), 1500)
        self.assertEqual(self._points(self.card_a, 1999.99), 1999)
        self.assertEqual(self._points(self.card_a, 2000), 3000)
        self.assertEqual(self._points(self.card_a, 2500), 3750)
        self.assertEqual(self._points(self.card_a, 6000), 12000)

    def test_tier_multiplier(self):
        self.card_a.tier_id = self.tier_gold  # 150 %
        self.assertEqual(self._points(self.card_a, 100), 150)
        self.card_a.tier_id = self.tier_silver  # 120 %
        self.assertEqual(self._points(self.card_a, 99.99), 119)  # 119.988

    def test_birthday(self):
        self.card_a.partner_id.alliance_birthday = date(1990, 10, 1)
        self.assertEqual(self._points(self.card_a, 100), 200)
        self.card_a.partner_id.alliance_birthday = date(1990, 10, 2)
        self.assertEqual(self._points(self.card_a, 100), 100)

    def test_promotions(self):
        Promo = self.env["alliance.earn.promotion"]
        promo = Promo.create(
            {"name": "国庆", "date_from": date(2026, 10, 1), "date_to": date(2026, 10, 7), "multiplier_pct": 200}
        )
        self.assertEqual(self._points(self.card_a, 100), 200)
        promo.weekdays = "56"  # weekends only; 1 October 2026 is a Thursday
        self.assertEqual(self._points(self.card_a, 100), 100)
        promo.write({"weekdays": "3", "hour_from": 13, "hour_to": 24})  # Thursdays from 13:00 local
        self.assertEqual(self._points(self.card_a, 100), 100)
        promo.hour_from = 12
        self.assertEqual(self._points(self.card_a, 100), 200)
        promo.merchant_ids = self.merchant_b
        self.assertEqual(self._points(self.card_a, 100), 100)
        self.assertEqual(self._points(self.card_a, 100, merchant=self.merchant_b), 200)
        promo.write({"merchant_ids": [(5, 0, 0)], "multiplier_pct": 100, "bonus_points": 30})
        self.assertEqual(self._points(self.card_a, 100), 130)

    def test_category_promotion_applies_to_its_lines_only(self):
        drinks = self.env["product.category"].create({"name": "Drinks"})
        tea = self.env["product.category"].create({"name": "Tea", "parent_id": drinks.id})
        food = self.env["product.category"].create({"name": "Food"})
        self.env["alliance.earn.promotion"].create(
            {
                "name": "饮品三倍",
                "date_from": date(2026, 10, 1),
                "date_to": date(2026, 10, 1),
                "multiplier_pct": 300,
                "category_ids": [(6, 0, drinks.ids)],
            }
        )
        lines = [{"category": tea.id, "amount": 40.0}, {"category": food.id, "amount": 60.0}]
        # 40 × 3 + 60 = 180
        self.assertEqual(self._points(self.card_a, 100, lines=lines), 180)
        # Half of the bill paid with points: only the 50 paid earns, lines scaled: 20 × 3 + 30 = 90
        self.assertEqual(self._points(self.card_a, 50, lines=lines), 90)

    def test_everything_together_gold_birthday_promotion_referral_chain(self):
        Band = self.env["alliance.earn.band"]
        Band.create({"min_amount": 1000, "max_amount": 2000, "multiplier_pct": 100})
        Band.create({"min_amount": 2000, "max_amount": 5000, "multiplier_pct": 150})
        Band.create({"min_amount": 5000, "multiplier_pct": 200})
        self.env["alliance.earn.promotion"].create(
            {"name": "国庆", "date_from": date(2026, 10, 1), "date_to": date(2026, 10, 7), "multiplier_pct": 200}
        )
        # A chain of referrers: r1 referred the buyer, r2 referred r1, r3 referred r2, r4 referred r3.
        referrers = []
        for i in range(4):
            info = self._enrol(self.user_a_cashier, f"推荐人{i + 1}", f"1390731801{i}")
            referrers.append(self.Card.browse(info["card_id"]))
        buyer = self.card_b
        buyer.partner_id.alliance_referrer_id = referrers[0].partner_id
        for child, parent in pairwise(referrers):
            child.partner_id.alliance_referrer_id = parent.partner_id
        buyer.tier_id = self.tier_gold
        buyer.partner_id.alliance_birthday = date(1988, 10, 1)
        # A big banquet reported by the till: within this merchant's own limit.
        self.merchant_a.api_max_points_day = 50000
        entry = self.env["alliance.points.service"]._earn(
            buyer, self.merchant_a, 2500.0, "gold-birthday-promo", date=NOON
        )
        # 2,500 × 1 (rate) × 1.5 (band) × 1.5 (gold) × 2 (birthday) × 2 (promotion) = 22,500
        self.assertEqual(entry.points, 22500)
        for text in ("band", "tier Gold", "birthday", "promotion 国庆"):
            self.assertIn(text, entry.explain)
        # Referral: 10 %, 5 %, 2 % of 22,500 to three levels; the fourth gets nothing.
        self.assertEqual([c.balance for c in referrers], [2250, 1125, 450, 0])
        bonus = self.env["alliance.points.entry"].search([("parent_entry_id", "=", entry.id)], order="reference")
        self.assertEqual(bonus.mapped("entry_type"), ["referral"] * 3)
        self.assertEqual(bonus.mapped("merchant_id"), self.merchant_a)
        self.assertLedgerConsistent(buyer, *referrers)
