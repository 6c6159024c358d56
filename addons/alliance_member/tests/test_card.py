from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.alliance_card import code_from_serial
from .common import AllianceCase


@tagged("post_install", "-at_install")
class TestCard(AllianceCase):
    def _cards(self, user):
        return self.env["alliance.card"].with_user(user).with_company(user.company_id)

    def test_enrol_takes_next_number_of_own_range(self):
        self.assertEqual(self.card_a.code, code_from_serial(900000001))
        self.assertEqual(self.card_a.issuer_merchant_id, self.merchant_a)
        self.assertEqual(self.card_a.partner_id.phone, "+8613907319001")
        self.assertEqual(self.card_a.tier_id, self.tier_basic)
        info = self._enrol(self.user_a_cashier, "王五", "13907319003")
        self.assertEqual(info["card"], code_from_serial(900000002))
        self.assertEqual(self.range_a.next_number, 900000003)
        self.assertEqual(self.range_a.stock_count, 48)

    def test_client_cannot_choose_the_issuer(self):
        partner = self.env["res.partner"].create({"name": "赵六", "phone": "13907319004", "alliance_is_member": True})
        card = self._cards(self.user_a_cashier).create(
            {"partner_id": partner.id, "issuer_merchant_id": self.merchant_b.id}
        )
        self.assertEqual(card.issuer_merchant_id, self.merchant_a)

    def test_bad_card_numbers(self):
        # As the contract has it: the contact first, then the card.
        partner = self.env["res.partner"].create({"name": "赵六", "phone": "13907319004"})
        cards_before = self.env["alliance.card"].search_count([])
        good = code_from_serial(900000010)
        wrong_digit = good[:-1] + str((int(good[-1]) + 1) % 10)
        with self.assertRaisesRegex(ValidationError, "check the digits"):
            self._cards(self.user_a_cashier).create({"partner_id": partner.id, "code": wrong_digit})
        with self.assertRaisesRegex(UserError, "already belongs"):
            self._cards(self.user_a_cashier).create({"partner_id": partner.id, "code": self.card_b.code})
        with self.assertRaisesRegex(UserError, "another merchant's stock"):
            self._cards(self.user_a_cashier).create({"partner_id": partner.id, "code": code_from_serial(900000120)})
        with self.assertRaisesRegex(UserError, "not in any of your card ranges"):
            self._cards(self.user_a_cashier).create({"partner_id": partner.id, "code": code_from_serial(800000000)})
        with self.assertRaisesRegex(UserError, "not a valid card number"):
            self.env["alliance.card"].with_user(self.user_a_cashier).alliance_lookup(wrong_digit)
        self.assertEqual(self.env["alliance.card"].search_count([]), cards_before)

    def test_enrol_with_birthday_referrer_and_fee(self):
        self.card_type.issue_fee = 20.0
        info = self._enrol(self.user_b_cashier, "王五", "13907319031", birthday="1990-03-12", referrer=self.card_a.code)
        partner = self.env["alliance.card"].browse(info["card_id"]).partner_id
        self.assertEqual(str(partner.alliance_birthday), "1990-03-12")
        self.assertEqual(partner.alliance_referrer_id, self.card_a.partner_id)
        self.assertEqual((info["referrer"], info["issue_fee"]), ("张三", 20.0))
        self.assertEqual(info["fee_product_id"], self.env.ref("alliance_member.product_card_fee").id)
        # By the referrer's phone too; no fee when the card type has none.
        self.card_type.issue_fee = 0.0
        info = self._enrol(self.user_b_cashier, "赵六", "13907319032", referrer="139 0731 9031")
        self.assertEqual(self.env["alliance.card"].browse(info["card_id"]).partner_id.alliance_referrer_id, partner)
        self.assertEqual((info["issue_fee"], info["fee_product_id"]), (0.0, False))

    def test_enrol_with_a_bad_birthday_or_referrer_creates_nothing(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        before = Partner.search_count([("alliance_is_member", "=", True)])
        for birthday in ("12/03/1990", "2999-01-01", "1800-01-01", 19900312, ["1990-03-12"], "1990-02-30"):
            with self.assertRaisesRegex(UserError, "birthday"):
                self._enrol(self.user_a_cashier, "钱七", "13907319033", birthday=birthday)
        with self.assertRaisesRegex(UserError, "No member has phone number"):
            self._enrol(self.user_a_cashier, "钱七", "13907319033", referrer="13907319099")
        self.card_b.with_user(self.user_b_cashier).action_freeze()
        with self.assertRaisesRegex(UserError, "not active"):
            self._enrol(self.user_a_cashier, "钱七", "13907319033", referrer=self.card_b.code)
        self.assertEqual(Partner.search_count([("alliance_is_member", "=", True)]), before)

    def test_enrol_on_frozen_or_closed_card_refused(self):
        self.card_b.with_user(self.user_b_cashier).action_freeze()
        partner = self.env["res.partner"].create({"name": "赵六", "phone": "13907319004"})
        with self.assertRaisesRegex(UserError, "Frozen"):
            self._cards(self.user_b_cashier).create({"partner_id": partner.id, "code": self.card_b.code})
        self.card_b.with_user(self.user_b_cashier).action_close()
        with self.assertRaisesRegex(UserError, "Closed"):
            self._cards(self.user_b_cashier).create({"partner_id": partner.id, "code": self.card_b.code})
        self.assertFalse(partner.alliance_card_ids)

    def test_state_machine(self):
        card = self.card_a.with_user(self.user_a_cashier)
        card.action_freeze()
        self.assertEqual(card.state, "frozen")
        with self.assertRaisesRegex(UserError, "cannot become Frozen"):
            card.action_freeze()
        card.action_unfreeze()
        card.action_close()
        for action in (card.action_unfreeze, card.action_report_lost, card.action_freeze):
            with self.assertRaisesRegex(UserError, "Closed"):
                action()
        self.assertEqual(card.state, "closed")

    def test_only_issuer_or_operator_manage_a_card(self):
        with self.assertRaises(AccessError):
            self.card_a.with_user(self.user_b_cashier).action_freeze()
        self.assertEqual(self.card_a.state, "active")
        self.card_a.with_user(self.user_operator).action_freeze()
        self.assertEqual(self.card_a.state, "frozen")

    def test_lost_card_replacement_keeps_balance_and_history(self):
        # The points service owns the balance; without it, set it as it would have left it.
        if "alliance.points.service" in self.env:
            service = self.env["alliance.points.service"]
            service._lock_card(self.card_a)
            service._post(self.card_a, "adjust", 1500, reference="test-seed")
        else:
            self.card_a.sudo().balance = 1500
        self.card_a.with_user(self.user_operator)._set_tier_manually(self.tier_silver, "开业活动")
        old = self.card_a.with_user(self.user_a_cashier)
        with self.assertRaisesRegex(UserError, "Only a card reported lost"):
            old._replace()
        old.action_report_lost()
        new = old._replace()
        self.assertEqual(new.partner_id, self.card_a.partner_id)
        self.assertEqual(new.balance, 1500)
        self.assertEqual(self.card_a.balance, 0)
        self.assertEqual(new.tier_id, self.tier_silver)
        self.assertTrue(new.tier_locked)
        self.assertEqual(new.replaces_id, self.card_a)
        self.assertEqual(self.card_a.replaced_by_id, new)
        self.assertEqual(new.state, "active")
        self.assertEqual(new._card_chain(), new | self.card_a)
        self.assertEqual(self.card_a.partner_id.alliance_card_id, new)
        # The old code is disabled for good.
        info = self.env["alliance.card"].with_user(self.user_b_cashier).alliance_lookup(self.card_a.code)
        self.assertEqual(info["state"], "lost")
        self.assertEqual(info["replaced_by"], new.code)
        with self.assertRaisesRegex(UserError, "already replaced"):
            old._replace()
        # Lookup by phone finds the new card.
        info = self.env["alliance.card"].with_user(self.user_b_cashier).alliance_lookup("139-0731-9001")
        self.assertEqual(info["card"], new.code)

    def test_lookup_by_card_or_phone_reveals_little(self):
        info = self.env["alliance.card"].with_user(self.user_b_cashier).alliance_lookup(self.card_a.code)
        self.assertEqual(info["member"], "张三")
        self.assertEqual(info["tier"], self.tier_basic.name)
        self.assertEqual(info["balance"], 0)
        for key in ("phone", "birthday", "id_number", "email"):
            self.assertNotIn(key, info)
        same = self.env["alliance.card"].with_user(self.user_b_cashier).alliance_lookup("+86 139 0731 9001")
        self.assertEqual(same["card_id"], self.card_a.id)
        with self.assertRaisesRegex(UserError, "No member has phone"):
            self.env["alliance.card"].with_user(self.user_b_cashier).alliance_lookup("13907319999")

    def test_suspended_merchant_serves_terminated_does_not(self):
        self.merchant_a.action_suspend()
        info = self._enrol(self.user_a_cashier, "孙七", "13907319005")
        self.assertTrue(info["card"])
        with self.assertRaisesRegex(UserError, "suspended"):
            self.merchant_a._check_can_move_points()
        self.merchant_a.action_terminate()
        with self.assertRaisesRegex(UserError, "not an active member"):
            self._enrol(self.user_a_cashier, "周八", "13907319006")
        with self.assertRaisesRegex(UserError, "cannot go from"):
            self.merchant_a.action_activate()


@tagged("post_install", "-at_install")
class TestCountCard(AllianceCase):
    def test_visits_are_used_once_per_reference_until_none_left(self):
        count_type = self.env["alliance.card.type"].create({"name": "美发三次卡", "kind": "count", "visits": 3})
        partner = self.env["res.partner"].create({"name": "计次", "phone": "13907319050", "alliance_is_member": True})
        card = (
            self.env["alliance.card"]
            .with_user(self.user_a_cashier)
            .with_company(self.company_a)
            .create({"partner_id": partner.id, "type_id": count_type.id})
        )
        self.assertEqual(card.visits_left, 3)
        Cards_b = self.env["alliance.card"].with_user(self.user_b_cashier).with_company(self.company_b)
        self.assertEqual(Cards_b.alliance_use_visit(card.code, "V-1")["visits_left"], 2)
        self.assertEqual(Cards_b.alliance_use_visit(card.code, "V-1")["visits_left"], 2)
        Cards_b.alliance_use_visit(card.code, "V-2")
        Cards_b.alliance_use_visit(card.code, "V-3")
        with self.assertRaisesRegex(UserError, "no visit left"):
            Cards_b.alliance_use_visit(card.code, "V-4")
        self.assertEqual(card.visits_left, 0)
        self.assertEqual(self.env["alliance.card.visit"].search_count([("card_id", "=", card.id)]), 3)
        with self.assertRaisesRegex(UserError, "not a count-based card"):
            Cards_b.alliance_use_visit(self.card_a.code, "V-5")
        with self.assertRaises(AccessError):
            card.with_user(self.user_a_cashier).write({"visits_left": 10})

    def test_a_card_typed_offline_is_found_at_sync(self):
        cashier = self.user_a_cashier
        order = self._pos_sync(self.merchant_a, False, 58.0, user=cashier, card_code=self.card_a.code)
        self.assertEqual((order.alliance_card_id, order.alliance_card_code), (self.card_a, self.card_a.code))
        # Offline only a card number names a card: not a wrong number, a phone, a payment code or junk.
        for typed in ("9000000018", "13907319001", "+8613907319001", "1" * 40):
            order = self._pos_sync(self.merchant_a, False, 58.0, user=cashier, card_code=typed)
            self.assertFalse(order.alliance_card_id, typed)
            self.assertEqual(order.state, "paid", typed)
        # A card the order names itself is the card; the number beside it changes nothing.
        order = self._pos_sync(self.merchant_a, self.card_b, 58.0, user=cashier, card_code=self.card_a.code)
        self.assertEqual(order.alliance_card_id, self.card_b)
