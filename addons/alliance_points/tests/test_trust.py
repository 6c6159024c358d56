"""A point moves only with the member: each attack of a dishonest counter, refused.

Every call is made as the cashier or manager who would make it. An attack
asserts that nothing changed: balance, ledger and lots as before.
"""

import re
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.alliance_points.models import alliance_card_auth

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestTrust(PointsCase):
    def setUp(self):
        super().setUp()
        self.A = self._as(self.user_a_cashier)
        self.B = self._as(self.user_b_cashier)
        self.A.alliance_earn(self.card_a.code, 1000.0, "seed")
        self.phone = self.card_a.partner_id.phone
        self.auth = self.env["alliance.card.auth"]._get_for(self.card_a)

    def _snapshot(self, card=None):
        card = card or self.card_a
        card.invalidate_recordset()
        return (card.balance, self.env["alliance.points.entry"].search_count([("card_id", "=", card.id)]))

    def _refused(self, call, regex, exception=UserError, counted=False):
        """The call fails with ``regex`` and changes nothing.

        The call's transaction is rolled back as a request's would be. With
        ``counted`` (a wrong PIN or code, refused before anything is written)
        it is not: what the service counted in a transaction of its own must
        still be there afterwards, as in production.
        """
        before = self._snapshot()
        try:
            if counted:
                call()
            else:
                with self.env.cr.savepoint():
                    call()
        except exception as error:
            self.assertRegex(str(error), regex)
        else:
            self.fail(f"expected a refusal matching {regex!r}")
        self.env.invalidate_all()
        self.assertEqual(self._snapshot(), before)
        self.assertLedgerConsistent(self.card_a)

    def _sms_code(self, card):
        """The code the member received: the body of the SMS queued for their phone."""
        sms = self.env["sms.sms"].search([("partner_id", "=", card.partner_id.id)], order="id desc", limit=1)
        return re.search(r"\d{6}", sms.body).group(0)

    # -- proof of presence -------------------------------------------------------------

    def test_no_spend_by_phone_number_without_the_member(self):
        for proof in (None, {}, {"card": self.card_a.code}):
            self._refused(lambda proof=proof: self.B.alliance_redeem(self.phone, 500, "by-phone", proof), "member|card")
        # The same phone with the member's payment code pays.
        done = self.B.alliance_redeem(self.phone, 500, "by-phone", self._proof(self.card_a))
        self.assertEqual(done["balance"], 500)

    def test_dynamic_payment_code_is_single_use_short_lived_and_the_cards_own(self):
        code = self._proof(self.card_a)
        self.assertEqual(self.B.alliance_redeem(self.card_a.code, 100, "paid-1", code)["balance"], 900)
        self._refused(lambda: self.B.alliance_redeem(self.card_a.code, 100, "paid-2", code), "already used")
        # A code of another card does not pay this one.
        other = self._proof(self.card_b)
        self._refused(lambda: self.B.alliance_redeem(self.card_a.code, 100, "paid-3", other), "another card")
        # A code shown two minutes ago has expired.
        stale = self._proof(self.card_a)
        later = alliance_card_auth.time.time() + 120
        with patch.object(alliance_card_auth.time, "time", return_value=later):
            self._refused(lambda: self.B.alliance_redeem(self.card_a.code, 100, "paid-4", stale), "expired")
        # A made-up code is a wrong guess: counted like a wrong PIN.
        forged = {"code": stale["code"][:-6] + ("000000" if stale["code"][-6:] != "000000" else "111111")}
        self._refused(
            lambda: self.B.alliance_redeem(self.card_a.code, 100, "paid-5", forged), "not valid.*4 tries", counted=True
        )
        # The member scans the code at the counter: the card is found, nothing is spent.
        fresh = self._proof(self.card_a)
        self.assertEqual(self.B.alliance_lookup(fresh["code"])["card"], self.card_a.code)
        self.assertEqual(self.B.alliance_redeem(fresh["code"], 100, "paid-6", fresh)["balance"], 800)

    def test_pin_pays_and_five_wrong_pins_lock(self):
        self.auth._set_pin("135790")
        done = self.B.alliance_redeem(self.phone, 100, "pin-1", {"pin": "135790"})
        self.assertEqual(done["balance"], 900)
        for left in (4, 3, 2, 1):
            self._refused(
                lambda: self.B.alliance_redeem(self.phone, 100, "pin-x", {"pin": "000001"}),
                f"Wrong PIN. {left} tries",
                counted=True,
            )
        self._refused(
            lambda: self.B.alliance_redeem(self.phone, 100, "pin-x", {"pin": "000001"}), "now locked", counted=True
        )
        # Locked: the right PIN no longer pays, nor the card alone.
        self._refused(
            lambda: self.B.alliance_redeem(self.phone, 100, "pin-2", {"pin": "135790"}), "Too many wrong", counted=True
        )
        # The member's phone still proves they are there; an SMS code resets the PIN.
        self.assertEqual(self.B.alliance_redeem(self.phone, 100, "code-1", self._proof(self.card_a))["balance"], 800)
        self.auth.invalidate_recordset()
        self.auth._send_sms_code()
        self.auth._check_sms_code(self._sms_code(self.card_a))
        self.auth._set_pin("246801")
        self.assertEqual(self.B.alliance_redeem(self.phone, 100, "pin-3", {"pin": "246801"})["balance"], 700)
        # PINs are stored as Odoo stores passwords, never readable.
        self.assertTrue(self.auth.pin_hash.startswith("$pbkdf2-sha512$"))
        self.assertNotIn("246801", self.auth.pin_hash)
        for pin in ("12345", "111111", "123456", "abcdef"):
            with self.assertRaises(UserError):
                self.auth._set_pin(pin)

    def test_sms_code_for_this_merchant_three_tries_resend_limited(self):
        sent = self.B.alliance_send_code(self.phone, 300)
        self.assertEqual(sent["phone"], "139****9001")
        sms = self.env["sms.sms"].search([("partner_id", "=", self.card_a.partner_id.id)])
        self.assertEqual((len(sms), sms.state, sms.number), (1, "outgoing", self.phone))
        self.assertIn("Test Merchant B", sms.body)
        code = self._sms_code(self.card_a)
        self._refused(lambda: self.B.alliance_send_code(self.phone), "less than a minute")
        # The code was sent for B: A cannot use it.
        self._refused(lambda: self.A.alliance_redeem(self.phone, 300, "sms-a", {"sms": code}), "another purpose")
        done = self.B.alliance_redeem(self.phone, 300, "sms-1", {"sms": code})
        self.assertEqual(done["balance"], 700)
        self._refused(lambda: self.B.alliance_redeem(self.phone, 300, "sms-2", {"sms": code}), "No valid SMS code")
        # Three wrong codes void the code.
        self.auth.invalidate_recordset()
        self.auth.sudo().write({"sms_sent_at": fields.Datetime.now() - timedelta(minutes=2)})
        self.B.alliance_send_code(self.phone, 300)
        code = self._sms_code(self.card_a)
        wrong = "000000" if code != "000000" else "111111"
        self._refused(
            lambda: self.B.alliance_redeem(self.phone, 300, "sms-3", {"sms": wrong}), "2 tries left", counted=True
        )
        self._refused(
            lambda: self.B.alliance_redeem(self.phone, 300, "sms-3", {"sms": wrong}), "1 tries left", counted=True
        )
        self._refused(
            lambda: self.B.alliance_redeem(self.phone, 300, "sms-3", {"sms": wrong}), "three times", counted=True
        )
        self._refused(lambda: self.B.alliance_redeem(self.phone, 300, "sms-3", {"sms": code}), "No valid SMS code")
        # At most five codes an hour to one member.
        for minutes in (3, 4, 5):
            self.auth.invalidate_recordset()
            self.auth.sudo().write({"sms_sent_at": fields.Datetime.now() - timedelta(minutes=minutes)})
            self.B.alliance_send_code(self.phone)
        self.auth.invalidate_recordset()
        self.auth.sudo().write({"sms_sent_at": fields.Datetime.now() - timedelta(minutes=6)})
        self._refused(lambda: self.B.alliance_send_code(self.phone), "last hour")

    def test_physical_card_alone_pays_small_amounts_below_the_threshold(self):
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.card_only_points", "300")
        card = {"card": self.card_a.code}
        self.assertEqual(self.B.alliance_redeem(self.card_a.code, 200, "small-1", card)["balance"], 800)
        # The day's threshold is per card, over all small spends.
        self._refused(lambda: self.B.alliance_redeem(self.card_a.code, 200, "small-2", card), "at most 300")
        self.assertEqual(self.B.alliance_redeem(self.card_a.code, 100, "small-3", card)["balance"], 700)
        # Found by phone, or named by id, the card is not in the cashier's hand.
        self._refused(lambda: self.B.alliance_redeem(self.phone, 1, "small-4", card), "card itself")
        self._refused(lambda: self.B.alliance_redeem(self.card_b.code, 1, "small-5", card), "card itself")

    def test_bad_proofs_are_named(self):
        cases = [
            ({"pin": "13579a"}, "must be digits"),
            ({"otp": "123456"}, "Unknown kind of proof"),
            ({"pin": "1", "sms": "2"}, "A proof is one of"),
            (["code"], "A proof is one of"),
            ({"code": "9" * 21}, "not a payment code"),
            ({"pin": "135790"}, "has no PIN"),
            ({"sms": "123456"}, "No valid SMS code"),
        ]
        for proof, message in cases:
            self._refused(lambda proof=proof: self.B.alliance_redeem(self.card_a.code, 10, "bad", proof), message)

    def test_pos_hold_needs_the_member_too(self):
        self._refused(
            lambda: self.A.alliance_pos_hold(self.card_a.id, 5.0, "order-p", "pay-p", 58.0), "Spending points needs"
        )
        hold = self.A.alliance_pos_hold(self.card_a.id, 5.0, "order-p", "pay-p", 58.0, proof=self._proof(self.card_a))
        self.assertEqual(hold["balance"], 500)

    # -- points only for real sales ----------------------------------------------------

    def test_api_earn_limits(self):
        self.merchant_a.write({"api_max_amount": 2000.0, "api_max_points_day": 3000})
        # 1,000 points of the seed today already; no ¥1,000,000 "sale".
        self._refused(lambda: self.A.alliance_earn(self.card_a.code, 1_000_000.0, "mint"), "at most 2000")
        self.A.alliance_earn(self.card_a.code, 1500.0, "real-1")
        self._refused(lambda: self.A.alliance_earn(self.card_a.code, 600.0, "real-2"), "at most 3000 points a day")
        # POS orders earn on the order the server saved: the API's limits are not theirs.
        order = self._pos_sync(self.merchant_a, self.card_a, 600.0)
        self.assertEqual(order.alliance_points_earned, 600)
        for amount in (float("nan"), float("inf"), 1e15, -1.0, "100", True, None):
            self._refused(lambda amount=amount: self.A.alliance_earn(self.card_a.code, amount, "bad"), "amount paid")

    def test_points_earned_through_the_api_are_pending(self):
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.api_pending_hours", "24")
        earned = self.A.alliance_earn(self.card_b.code, 500.0, "pending-1")
        self.assertEqual((earned["points"], earned["pending"], earned["balance"]), (500, 500, 500))
        self.assertTrue(earned["available_at"])
        self.assertEqual(self.B.alliance_lookup(self.card_b.code)["available"], 0)
        with self.assertRaisesRegex(UserError, "0 points to spend; 100 cannot"):
            self.A.alliance_redeem(self.card_b.code, 100, "too-soon", self._proof(self.card_b))
        # A POS order's points are spendable at once, next to the pending ones.
        self._pos_sync(self.merchant_b, self.card_b, 80.0)
        self.assertEqual(
            self.B.alliance_redeem(self.card_b.code, 80, "pos-points", self._proof(self.card_b))["balance"], 500
        )
        # A day later, the points are the member's to spend.
        lot = self.env["alliance.points.lot"].search([("entry_id", "=", earned["entry_id"])])
        self.assertEqual(lot.pending_until.date(), (fields.Datetime.now() + timedelta(hours=24)).date())
        lot.sudo().write({"pending_until": fields.Datetime.now() - timedelta(minutes=1)})
        self.assertEqual(self.A.alliance_redeem(self.card_b.code, 500, "later", self._proof(self.card_b))["balance"], 0)
        self.assertLedgerConsistent(self.card_b)

    def test_postpaid_credit_limit(self):
        self.merchant_a.write({"billing_mode": "postpaid", "issue_price": 10.0, "credit_limit": 15.0})
        # The seed's 1,000 points (¥10) count against the limit from the moment it is set.
        self.assertEqual(self.merchant_a.credit_points, 1000)
        self.A.alliance_earn(self.card_b.code, 500.0, "credit-1")
        self._refused(lambda: self.A.alliance_earn(self.card_a.code, 1.0, "credit-2"), "over its credit limit")
        # Taking points back frees credit.
        self.A.alliance_reverse("credit-1")
        self.assertEqual(self.merchant_a.credit_points, 1000)
        self.A.alliance_earn(self.card_a.code, 100.0, "credit-3")

    # -- no claw-back ------------------------------------------------------------------

    def test_reversal_window_and_suspended_merchant(self):
        entry = self.env["alliance.points.entry"].search([("reference", "=", "seed")])
        self.env.cr.execute(
            "UPDATE alliance_points_entry SET date = date - interval '8 days' WHERE id = %s", [entry.id]
        )
        entry.invalidate_recordset()
        self._refused(lambda: self.A.alliance_reverse("seed"), "older than 7 days")
        self.A.alliance_earn(self.card_a.code, 100.0, "fresh")
        self.merchant_a.action_suspend()
        self._refused(lambda: self.A.alliance_reverse("fresh"), "suspended")
        # Another merchant's earn is not B's to reverse.
        self.merchant_a.action_activate()
        self._refused(lambda: self.B.alliance_reverse("fresh"), "No earn or redeem of yours")
        # The operator still undoes an old entry through its wizard.
        wizard = (
            self.env["alliance.points.reverse"]
            .with_user(self.user_operator)
            .create({"entry_id": entry.id, "reason": "refund agreed with the member"})
        )
        wizard.action_apply()
        self.assertEqual(self.card_a.balance, 100)

    def test_earn_spent_elsewhere_then_refunded_leaves_issuer_charged(self):
        self.B.alliance_redeem(self.card_a.code, 700, "spent-at-b", self._proof(self.card_a))
        reversal = self.A.alliance_reverse("seed")
        self.assertEqual(reversal["balance"], 0)
        self.assertEqual(self.card_a.debt_points, 700)
        entry = self.env["alliance.points.entry"].browse(reversal["entry_ids"])
        # Only the 300 points taken back are the issuer's credit; the 700 the member spent stay charged.
        self.assertEqual((entry.points, entry.debt_delta), (-300, 700))
        self.assertLedgerConsistent(self.card_a)

    def test_earn_and_redeem_sharing_a_reference_are_both_reversed(self):
        self.A.alliance_earn(self.card_b.code, 200.0, "TILL-7")
        self.A.alliance_redeem(self.card_a.code, 50, "TILL-7", self._proof(self.card_a))
        reversal = self.A.alliance_reverse("TILL-7")
        entries = self.env["alliance.points.entry"].browse(reversal["entry_ids"])
        self.assertEqual(sorted(entries.mapped("points")), [-200, 50])
        self.assertEqual((self.card_a.balance, self.card_b.balance), (1000, 0))
        self.assertEqual(self.A.alliance_reverse("TILL-7")["entry_ids"], reversal["entry_ids"])
        self.assertLedgerConsistent(self.card_a, self.card_b)

    # -- the server owns the card ------------------------------------------------------

    def test_card_fields_injected_at_create_are_ignored(self):
        partner = self.env["res.partner"].create({"name": "王五", "phone": "+8613907319003"})
        Card = self.env["alliance.card"].with_user(self.user_a_manager).with_company(self.company_a)
        card = Card.create(
            {
                "partner_id": partner.id,
                "balance": 1_000_000,
                "tier_id": self.tier_gold.id,
                "tier_locked": True,
                "visits_left": 9999,
                "valid_until": "2099-12-31",
                "state": "frozen",
                "issuer_merchant_id": self.merchant_b.id,
            }
        )
        self.assertEqual(
            (card.balance, card.tier_id, card.tier_locked, card.visits_left, card.state, card.issuer_merchant_id),
            (0, self.tier_basic, False, 0, "active", self.merchant_a),
        )
        # The member is a member now: found by phone at every counter.
        self.assertEqual(self.B.alliance_lookup("13907319003")["card"], card.code)
        for vals in (
            {"balance": 5000},
            {"tier_id": self.tier_gold.id},
            {"visits_left": 9999},
            {"state": "active"},
            {"valid_until": "2099-12-31"},
            {"partner_id": self.card_b.partner_id.id},
        ):
            with self.assertRaisesRegex(AccessError, "set by the alliance's server only"):
                card.with_user(self.user_a_manager).write(vals)
        self.assertEqual(card.balance, 0)

    def test_only_the_operator_unfreezes_what_the_operator_froze(self):
        self.card_a.with_user(self.user_operator).action_freeze()
        self.assertEqual((self.card_a.state, self.card_a.frozen_by), ("frozen", "operator"))
        for action in ("action_unfreeze", "action_report_lost", "action_close"):
            with self.assertRaisesRegex(AccessError, "only the operator"):
                getattr(self.card_a.with_user(self.user_a_cashier).with_company(self.company_a), action)()
        self.assertEqual(self.card_a.state, "frozen")
        # Nor can another merchant issue the frozen member a fresh card.
        Card = self.env["alliance.card"].with_user(self.user_b_cashier).with_company(self.company_b)
        with self.assertRaisesRegex(UserError, "operator froze"):
            Card.create({"partner_id": self.card_a.partner_id.id})
        self.card_a.with_user(self.user_operator).action_unfreeze()
        self.assertEqual((self.card_a.state, self.card_a.frozen_by), ("active", False))
        # What the issuing merchant froze, it unfreezes itself.
        self.card_a.with_user(self.user_a_cashier).with_company(self.company_a).action_freeze()
        self.assertEqual(self.card_a.frozen_by, "merchant")
        self.card_a.with_user(self.user_a_cashier).with_company(self.company_a).action_unfreeze()
        self.assertEqual(self.card_a.state, "active")
