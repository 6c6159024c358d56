from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestLedger(PointsCase):
    def _alliance_day(self, when):
        """The date of ``when`` (UTC) in the alliance's time zone, as lots are dated."""
        engine = self.env["alliance.points.engine"]
        return fields.Datetime.context_timestamp(engine.with_context(tz=engine._get_tz()), when).date()

    def test_seed_economics_earned_at_a_spent_at_c(self):
        """1,000 points given at A, accepted at C: issuer A, redeemer C, the lots say so."""
        earn = self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 1000.0, "A-0001")
        self.assertEqual(earn["points"], 1000)
        self.assertEqual(earn["balance"], 1000)
        redeem = self._as(self.user_b_cashier).alliance_redeem(
            self.card_a.code, 1000, "C-0001", self._proof(self.card_a)
        )
        self.assertEqual((redeem["points"], redeem["value"], redeem["balance"]), (1000, 10.0, 0))
        entry = self.env["alliance.points.entry"].browse(redeem["entry_id"])
        self.assertEqual(entry.merchant_id, self.merchant_b)
        self.assertEqual(entry.points, -1000)
        self.assertEqual(entry.lot_move_ids.mapped("issuer_merchant_id"), self.merchant_a)
        self.assertEqual(entry.lot_move_ids.mapped("merchant_id"), self.merchant_b)
        self.assertEqual(sum(entry.lot_move_ids.mapped("points")), 1000)
        self.assertEqual(entry.lot_move_ids.lot_id.remaining, 0)
        self.assertLedgerConsistent(self.card_a)

    def test_card_keeps_its_last_visit_and_visits_elsewhere(self):
        """Purchases and payments with points are visits: the card keeps the last one, and whether the
        member came to a merchant other than the one that enrolled it (the members report counts both)."""
        Entry = self.env["alliance.points.entry"]
        self.assertEqual(self.card_a.partner_id.alliance_enrol_merchant_id, self.merchant_a)
        self.assertFalse(self.card_a.last_visit)
        earn = self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 100.0, "V-1")
        self.assertEqual(self.card_a.last_visit, Entry.browse(earn["entry_id"]).date)
        self.assertFalse(self.card_a.visited_elsewhere, "bought where the member enrolled")
        # A cashier serves the member; when and where it last came is not the counter's to read.
        with self.assertRaises(AccessError):
            self._as(self.user_a_cashier).browse(self.card_a.id).read(["last_visit"])
        redeem = self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 40, "V-2", self._proof(self.card_a))
        self.card_a.invalidate_recordset()
        self.assertEqual(self.card_a.last_visit, Entry.browse(redeem["entry_id"]).date)
        self.assertTrue(self.card_a.visited_elsewhere, "paid with points at B")
        # Taking back a purchase is no visit.
        before = self.card_a.last_visit
        self._as(self.user_a_cashier).alliance_reverse("V-1")
        self.card_a.invalidate_recordset()
        self.assertEqual(self.card_a.last_visit, before)
        # What posting kept is what the ledger says: recomputing finds nothing to change.
        self.assertEqual(self.Card._alliance_recompute_visits(), 0)
        self.env.cr.execute(
            "UPDATE alliance_card SET last_visit = NULL, visited_elsewhere = FALSE WHERE id = %s", [self.card_a.id]
        )
        self.assertEqual(self.Card._alliance_recompute_visits(), 1)
        self.assertEqual((self.card_a.last_visit, self.card_a.visited_elsewhere), (before, True))

    def test_lots_are_used_oldest_expiring_first(self):
        Cards = self._as(self.user_a_cashier)
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.expiry_months", "12")
        Cards.alliance_earn(self.card_a.code, 100.0, "late")
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.expiry_months", "3")
        Cards.alliance_earn(self.card_a.code, 50.0, "early")
        redeem = self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 70, "spend", self._proof(self.card_a))
        moves = self.env["alliance.points.entry"].browse(redeem["entry_id"]).lot_move_ids
        self.assertEqual([(m.lot_id.entry_id.reference, m.points) for m in moves], [("early", 50), ("late", 20)])

    def test_idempotent_api_calls(self):
        Cards = self._as(self.user_a_cashier)
        first = Cards.alliance_earn(self.card_a.code, 120.0, "SHOP-42")
        again = Cards.alliance_earn(self.card_a.code, 999.0, "SHOP-42")
        self.assertEqual(first, again)
        self.assertEqual(self.card_a.balance, 120)
        r1 = self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 20, "R-1", self._proof(self.card_a))
        r2 = self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 20, "R-1", self._proof(self.card_a))
        self.assertEqual(r1, r2)
        self.assertEqual(self.card_a.balance, 100)
        # The same reference at another merchant is another purchase.
        self._as(self.user_b_cashier).alliance_earn(self.card_a.code, 10.0, "SHOP-42")
        self.assertEqual(self.card_a.balance, 110)
        rev1 = self._as(self.user_a_cashier).alliance_reverse("SHOP-42")
        rev2 = self._as(self.user_a_cashier).alliance_reverse("SHOP-42")
        self.assertEqual(rev1, rev2)
        # 120 earned at A, but only 110 left: 110 taken back, 10 owed.
        self.assertEqual(rev1["balance"], 0)
        self.assertEqual(self.card_a.debt_points, 10)
        self.assertLedgerConsistent(self.card_a)

    def test_pos_order_synced_three_times_earns_once(self):
        uuid = "6a1f9c8e-0000-4000-8000-000000000001"
        for _ in range(3):
            order = self._pos_sync(self.merchant_a, self.card_a, 58.0, uuid=uuid)
        self.assertEqual(self.env["pos.order"].search_count([("uuid", "=", uuid)]), 1)
        self.assertEqual(order.alliance_points_earned, 58)
        self.assertEqual(order.alliance_balance_after, 58)
        self.assertEqual(len(order.alliance_entry_ids), 1)
        self.assertEqual(self.card_a.balance, 58)

    def test_offline_order_synced_a_day_later_is_dated_at_the_order(self):
        yesterday = fields.Datetime.now() - timedelta(days=1)
        order = self._pos_sync(self.merchant_a, self.card_a, 30.0, date=yesterday)
        entry = order.alliance_entry_ids
        self.assertEqual(entry.date, yesterday.replace(microsecond=0))
        # The alliance's day of the order (Shanghai), 24 months on.
        self.assertEqual(entry.lot_ids.expiry_date, self._alliance_day(yesterday) + relativedelta(months=24))

    def test_refund_takes_back_and_records_debt(self):
        order = self._pos_sync(self.merchant_a, self.card_a, 100.0)
        self.assertEqual(self.card_a.balance, 100)
        self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 60, "spent-elsewhere", self._proof(self.card_a))
        refund = self._pos_sync(self.merchant_a, False, -100.0, refund_of=order)
        self.assertEqual(refund.alliance_card_id or refund.refunded_order_id.alliance_card_id, self.card_a)
        self.assertEqual(self.card_a.balance, 0)
        self.assertEqual(self.card_a.debt_points, 60)
        reversal = refund.alliance_entry_ids
        self.assertEqual((reversal.entry_type, reversal.points, reversal.debt_delta), ("reversal", -40, 60))
        # The next purchase pays the debt first.
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 100.0, "after-refund")
        self.assertEqual(self.card_a.balance, 40)
        self.assertEqual(self.card_a.debt_points, 0)
        self.assertLedgerConsistent(self.card_a)

    def test_points_on_the_member_price(self):
        """Two dishes at ¥58 with the card's 10% off: ¥104.40 paid earns 104 points, not the shelf price's 116."""
        self.merchant_a.member_discount = 10.0
        dish = self._pos_product(self.company_a)
        line = self._pos_line(dish, 2, 58.0, discount=10.0, alliance_discount=10.0)
        order = self._pos_sync(self.merchant_a, self.card_a, 0, lines=[line], user=self.user_a_cashier)
        self.assertEqual((order.alliance_points_earned, self.card_a.balance), (104, 104))
        self.assertAlmostEqual(order.alliance_discount_amount, 11.60, places=2)
        self.assertLedgerConsistent(self.card_a)

    def test_the_receipt_names_the_next_points_to_expire(self):
        """Points earned 24 months less 10 days ago expire in 10 days: the next receipt says so."""
        earned = fields.Datetime.now() - relativedelta(months=24) + relativedelta(days=10)
        self._pos_sync(self.merchant_a, self.card_a, 30.0, date=earned)
        order = self._pos_sync(self.merchant_a, self.card_a, 58.0, user=self.user_a_cashier)
        expiry = fields.Date.to_string(self._alliance_day(earned) + relativedelta(months=24))
        self.assertIn(expiry, order.alliance_points_expiring)
        self.assertTrue(order.alliance_points_expiring.startswith("30 "))
        # Nothing within 30 days: nothing said.
        other = self._pos_sync(self.merchant_a, self.card_b, 58.0, user=self.user_a_cashier)
        self.assertFalse(other.alliance_points_expiring)

    def test_the_receipts_of_several_orders_are_read_together(self):
        """The POS reads orders back in batches: each its own card's figures, a refund its original's card."""
        earned = fields.Datetime.now() - relativedelta(months=24) + relativedelta(days=10)
        self._pos_sync(self.merchant_a, self.card_a, 30.0, date=earned)
        cashier = self.user_a_cashier
        sale_a = self._pos_sync(self.merchant_a, self.card_a, 58.0, user=cashier)
        sale_b = self._pos_sync(self.merchant_a, self.card_b, 20.0, user=cashier)
        refund = self._pos_sync(self.merchant_a, False, -58.0, refund_of=sale_a, user=cashier)
        plain = self._pos_sync(self.merchant_a, False, 10.0, user=cashier)
        orders = (sale_a | sale_b | refund | plain).with_user(cashier)
        orders.invalidate_recordset()
        figures = [
            (o.alliance_points_earned, o.alliance_balance_after, o.alliance_points_paid, o.alliance_points_returned)
            for o in orders
        ]
        # Sale A: 30 + 58; the refund takes the 58 back; B's card its own 20; no card, nothing.
        self.assertEqual(figures, [(58, 88, 0, 0), (20, 20, 0, 0), (-58, 30, 0, 0), (0, 0, 0, 0)])
        expiry = fields.Date.to_string(self._alliance_day(earned) + relativedelta(months=24))
        self.assertTrue(orders[0].alliance_points_expiring.startswith("30 "))
        self.assertIn(expiry, orders[0].alliance_points_expiring)
        # B's points expire in 24 months; a refund's receipt names no expiry; no card, none.
        self.assertEqual(orders[1:].mapped("alliance_points_expiring"), [False, False, False])

    def test_half_refund_takes_back_exactly_half(self):
        """¥12.02 earns 12 points; refunding ¥6.01 takes back 6, not 7 (12 × 6.01 / 12.02 is 6.000…1 in floats)."""
        order = self._pos_sync(self.merchant_a, self.card_a, 12.02)
        self.assertEqual(order.alliance_points_earned, 12)
        refund = self._pos_sync(self.merchant_a, False, -6.01, refund_of=order)
        self.assertEqual(refund.sudo().alliance_entry_ids.points, -6)
        self.assertEqual(self.card_a.balance, 6)
        self.assertLedgerConsistent(self.card_a)

    def test_bad_input_changes_nothing(self):
        Cards = self._as(self.user_a_cashier)
        Cards.alliance_earn(self.card_a.code, 50.0, "seed")
        count = self.env["alliance.points.entry"].search_count([])
        cases = [
            (lambda: Cards.alliance_earn(self.card_a.code, -5.0, "neg"), "zero or more"),
            (lambda: Cards.alliance_earn(self.card_a.code, 5.0, ""), "reference"),
            (lambda: Cards.alliance_earn("0000000000", 5.0, "unknown"), "No alliance card"),
            (
                lambda: Cards.alliance_redeem(self.card_a.code, 51, "too-much", self._proof(self.card_a)),
                "51 cannot be redeemed",
            ),
            (lambda: Cards.alliance_redeem(self.card_a.code, 1.5, "float", self._proof(self.card_a)), "whole number"),
            (lambda: Cards.alliance_redeem(self.card_a.code, 0, "zero", self._proof(self.card_a)), "positive"),
            (lambda: Cards.alliance_reverse("never-used"), "No earn or redeem"),
        ]
        for call, message in cases:
            with self.assertRaisesRegex(UserError, message):
                call()
        self.card_a.with_user(self.user_a_cashier).action_freeze()
        with self.assertRaisesRegex(UserError, "Frozen"):
            Cards.alliance_earn(self.card_a.code, 5.0, "frozen")
        self.card_a.with_user(self.user_a_cashier).action_unfreeze()
        self.merchant_a.action_suspend()
        with self.assertRaisesRegex(UserError, "suspended"):
            Cards.alliance_earn(self.card_a.code, 5.0, "suspended")
        self.assertEqual(self.env["alliance.points.entry"].search_count([]), count)
        self.assertEqual(self.card_a.balance, 50)

    def test_prepaid_quota_and_overdraft(self):
        self.merchant_a.write({"billing_mode": "prepaid", "overdraft_points": 100, "issue_price": 10.0})
        with self.assertRaisesRegex(UserError, "Only the operator"):
            self.merchant_a.with_user(self.user_a_manager).action_buy_points(1000)
        quota = self.merchant_a.with_user(self.user_operator).action_buy_points(1000, reference="PACK-1")
        self.assertEqual(quota, 1000)
        pack = self.merchant_a.quota_entry_ids.filtered(lambda q: q.entry_type == "purchase")
        self.assertEqual(pack.amount, 10.0)  # 1,000 points × ¥10 / 1,000
        Cards = self._as(self.user_a_cashier)
        Cards.alliance_earn(self.card_a.code, 1050.0, "big")
        self.assertEqual(self.merchant_a.quota_balance, -50)
        with self.assertRaisesRegex(UserError, "cannot give 51 more"):
            Cards.alliance_earn(self.card_a.code, 51.0, "over")
        self.assertEqual(self.card_a.balance, 1050)
        Cards.alliance_earn(self.card_a.code, 50.0, "just")
        self.assertEqual(self.merchant_a.quota_balance, -100)
        # Taking points back returns them to the quota.
        Cards.alliance_reverse("just")
        self.assertEqual(self.merchant_a.quota_balance, -50)
        # Each movement is a line of the merchant's quota ledger, naming the ledger entry and who caused it.
        moves = self.merchant_a.quota_entry_ids.filtered(lambda q: q.entry_type != "purchase").sorted("id")
        self.assertEqual(moves.mapped("entry_type"), ["issue", "issue", "return"])
        self.assertEqual(moves.mapped("points"), [-1050, -50, 50])
        self.assertEqual(moves.points_entry_id.mapped("reference"), ["big", "just", "just/earn/reversal"])
        self.assertEqual(moves.company_id, self.merchant_a.company_id)
        self.assertEqual(moves.create_uid, self.user_a_cashier)
        self.assertEqual(sum(self.merchant_a.quota_entry_ids.mapped("points")), self.merchant_a.quota_balance)

    def test_ledger_is_append_only(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 10.0, "x")
        entry = self.env["alliance.points.entry"].search([("reference", "=", "x")])
        for env_entry in (entry, entry.sudo()):
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                env_entry.write({"points": 1000})
            with self.assertRaisesRegex(UserError, "cannot be deleted"):
                env_entry.unlink()
        self.assertEqual(entry.points, 10)

    def test_access_to_the_ledger(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 10.0, "at-a")
        self._as(self.user_b_cashier).alliance_earn(self.card_b.code, 20.0, "at-b")
        Entry = self.env["alliance.points.entry"]
        seen_by_a = Entry.with_user(self.user_a_cashier).search([])
        self.assertEqual(seen_by_a.mapped("merchant_id"), self.merchant_a)
        b_entry = Entry.search([("reference", "=", "at-b")])
        with self.assertRaises(AccessError):
            b_entry.with_user(self.user_a_cashier).read(["points"])
        for user in (self.user_a_cashier, self.user_a_manager, self.user_operator):
            with self.assertRaises(AccessError):
                Entry.with_user(user).create(
                    {
                        "card_id": self.card_a.id,
                        "company_id": self.company_a.id,
                        "entry_type": "adjust",
                        "points": 1000,
                        "reference": "forged",
                    }
                )
        # The member sees its own entries only, on the portal.
        self.assertEqual(Entry.with_user(self.user_portal_member).search([]).mapped("reference"), ["at-a"])
        # A merchant always earns as itself: B's cashier's earn is B's.
        self.assertEqual(b_entry.merchant_id, self.merchant_b)

    def test_card_replacement_moves_lots_and_ledger(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 300.0, "before-loss")
        self.card_a.with_user(self.user_a_cashier).action_report_lost()
        new = self.card_a.with_user(self.user_a_cashier)._replace()
        self.assertEqual((self.card_a.balance, new.balance), (0, 300))
        transfer = new.entry_ids.filtered(lambda e: e.entry_type == "transfer")
        self.assertEqual(transfer.points, 300)
        self.assertEqual(
            self.env["alliance.points.lot"].search([("card_id", "=", new.id)]).merchant_id, self.merchant_a
        )
        with self.assertRaisesRegex(UserError, "replaced by"):
            self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 10, "old-card", self._proof(self.card_a))
        self._as(self.user_b_cashier).alliance_redeem(new.code, 10, "new-card", self._proof(new))
        self.assertLedgerConsistent(self.card_a, new)


