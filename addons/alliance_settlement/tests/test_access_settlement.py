"""The settlement models in the access matrix of alliance_member: every role, A's record and B's."""

from odoo.tests import tagged

from .common import SettlementCase

NOBODY = "000 000 0"
# Statements and their lines change only through their actions (the server's, under each action's own
# checks): nobody writes, creates or deletes them directly, the operator included.
STATEMENT = {
    "operator": "100 100 0",
    "accountant": "100 100 0",
    "a_manager": "100 000 0",
    "a_cashier": NOBODY,
    "b_cashier": NOBODY,
    "portal_member": NOBODY,
    "portal_merchant": "100 000 0",
    "pos_user": NOBODY,
}
# A point pack is sold through the operator's wizard only; a merchant's manager reads its own.
PACK = dict(STATEMENT, portal_merchant=NOBODY)
MATRIX = {
    "alliance.settlement.statement": STATEMENT,
    "alliance.settlement.line": STATEMENT,
    "alliance.point.pack": PACK,
}
# A period is the operator's to open and build (read, write, unlink, create).
PERIOD = {
    "operator": "1101",
    "accountant": "1101",
    "a_manager": "1000",
    "a_cashier": "0000",
    "b_cashier": "0000",
    "portal_member": "0000",
    "portal_merchant": "1000",
    "pos_user": "0000",
}


@tagged("post_install", "-at_install")
class TestSettlementAccessMatrix(SettlementCase):
    def test_matrix_of_the_settlement_models(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 100.0, "a-1")
        self._as(self.user_b_cashier).alliance_earn(self.card_b.code, 100.0, "b-1")
        self._build(self.this_month)
        a = self._statement(self.this_month, self.merchant_a)
        b = self._statement(self.this_month, self.merchant_b)
        (self.merchant_a | self.merchant_b).billing_mode = "prepaid"
        Pack = self.env["alliance.point.pack"].with_user(self.user_operator)
        packs = Pack._sell(self.merchant_a, 1000), Pack._sell(self.merchant_b, 1000)
        self.assertMatrix(
            MATRIX,
            {
                "alliance.settlement.statement": (a, b),
                "alliance.settlement.line": (a.line_ids[:1], b.line_ids[:1]),
                "alliance.point.pack": packs,
            },
        )
        for role, expected in PERIOD.items():
            user = self._roles()[role]
            got = "".join(self._allowed(self.this_month, user, op) for op in ("read", "write", "unlink"))
            got += self._allowed(self.env["alliance.settlement.period"], user, "create")
            self.assertEqual(got, expected, f"alliance.settlement.period as {role}")
