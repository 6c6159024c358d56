import random
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SettlementCase


@tagged("post_install", "-at_install")
class TestStatement(SettlementCase):
    def _seed_example(self):
        """1,000 points given at A, accepted at B (the seeds' C)."""
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 1000.0, "A-1")
        self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 1000, "C-1", self._proof(self.card_a))

    def test_seed_example_postpaid(self):
        self._seed_example()
        self._build(self.this_month)
        a = self._statement(self.this_month, self.merchant_a)
        b = self._statement(self.this_month, self.merchant_b)
        self.assertEqual(self._lines(a), {"issue": (1000, 10.0)})
        self.assertEqual((a.points_issued, a.amount_issued, a.amount_net), (1000, 10.0, 10.0))
        self.assertEqual(self._lines(b), {"redeem": (1000, -8.0)})
        self.assertEqual((b.points_redeemed, b.amount_reimbursed, b.amount_net), (1000, 8.0, -8.0))
        # The operator keeps the difference.
        self.assertEqual(a.amount_net + b.amount_net, 2.0)

    def test_seed_example_prepaid_pack(self):
        self.merchant_a.write({"billing_mode": "prepaid"})
        self.merchant_a.with_user(self.user_operator).action_buy_points(1000, reference="PACK-1")
        self._seed_example()
        self._build(self.this_month)
        a = self._statement(self.this_month, self.merchant_a)
        # The pack is billed; the points given from it are not billed twice.
        self.assertEqual(self._lines(a), {"pack": (1000, 10.0), "issue_prepaid": (1000, 0.0)})
        self.assertEqual(a.amount_net, 10.0)
        self.assertEqual(self._statement(self.this_month, self.merchant_b).amount_net, -8.0)

    def test_expired_points_show_on_the_issuer_statement(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("alliance_points.expiry_months", "1")
        Merchant = self.merchant_a
        long_ago = fields.Datetime.now() - relativedelta(months=3)
        self.env["alliance.points.service"]._earn(self.card_a, Merchant, 500.0, "old", date=long_ago)
        self.env["alliance.points.service"]._expire_batch()
        self.assertEqual(self.card_a.balance, 0)
        # The earn is dated three months ago: unsettled, it belongs to this month's build.
        self._build(self.this_month)
        a = self._statement(self.this_month, self.merchant_a)
        self.assertEqual(self._lines(a), {"issue": (500, 5.0), "expire": (500, 0.0)})
        self.assertEqual(a.points_expired, 500)

    def test_commission_on_member_sales(self):
        self.merchant_a.commission_rate = 1.5
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 333.33, "sale")
        self._build(self.this_month)
        a = self._statement(self.this_month, self.merchant_a)
        # 333 points × ¥10 / 1,000 = ¥3.33; 1.5 % of ¥333.33 = ¥4.99995 → ¥5.00.
        self.assertEqual(self._lines(a)["commission"], (0, 5.0))
        self.assertEqual(a.amount_net, 8.33)

    def test_rebuild_is_idempotent_and_confirm_locks_entries(self):
        self._seed_example()
        first = self._build(self.this_month)
        figures = [(s.merchant_id.id, s.amount_net, s.entry_count) for s in first]
        second = self._build(self.this_month)
        self.assertEqual(first, second)
        self.assertEqual(figures, [(s.merchant_id.id, s.amount_net, s.entry_count) for s in second])
        a = self._statement(self.this_month, self.merchant_a)
        a.with_user(self.user_accountant).action_confirm()
        entries = self.env["alliance.points.entry"].search([("merchant_id", "=", self.merchant_a.id)])
        self.assertEqual(entries.settlement_id, a)
        self.assertEqual(a.entry_count, len(entries))
        with self.assertRaisesRegex(UserError, "Only a draft"):
            a.with_user(self.user_accountant).action_confirm()
        # A confirmed statement is left alone by a rebuild.
        self._build(self.this_month)
        self.assertEqual(a.state, "confirmed")
        self.assertEqual(a.amount_net, 10.0)

    def test_late_entries_fall_into_the_next_period(self):
        self._seed_example()
        self._build(self.this_month)
        a = self._statement(self.this_month, self.merchant_a)
        (a | self._statement(self.this_month, self.merchant_b)).with_user(self.user_accountant).action_confirm()
        # An order made offline this month syncs after the statement was confirmed.
        self._pos_sync(self.merchant_a, self.card_b, 200.0, date=fields.Datetime.now() - relativedelta(minutes=1))
        self._build(self.this_month)
        self.assertEqual(a.amount_net, 10.0)
        self.assertEqual(self._statement(self.this_month, self.merchant_a), a)
        self._build(self.next_month)
        late = self._statement(self.next_month, self.merchant_a)
        self.assertEqual(self._lines(late), {"issue": (200, 2.0)})
        # A reversal of an entry settled this month is settled next month too.
        self._as(self.user_b_cashier).alliance_reverse("C-1")
        self._build(self.next_month)
        self.assertEqual(self._lines(self._statement(self.next_month, self.merchant_b)), {"redeem": (-1000, 8.0)})

    def test_cancel_unlocks_and_a_rebuild_matches(self):
        self._seed_example()
        self._build(self.this_month)
        a = self._statement(self.this_month, self.merchant_a)
        a.with_user(self.user_accountant).action_confirm()
        lines = self._lines(a)
        a.with_user(self.user_accountant).action_cancel()
        self.assertEqual(a.state, "cancel")
        self.assertFalse(self.env["alliance.points.entry"].search([("settlement_id", "=", a.id)]))
        self._build(self.this_month)
        again = self._statement(self.this_month, self.merchant_a)
        self.assertNotEqual(again, a)
        self.assertEqual(self._lines(again), lines)
        again.with_user(self.user_accountant).action_confirm()
        self.assertEqual(again.entry_count, a.entry_count)

    def test_access(self):
        self._seed_example()
        with self.assertRaisesRegex(UserError, "Only the operator's accountants"):
            self.this_month.with_user(self.user_a_manager).action_build()
        self._build(self.this_month)
        a = self._statement(self.this_month, self.merchant_a)
        Statement = self.env["alliance.settlement.statement"]
        seen = Statement.with_user(self.user_a_manager).with_company(self.company_a).search([])
        self.assertEqual(seen, a)
        with self.assertRaises(AccessError):
            Statement.with_user(self.user_a_cashier).search([])
        with self.assertRaisesRegex(UserError, "Only the operator's accountants"):
            a.with_user(self.user_a_manager).action_confirm()
        portal = Statement.with_user(self.user_portal_merchant).search([])
        self.assertEqual(portal, a)
        self.assertEqual(
            self.env["alliance.settlement.line"].with_user(self.user_portal_merchant).search([]), a.line_ids
        )
        # The accountant confirms; nothing is left for B's users to see of A.
        a.with_user(self.user_accountant).action_confirm()
        self.assertEqual(a.state, "confirmed")

    def test_generated_month_matches_the_ledger(self):
        """Random earn/redeem/reverse at both merchants: Σ statements = ledger aggregates, each entry once."""
        rng = random.Random(7)
        cards = self.card_a | self.card_b
        cashiers = {self.merchant_a: self.user_a_cashier, self.merchant_b: self.user_b_cashier}
        self.merchant_b.write({"issue_price": 12.0, "reimburse_price": 9.0})
        refs = []
        for i in range(60):
            merchant = rng.choice(list(cashiers))
            Cards = self._as(cashiers[merchant])
            card = rng.choice(cards)
            move = rng.random()
            if move < 0.5 or card.balance < 10:
                Cards.alliance_earn(card.code, float(rng.randrange(10, 500)), f"e{i}")
                refs.append((merchant, f"e{i}"))
            elif move < 0.85:
                Cards.alliance_redeem(
                    card.code, rng.randrange(1, min(card.balance, 300) + 1), f"r{i}", self._proof(card)
                )
                refs.append((merchant, f"r{i}"))
            elif refs:
                owner, ref = refs.pop(rng.randrange(len(refs)))
                self._as(cashiers[owner]).alliance_reverse(ref)
        self._build(self.this_month)
        statements = self.this_month.statement_ids.filtered(lambda s: s.merchant_id in cashiers)
        statements.with_user(self.user_accountant).action_confirm()
        Entry = self.env["alliance.points.entry"]
        entries = Entry.search([("merchant_id", "in", self.merchant_a.ids + self.merchant_b.ids)])
        self.assertTrue(entries)
        # Every entry is settled, and by its own merchant's statement.
        for entry in entries:
            self.assertEqual(entry.settlement_id.merchant_id, entry.merchant_id)
        for statement in statements:
            mine = entries.filtered(lambda e, s=statement: e.settlement_id == s)
            issued = sum(
                e.points - (e.debt_delta if e.entry_type == "reversal" else 0)
                for e in mine
                if e.entry_type in ("earn", "referral")
                or (e.entry_type == "reversal" and e.reversed_entry_id.entry_type in ("earn", "referral"))
            )
            accepted = -sum(
                e.points
                for e in mine
                if e.entry_type == "redeem"
                or (e.entry_type == "reversal" and e.reversed_entry_id.entry_type == "redeem")
            )
            merchant = statement.merchant_id
            self.assertEqual(statement.points_issued, issued)
            self.assertEqual(statement.points_redeemed, accepted)
            self.assertEqual(statement.amount_issued, self.currency.round(issued * merchant.issue_price / 1000))
            self.assertEqual(
                statement.amount_reimbursed, self.currency.round(accepted * merchant.reimburse_price / 1000)
            )
            self.assertEqual(statement.entry_count, len(mine))
            self.assertAlmostEqual(sum(statement.line_ids.mapped("amount")), statement.amount_net, places=2)
        self.assertLedgerConsistent(*cards)

    def test_monthly_cron_builds_last_month_and_the_period_adds_up(self):
        # Noon in Shanghai (04:00 UTC), three days before the alliance's month began (its day, not UTC's).
        last_month = datetime.combine(self.today.replace(day=1) - relativedelta(days=3), time(4, 0))
        self.env["alliance.points.service"]._earn(self.card_a, self.merchant_a, 120.0, "last-month", date=last_month)
        Period = self.env["alliance.settlement.period"]
        Period._cron_build_last_month(commit=False)
        period = Period._month_of(last_month.date())
        a = self._statement(period, self.merchant_a)
        self.assertEqual(self._lines(a), {"issue": (120, 1.2)})
        self.assertEqual(a.stage, "draft")
        self.assertGreaterEqual(period.points_issued, 120)
        # Points held at the end of each period: what the ledger says up to then.
        Entry = self.env["alliance.points.entry"]
        for month in (period, self.this_month):
            end = self.env["alliance.settlement.clearing"]._period_end(month)
            held = sum(Entry.search([("date", "<", fields.Datetime.to_string(end))]).mapped("points"))
            self.assertEqual(month.outstanding_points, held)
        # The drill-down shows the entries the draft would settle.
        entries = self.env["alliance.points.entry"].search(a.action_open_entries()["domain"])
        self.assertEqual(entries.mapped("reference"), ["last-month"])

    def test_a_quarterly_merchant_is_settled_at_the_end_of_its_quarter(self):
        self.merchant_a.settlement_cycle_months = 3
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 100.0, "A-1")
        self._as(self.user_b_cashier).alliance_earn(self.card_b.code, 100.0, "B-1")
        Period = self.env["alliance.settlement.period"]
        january = Period.create({"name": "2099-01", "date_from": date(2099, 1, 1), "date_to": date(2099, 1, 31)})
        march = Period.create({"name": "2099-03", "date_from": date(2099, 3, 1), "date_to": date(2099, 3, 31)})
        self._build(january)
        self.assertFalse(self._statement(january, self.merchant_a))
        self.assertTrue(self._statement(january, self.merchant_b))
        self._build(march)
        self.assertEqual(self._lines(self._statement(march, self.merchant_a)), {"issue": (100, 1.0)})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.merchant_a.settlement_cycle_months = 5
            self.env.flush_all()
