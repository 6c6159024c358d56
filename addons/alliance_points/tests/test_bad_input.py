"""Bad input at every public method of the counter: a clear error naming the problem, and nothing changed.

(A ValidationError is a UserError: both are what a client is told.)
"""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestBadInput(PointsCase):
    def test_bad_input_is_named_and_changes_nothing(self):
        A = self._as(self.user_a_cashier)
        A.alliance_earn(self.card_a.code, 100.0, "seed")
        card = self.card_a.code
        nan, inf = float("nan"), float("inf")
        cases = [
            # alliance_earn
            (lambda: A.alliance_earn(card, nan, "r1"), "finite number"),
            (lambda: A.alliance_earn(card, inf, "r2"), "finite number"),
            (lambda: A.alliance_earn(card, -inf, "r3"), "finite number"),
            (lambda: A.alliance_earn(card, 1e15, "r4"), "beyond any purchase"),
            (lambda: A.alliance_earn(card, "12.5", "r5"), "must be a number"),
            (lambda: A.alliance_earn(card, [12.5], "r6"), "must be a number"),
            (lambda: A.alliance_earn(card, 10.0, ["r7"]), "reference"),
            (lambda: A.alliance_earn(card, 10.0, "x" * 129), "at most 128"),
            (lambda: A.alliance_earn(card, 10.0, "r8", lines="all"), "Lines are a list"),
            (lambda: A.alliance_earn(card, 10.0, "r9", lines=[{"amount": nan}]), "finite number"),
            (lambda: A.alliance_earn(card, 10.0, "r10", lines=[{"price": 1}]), "A line is"),
            (lambda: A.alliance_earn(card, 10.0, "r11", lines=[{"product": "dish"}]), "is an id"),
            (lambda: A.alliance_earn({"code": card}, 10.0, "r12"), "A card is given by"),
            (lambda: A.alliance_earn(10**20, 10.0, "r13"), "No alliance card has id"),
            (lambda: A.alliance_earn(-1, 10.0, "r14"), "No alliance card has id"),
            # alliance_redeem
            (lambda: A.alliance_redeem(card, 1.5, "r15", self._proof(self.card_a)), "whole number"),
            (lambda: A.alliance_redeem(card, -5, "r16", self._proof(self.card_a)), "positive"),
            (lambda: A.alliance_redeem(card, True, "r17", self._proof(self.card_a)), "whole number"),
            (lambda: A.alliance_redeem(card, "10", "r18", self._proof(self.card_a)), "whole number"),
            (lambda: A.alliance_redeem(card, 10, "r19", {"pin": nan}), "must be digits"),
            (lambda: A.alliance_redeem(card, 10, "r20", 12345), "A proof is one of"),
            # alliance_lookup
            (lambda: A.alliance_lookup(1000000019), "is text"),
            (lambda: A.alliance_lookup(["1000000019"]), "is text"),
            (lambda: A.alliance_lookup(""), "Scan a card"),
            (lambda: A.alliance_lookup("9" * 200), "too long"),
            (lambda: A.alliance_lookup("not a phone"), "not a valid phone number"),
            # alliance_use_visit
            (lambda: A.alliance_use_visit([card], "v1"), "A card is given by"),
            (lambda: A.alliance_use_visit(card, ["v2"]), "reference"),
            (lambda: A.alliance_use_visit(2**40, "v3"), "A card is given by"),
            # alliance_reverse, alliance_send_code
            (lambda: A.alliance_reverse(None), "reference"),
            (lambda: A.alliance_reverse({"ref": "seed"}), "reference"),
            (lambda: A.alliance_send_code(card, 0), "positive whole number"),
            (lambda: A.alliance_send_code(card, "all"), "positive whole number"),
            # alliance_enrol
            (lambda: A.alliance_enrol("", "13907319100"), "name is required"),
            (lambda: A.alliance_enrol(["王五"], "13907319100"), "name is required"),
            (lambda: A.alliance_enrol("王五", 13907319100), "is text"),
            (lambda: A.alliance_enrol("王五", "12345"), "not a valid phone number"),
            (lambda: A.alliance_enrol("王" * 65, "13907319100"), "at most 64"),
            # alliance_pos_hold
            (lambda: A.alliance_pos_hold(self.card_a.id, nan, "o", "p", 58.0), "finite number"),
            (lambda: A.alliance_pos_hold(self.card_a.id, 5.0, "o", "p", inf), "finite number"),
            (lambda: A.alliance_pos_hold(self.card_a.id, 5.0, ["o"], "p", 58.0), "uuids"),
            (lambda: A.alliance_pos_hold(self.card_a.id, -5.0, "o", "p", 58.0), "zero or more"),
        ]
        self.assertGreaterEqual(len(cases), 25)
        Entry, Partner = self.env["alliance.points.entry"], self.env["res.partner"]
        before = (Entry.search_count([]), Partner.search_count([]), self.Card.search_count([]), self.card_a.balance)
        for call, message in cases:
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                call()
        self.card_a.invalidate_recordset()
        after = (Entry.search_count([]), Partner.search_count([]), self.Card.search_count([]), self.card_a.balance)
        self.assertEqual(after, before)
