from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PointsCase, PointsHttpCase


@tagged("post_install", "-at_install")
class TestExpiry(PointsCase):
    def _lot(self, reference):
        return self.env["alliance.points.entry"].search([("reference", "=", reference)]).lot_ids

    def test_expiry_batches_go_on_where_the_last_stopped(self):
        """The cron's batches keep their place: each starts after the lots the previous one took."""
        Cards = self._as(self.user_a_cashier)
        for ref in ("p-1", "p-2", "p-3"):
            Cards.alliance_earn(self.card_a.code, 10.0, ref)
        today = fields.Date.context_today(self.env["alliance.card"])
        lots = self._lot("p-1") | self._lot("p-2") | self._lot("p-3")
        self.env.cr.execute(
            "UPDATE alliance_points_lot SET expiry_date = %s WHERE id IN %s",
            (today - timedelta(days=1), tuple(lots.ids)),
        )
        self.env.invalidate_all()
        Service = self.env["alliance.points.service"]
        position = {}
        self.assertEqual(Service._expire_batch(today, limit=1, position=position), 1)
        self.assertEqual(position["after"], (today - timedelta(days=1), lots[0].id))
        self.assertEqual(Service._expire_batch(today, limit=1, position=position), 1)
        self.assertEqual(position["after"][1], lots[1].id)
        self.assertEqual(self._lot("p-2").remaining, 0)
        self.assertEqual(self._lot("p-3").remaining, 10)
        self.assertEqual(Service._expire_batch(today, limit=5, position=position), 1)
        self.assertEqual(Service._expire_batch(today, limit=5, position=position), 0)
        self.assertEqual(self.card_a.balance, 0)
        self.assertLedgerConsistent(self.card_a)

    def test_expiry_per_lot_in_resumable_batches(self):
        Cards = self._as(self.user_a_cashier)
        Cards.alliance_earn(self.card_a.code, 100.0, "old-1")
        Cards.alliance_earn(self.card_a.code, 50.0, "old-2")
        Cards.alliance_earn(self.card_b.code, 30.0, "old-3")
        Cards.alliance_earn(self.card_a.code, 7.0, "fresh")
        self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 20, "partly-spent", self._proof(self.card_a))
        today = fields.Date.context_today(self.env["alliance.card"])
        for ref in ("old-1", "old-2", "old-3"):
            # As if earned long ago: the lot's date has passed.
            self.env.cr.execute(
                "UPDATE alliance_points_lot SET expiry_date = %s WHERE id = %s",
                (today - timedelta(days=1), self._lot(ref).id),
            )
        self.env.invalidate_all()
        Service = self.env["alliance.points.service"]
        # A batch of 2 stops halfway; the next run picks up what is left, nothing twice.
        self.assertEqual(Service._expire_batch(today, limit=2), 2)
        self.assertEqual(Service._expire_batch(today, limit=2), 1)
        self.assertEqual(Service._expire_batch(today, limit=2), 0)
        expired = self.env["alliance.points.entry"].search([("entry_type", "=", "expire")])
        # old-1 was partly spent (20 of 100, oldest-expiring first): 80 expire from it.
        self.assertEqual(
            sorted((e.card_id.code, e.points, e.merchant_id.name) for e in expired),
            sorted(
                [
                    (self.card_a.code, -80, self.merchant_a.name),
                    (self.card_a.code, -50, self.merchant_a.name),
                    (self.card_b.code, -30, self.merchant_a.name),
                ]
            ),
        )
        self.assertEqual(self.card_a.balance, 7)
        self.assertEqual(self.card_b.balance, 0)
        for entry in expired:
            # Each entry expired exactly one lot, all that was left of it.
            self.assertEqual(len(entry.expired_lot_ids), 1)
            self.assertEqual(entry.expired_lot_ids.remaining, 0)
            lot = entry.expired_lot_ids
            self.assertEqual(-entry.points, lot.points - sum(lot.move_ids.mapped("points")))
            self.assertEqual(entry.merchant_id, lot.merchant_id)
        self.assertLedgerConsistent(self.card_a, self.card_b)

    def test_expiring_soon_and_policies(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("alliance_points.expiry_policy", "year_end")
        Service = self.env["alliance.points.service"]
        self.assertEqual(str(Service._expiry_date(fields.Datetime.to_datetime("2026-03-15 10:00:00"))), "2027-12-31")
        ICP.set_param("alliance_points.expiry_policy", "never")
        self.assertFalse(Service._expiry_date(fields.Datetime.now()))
        ICP.set_param("alliance_points.expiry_policy", "months")
        ICP.set_param("alliance_points.expiry_months", "0")
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 40.0, "soon")
        info = self._as(self.user_b_cashier).alliance_lookup(self.card_a.code)
        # Expiring today in the alliance's time zone (Shanghai), whatever the hour in UTC: from 16:00 UTC,
        # the alliance's day is already UTC's tomorrow.
        today = fields.Date.to_string(self.env["alliance.points.engine"]._today())
        self.assertEqual(info["expiring"], [{"points": 40, "date": today}])