@tagged("post_install", "-at_install")
class TestPosHold(PointsCase):
    def test_hold_limits_idempotency_release_and_timeout(self):
        Cards = self._as(self.user_a_cashier)
        self._as(self.user_b_cashier).alliance_earn(self.card_a.code, 2000.0, "seed-hold")
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.max_redeem_pct", "50")
        with self.assertRaisesRegex(UserError, "At most 50%"):
            Cards.alliance_pos_hold(self.card_a.id, 30.0, "order-1", "pay-1", 58.0, proof=self._proof(self.card_a))
        hold = Cards.alliance_pos_hold(self.card_a.id, 12.34, "order-1", "pay-1", 58.0, proof=self._proof(self.card_a))
        self.assertEqual((hold["points"], hold["value"], hold["balance"]), (1234, 12.34, 766))
        # The same payment line sent twice holds once.
        self.assertEqual(
            Cards.alliance_pos_hold(self.card_a.id, 12.34, "order-1", "pay-1", 58.0, proof=self._proof(self.card_a)),
            hold,
        )
        with self.assertRaisesRegex(UserError, "cannot be redeemed"):
            Cards.alliance_pos_hold(self.card_a.id, 20.0, "order-1", "pay-2", 58.0, proof=self._proof(self.card_a))
        released = Cards.alliance_pos_release("pay-1")
        self.assertEqual(released["balance"], 2000)
        self.assertEqual(Cards.alliance_pos_release("pay-1")["balance"], 2000)
        # A hold whose order never reaches the server is released by the cron after its timeout.
        Cards.alliance_pos_hold(self.card_a.id, 5.0, "order-2", "pay-3", 58.0, proof=self._proof(self.card_a))
        stale = self.env["alliance.points.hold"].search([("payment_uuid", "=", "pay-3")])
        stale.expires_at = fields.Datetime.now() - timedelta(minutes=1)
        self.env["alliance.points.hold"]._cron_release_stale()
        self.assertEqual(stale.state, "released")
        self.assertEqual(self.card_a.balance, 2000)
        with self.assertRaises(AccessError):
            self._as(self.user_portal_member).alliance_pos_hold(self.card_a.id, 1.0, "o", "p", 10.0)
        self.assertLedgerConsistent(self.card_a)

    def test_points_share_is_checked_again_on_the_saved_order(self):
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.max_redeem_pct", "50")
        Cards = self._as(self.user_a_cashier)
        Cards.alliance_earn(self.card_a.code, 5000.0, "seed-share")
        with self.assertRaisesRegex(UserError, "total is needed"):
            Cards.alliance_pos_hold(self.card_a.id, 40.0, "order-x", "pay-x", 0.0, proof=self._proof(self.card_a))
        # The counter claims a ¥100 bill to hold ¥40 of points; the order it saves is a ¥58 one.
        Cards.alliance_pos_hold(self.card_a.id, 40.0, "order-x", "pay-x", 100.0, proof=self._proof(self.card_a))
        points = self.merchant_a.pos_config_ids[:1].payment_method_ids.filtered(
            lambda m: m.use_payment_terminal == "alliance_points"
        )
        order = self._pos_sync(self.merchant_a, self.card_a, 58.0, uuid="order-x", other_payments=[(points, 40.0)])
        self.assertIn("more than the 50%", order.alliance_points_note)
        alert = self.env["alliance.risk.alert"].search([("kind", "=", "points_share")])
        self.assertEqual((alert.merchant_id, alert.severity, alert.card_id), (self.merchant_a, "high", self.card_a))
        # The sale stands and earns on what was paid in cash.
        self.assertEqual(order.alliance_points_earned, 18)

    def test_a_refund_gives_back_the_points_paid_with_at_most_and_once(self):
        Cards = self._as(self.user_a_cashier)
        Cards.alliance_earn(self.card_a.code, 3000.0, "seed-refund")
        Cards.alliance_pos_hold(self.card_a.id, 20.0, "order-r", "pay-r", 58.0, proof=self._proof(self.card_a))
        points = self.merchant_a.pos_config_ids[:1].payment_method_ids.filtered(
            lambda m: m.use_payment_terminal == "alliance_points"
        )
        cashier = self.user_a_cashier
        order = self._pos_sync(
            self.merchant_a, self.card_a, 58.0, uuid="order-r", other_payments=[(points, 20.0)], user=cashier
        )
        # 3,000 − 2,000 paid with + 38 earned on the cash part.
        self.assertEqual((order.alliance_points_earned, self.card_a.balance), (38, 1038))
        self.assertEqual((order.alliance_points_paid, order.alliance_balance_after), (2000, 1038))
        # The cashier gives back ¥30 in points for a bill that paid ¥20 with them: 2,000 points, not 3,000;
        # the earned 38 are taken back. A second sync of the same refund changes nothing.
        refund = self._pos_sync(
            self.merchant_a, False, -58.0, refund_of=order, other_payments=[(points, -30.0)], user=cashier
        )
        self._pos_sync(
            self.merchant_a,
            False,
            -58.0,
            refund_of=order,
            other_payments=[(points, -30.0)],
            uuid=refund.uuid,
            user=cashier,
        )
        self.card_a.invalidate_recordset()
        self.assertEqual((refund.alliance_points_returned, refund.alliance_points_earned), (2000, -38))
        self.assertEqual((self.card_a.balance, self.card_a.debt_points), (3000, 0))
        self.assertIn("only 2000 points paid", refund.alliance_points_note)
        # A second refund of the same order, in points again: nothing is left to give back.
        again = self._pos_sync(
            self.merchant_a, False, -58.0, refund_of=order, other_payments=[(points, -20.0)], user=cashier
        )
        self.card_a.invalidate_recordset()
        self.assertEqual((again.alliance_points_returned, self.card_a.balance), (0, 3000))
        self.assertLedgerConsistent(self.card_a)
