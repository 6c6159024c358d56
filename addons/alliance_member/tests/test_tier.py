from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AllianceCase


@tagged("post_install", "-at_install")
class TestTier(AllianceCase):
    def test_spend_across_merchants_moves_tier_up_then_down(self):
        card = self.card_a
        self._pos_sync(self.merchant_a, card, 1500.0)
        self._pos_sync(self.merchant_b, card, 1000.0)
        # Another member's order and an order without a card count for nobody here.
        self._pos_sync(self.merchant_b, self.card_b, 300.0)
        self._pos_sync(self.merchant_b, False, 5000.0)
        today = fields.Date.context_today(self.env["alliance.card"])
        spend = self.env["alliance.card"]._get_rolling_spend(today)
        self.assertEqual(spend[card.partner_id.id], 2500.0)
        self.assertEqual(spend[self.card_b.partner_id.id], 300.0)

        self.env["alliance.card"]._cron_update_tiers(today)
        self.assertEqual(card.tier_id, self.tier_silver)
        self.assertEqual(self.card_b.tier_id, self.tier_basic)
        up = card.tier_history_ids.filtered(lambda h: h.reason == "auto")
        self.assertEqual(len(up), 1)
        self.assertEqual((up.old_tier_id, up.new_tier_id, up.spend), (self.tier_basic, self.tier_silver, 2500.0))
        self.assertIn("Upgraded", card.message_ids[0].body)

        # Running again the same day changes nothing.
        self.env["alliance.card"]._cron_update_tiers(today)
        self.assertEqual(len(card.tier_history_ids.filtered(lambda h: h.reason == "auto")), 1)

        # A year and a day later, without new spend, the member falls back.
        later = today + relativedelta(years=1, days=1)
        self.env["alliance.card"]._cron_update_tiers(later)
        self.assertEqual(card.tier_id, self.tier_basic)
        down = card.tier_history_ids.filtered(lambda h: h.reason == "auto").sorted("id")[-1]
        self.assertEqual((down.old_tier_id, down.new_tier_id, down.spend), (self.tier_silver, self.tier_basic, 0.0))
        self.assertIn("Downgraded", card.message_ids[0].body)

    def test_manual_override_is_operator_only_and_sticks(self):
        with self.assertRaises(AccessError):
            self.card_a.with_user(self.user_a_manager)._set_tier_manually(self.tier_gold, "friend")
        wizard = (
            self.env["alliance.tier.override"]
            .with_user(self.user_operator)
            .create({"card_id": self.card_a.id, "tier_id": self.tier_gold.id, "note": "合作伙伴"})
        )
        wizard.action_apply()
        self.assertEqual(self.card_a.tier_id, self.tier_gold)
        manual = self.card_a.tier_history_ids.filtered(lambda h: h.reason == "manual")
        self.assertEqual(manual.note, "合作伙伴")
        self.env["alliance.card"]._cron_update_tiers()
        self.assertEqual(self.card_a.tier_id, self.tier_gold, "the cron leaves a manual tier alone")

    def test_card_on_pos_order(self):
        order = self._pos_sync(self.merchant_a, self.card_b, 88.0)
        self.assertEqual(order.alliance_card_id, self.card_b)
        self.assertEqual(order.company_id, self.company_a)
        self.assertEqual(order.state, "paid")

    def test_a_members_spend_across_merchants_is_not_the_issuers_to_read(self):
        history = self.card_a.tier_history_ids[:1]
        self.assertTrue(history)
        # The issuing merchant's manager sees the card's tier changes, not the member's spend everywhere.
        self.assertTrue(history.with_user(self.user_a_manager).read(["new_tier_id"]))
        with self.assertRaises(AccessError):
            history.with_user(self.user_a_manager).read(["spend"])
        self.assertIn("spend", history.with_user(self.user_accountant).read(["spend"])[0])