@tagged("post_install", "-at_install")
class TestOperatorTools(PointsCase):
    def test_adjustment_is_operator_only_and_needs_a_reason(self):
        Adjust = self.env["alliance.points.adjust"]
        for user in (self.user_a_cashier, self.user_a_manager, self.user_accountant):
            with self.assertRaises(AccessError):
                Adjust.with_user(user).create({"card_id": self.card_a.id, "points": 500, "reason": "?"}).action_apply()
        self.assertEqual(self.card_a.balance, 0)
        wizard = Adjust.with_user(self.user_operator).create({"card_id": self.card_a.id, "points": 500, "reason": " "})
        with self.assertRaisesRegex(UserError, "Say why"):
            wizard.action_apply()
        Adjust.with_user(self.user_operator).create(
            {"card_id": self.card_a.id, "points": 500, "reason": "系统故障补偿"}
        ).action_apply()
        entry = self.card_a.entry_ids
        self.assertEqual((entry.entry_type, entry.points, entry.note), ("adjust", 500, "系统故障补偿"))
        with self.assertRaisesRegex(UserError, "cannot be taken"):
            Adjust.with_user(self.user_operator).create(
                {"card_id": self.card_a.id, "points": -501, "reason": "too much"}
            ).action_apply()
        self.assertEqual(self.card_a.balance, 500)

    def test_reverse_any_entry_with_reason(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 100.0, "wrong")
        earn = self.card_a.entry_ids
        Reverse = self.env["alliance.points.reverse"]
        with self.assertRaises(AccessError):
            Reverse.with_user(self.user_a_manager).create({"entry_id": earn.id, "reason": "x"}).action_apply()
        Reverse.with_user(self.user_operator).create({"entry_id": earn.id, "reason": "收银员录错金额"}).action_apply()
        self.assertEqual(self.card_a.balance, 0)
        self.assertEqual(earn.reversal_entry_ids.note, "收银员录错金额")
        with self.assertRaisesRegex(UserError, "already fully reversed"):
            Reverse.with_user(self.user_operator).create({"entry_id": earn.id, "reason": "again"}).action_apply()
        self.assertLedgerConsistent(self.card_a)


@tagged("post_install", "-at_install")
class TestMyPointsPortal(PointsHttpCase):
    def test_member_sees_own_history_and_expiring_points(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 88.0, "portal-a")
        self._as(self.user_b_cashier).alliance_earn(self.card_b.code, 99.0, "portal-b")
        self.authenticate("t_member", "t_memberx")
        page = self.url_open("/my/alliance/points")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Test Merchant A", page.text)
        self.assertIn("88", page.text)
        self.assertNotIn("Test Merchant B", page.text)
        self.assertIn("o_alliance_entry", page.text)
        self.assertEqual(page.text.count('class="o_alliance_entry"'), 1)
