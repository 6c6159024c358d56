import random

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SettlementCase


@tagged("post_install", "-at_install")
class TestAccounting(SettlementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.books = cls.operator._alliance_ensure_settlement_books()

    def _balances(self, moves):
        """{account: balance} of the moves' items (debit positive)."""
        balances = {}
        for line in moves.line_ids:
            balances[line.account_id] = balances.get(line.account_id, 0.0) + line.balance
        return {account: round(balance, 2) for account, balance in balances.items() if round(balance, 2)}

    def _post_month(self):
        statements = self._build(self.this_month)
        mine = statements.filtered(lambda s: s.merchant_id in (self.merchant_a | self.merchant_b))
        mine.with_user(self.user_accountant).action_confirm()
        mine.with_user(self.user_accountant).action_post()
        return self._statement(self.this_month, self.merchant_a), self._statement(self.this_month, self.merchant_b)

    def test_seed_example_in_the_books(self):
        """A issues 1,000 points, C accepts them; 500 more of A's expire: journal items account by account."""
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 1000.0, "A-1")
        self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 1000, "C-1", self._proof(self.card_a))
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.expiry_months", "1")
        self.env["alliance.points.service"]._earn(
            self.card_a, self.merchant_a, 500.0, "A-old", date=fields.Datetime.now() - relativedelta(months=3)
        )
        self.env["alliance.points.service"]._expire_batch()
        a, b = self._post_month()
        self.assertEqual((a.state, b.state), ("posted", "posted"))
        liability = self.operator.alliance_liability_account_id
        margin = self.operator.alliance_margin_account_id
        breakage = self.operator.alliance_breakage_account_id
        receivable = self.company_a.partner_id.with_company(self.operator).property_account_receivable_id
        payable = self.company_b.partner_id.with_company(self.operator).property_account_payable_id
        # A: invoiced ¥15 for 1,500 points; ¥5 of them expired (breakage).
        invoice = a.move_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(invoice.amount_total, 15.0)
        self.assertEqual(invoice.partner_id, self.company_a.partner_id)
        self.assertEqual(self._balances(a.move_ids), {receivable: 15.0, liability: -10.0, breakage: -5.0})
        # C (here B): a bill of ¥8; the points were worth ¥10 to the operator: ¥2 margin.
        bill = b.move_ids.filtered(lambda m: m.move_type == "in_invoice")
        self.assertEqual(bill.amount_total, 8.0)
        self.assertEqual(self._balances(b.move_ids), {payable: -8.0, liability: 10.0, margin: -2.0})
        self.assertEqual((b.value_redeemed, b.amount_margin), (10.0, 2.0))
        # Nothing outstanding: the liability is back to zero.
        self.assertEqual(self._balances(a.move_ids | b.move_ids).get(liability, 0.0), 0.0)
        for move in a.move_ids | b.move_ids:
            self.assertEqual(move.state, "posted")
            self.assertEqual(move.company_id, self.operator)

    def test_prepaid_pack_is_invoiced_and_payment_marks_the_statement_paid(self):
        self.merchant_a.billing_mode = "prepaid"
        self.merchant_a.with_user(self.user_operator).action_buy_points(1000, reference="PACK-1")
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 400.0, "A-1")
        a, _b = self._post_month()
        invoice = a.move_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(invoice.amount_total, 10.0)
        self.assertEqual(a.state, "posted")
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {}
        )._create_payments()
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(a.state, "paid")

    def test_reversals_make_credit_notes_and_refunds(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 300.0, "A-1")
        self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 100, "C-1", self._proof(self.card_a))
        a, b = self._post_month()
        self.assertEqual(a.amount_net, 3.0)
        # Next month both are undone: A is credited, B pays back its reimbursement.
        self._as(self.user_b_cashier).alliance_reverse("C-1")
        self._as(self.user_a_cashier).alliance_reverse("A-1")
        statements = self._build(self.next_month)
        statements.filtered(lambda s: s.merchant_id in (self.merchant_a | self.merchant_b)).with_user(
            self.user_accountant
        ).action_confirm()
        a2, b2 = self._statement(self.next_month, self.merchant_a), self._statement(self.next_month, self.merchant_b)
        (a2 | b2).with_user(self.user_accountant).action_post()
        self.assertEqual(a2.move_ids.filtered(lambda m: m.is_invoice()).move_type, "out_refund")
        self.assertEqual(a2.amount_net, -3.0)
        self.assertEqual(b2.move_ids.filtered(lambda m: m.is_invoice()).move_type, "in_refund")
        liability = self.operator.alliance_liability_account_id
        everything = a.move_ids | b.move_ids | a2.move_ids | b2.move_ids
        self.assertEqual(self._balances(everything).get(liability, 0.0), 0.0)
        self.assertFalse(self._balances(everything).get(self.operator.alliance_margin_account_id))

    def test_bad_transitions(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 100.0, "A-1")
        self._build(self.this_month)
        a = self._statement(self.this_month, self.merchant_a)
        with self.assertRaisesRegex(UserError, "Only a confirmed statement"):
            a.with_user(self.user_accountant).action_post()
        a.with_user(self.user_accountant).action_confirm()
        with self.assertRaisesRegex(UserError, "Only the operator's accountants"):
            a.with_user(self.user_a_manager).action_post()
        a.with_user(self.user_accountant).action_post()
        with self.assertRaisesRegex(UserError, "reverse its journal entries"):
            a.with_user(self.user_accountant).action_cancel()
        self.assertEqual(a.state, "posted")
        self.assertTrue(self.env["alliance.points.entry"].search([("settlement_id", "=", a.id)]))

    def test_generated_month_liability_equals_outstanding_points(self):
        """Random earn/redeem/reverse/expire: the books match the ledger to the cent."""
        rng = random.Random(11)
        cashiers = {self.merchant_a: self.user_a_cashier, self.merchant_b: self.user_b_cashier}
        # Different reimbursement prices; issue prices of whole cents per point keep the liability exact.
        self.merchant_a.write({"issue_price": 10.0, "reimburse_price": 8.0})
        self.merchant_b.write({"issue_price": 10.0, "reimburse_price": 7.5, "commission_rate": 2.0})
        cards = self.card_a | self.card_b
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.expiry_months", "1")
        old = fields.Datetime.now() - relativedelta(months=3)
        refs = []
        for i in range(50):
            merchant = rng.choice(list(cashiers))
            card = rng.choice(cards)
            move = rng.random()
            if move < 0.15:
                self.env["alliance.points.service"]._earn(
                    card, merchant, float(rng.randrange(10, 300)), f"old{i}", date=old
                )
            elif move < 0.55 or card.balance < 10:
                self._as(cashiers[merchant]).alliance_earn(card.code, float(rng.randrange(10, 500)) + 0.37, f"e{i}")
                refs.append((merchant, f"e{i}"))
            elif move < 0.85:
                self._as(cashiers[merchant]).alliance_redeem(
                    card.code, rng.randrange(1, min(card.balance, 300) + 1), f"r{i}", self._proof(card)
                )
                refs.append((merchant, f"r{i}"))
            elif refs:
                owner, ref = refs.pop(rng.randrange(len(refs)))
                self._as(cashiers[owner]).alliance_reverse(ref)
        self.env["alliance.points.service"]._expire_batch()
        a, b = self._post_month()
        moves = a.move_ids | b.move_ids
        self.assertTrue(moves)
        # The trial balance balances, move by move and as a whole.
        for move in moves:
            self.assertAlmostEqual(sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit")), places=2)
        liability = self.operator.alliance_liability_account_id
        lots = self.env["alliance.points.lot"].search([("card_id", "in", cards.ids), ("remaining", ">", 0)])
        # The points members hold; what a member owes after a refund is no liability of the operator's.
        outstanding = sum(lots.mapped("remaining"))
        self.assertEqual(-self._balances(moves).get(liability, 0.0), self.currency.round(outstanding * 10.0 / 1000))
        # The merchants' accounts carry what the statements say.
        for statement in a | b:
            partner = statement.merchant_id.company_id.partner_id
            items = statement.move_ids.line_ids.filtered(
                lambda line, p=partner: line.partner_id == p
                and line.account_id.account_type in ("asset_receivable", "liability_payable")
            )
            self.assertAlmostEqual(sum(items.mapped("balance")), statement.amount_net, places=2)
        self.assertLedgerConsistent(*cards)

    def test_netting_makes_one_entry_and_one_payment(self):
        self.merchant_b.settlement_netting = True
        self._as(self.user_b_cashier).alliance_earn(self.card_a.code, 300.0, "B-1")
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 1000.0, "A-1")
        self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 1000, "B-2", self._proof(self.card_a))
        _a, b = self._post_month()
        # B owes ¥3 for 300 points and is owed ¥8 for 1,000 accepted: ¥5 to B, in one entry.
        self.assertEqual(b.amount_net, -5.0)
        self.assertEqual(b.move_ids.move_type, "entry")
        payable = self.company_b.partner_id.with_company(self.operator).property_account_payable_id
        balances = self._balances(b.move_ids)
        self.assertEqual(balances[payable], -5.0)
        self.assertAlmostEqual(sum(balances.values()), 0.0, places=2)
        self.assertEqual(b.state, "posted")
        line = b.move_ids.line_ids.filtered(lambda item: item.account_id == payable)
        self.env["account.payment.register"].with_context(active_model="account.move.line", active_ids=line.ids).create(
            {}
        )._create_payments()
        self.assertTrue(line.reconciled)
        self.assertEqual(b.state, "paid")

    def test_a_rerun_after_a_crash_halfway_gives_the_same_statements(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 700.0, "A-1")
        self._as(self.user_b_cashier).alliance_redeem(self.card_a.code, 300, "B-1", self._proof(self.card_a))
        Clearing = self.env["alliance.settlement.clearing"]
        merchants = self.env["alliance.merchant"].search([("state", "!=", "draft")], order="id")
        # A run that stopped after its first batch (one merchant), then the whole rerun...
        Clearing._build(self.this_month, merchants[:1])
        Clearing._build_period(self.this_month, batch=1)
        rerun = {s.merchant_id: (s.amount_net, s.entry_count) for s in self._build(self.this_month)}
        # ...are what one uninterrupted run gives.
        self.this_month.statement_ids.unlink()
        Clearing._build_period(self.this_month, batch=100)
        once = {s.merchant_id: (s.amount_net, s.entry_count) for s in self.this_month.statement_ids}
        self.assertEqual(rerun, once)
        self.assertEqual(once[self.merchant_a], (7.0, 1))
        self.assertEqual(once[self.merchant_b], (-2.4, 1))
