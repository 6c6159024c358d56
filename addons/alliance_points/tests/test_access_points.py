"""The points models in the access matrix of alliance_member: every role, A's record and B's."""

from odoo.tests import tagged

from .common import PointsCase

# (read, write, unlink) on A's record, the same on B's, then create; see alliance_member's test_access.
NOBODY = "000 000 0"
MATRIX = {
    # The ledger is written by the points service only; a merchant reads its own, a member its own.
    "alliance.points.entry": {
        "operator": "100 100 0",
        "accountant": "100 100 0",
        "a_manager": "100 000 0",
        "a_cashier": "100 000 0",
        "b_cashier": "000 100 0",
        "portal_member": "100 000 0",
        "portal_merchant": NOBODY,
        "pos_user": NOBODY,
    },
    "alliance.points.lot": {
        "operator": "100 100 0",
        "accountant": "100 100 0",
        "a_manager": "100 000 0",
        "a_cashier": NOBODY,
        "b_cashier": NOBODY,
        "portal_member": "100 000 0",
        "portal_merchant": NOBODY,
        "pos_user": NOBODY,
    },
    "alliance.points.lot.move": {
        "operator": "100 100 0",
        "accountant": "100 100 0",
        "a_manager": "100 000 0",
        "a_cashier": NOBODY,
        "b_cashier": NOBODY,
        "portal_member": NOBODY,
        "portal_merchant": NOBODY,
        "pos_user": NOBODY,
    },
    "alliance.quota.entry": {
        "operator": "100 100 0",
        "accountant": "100 100 0",
        "a_manager": "100 000 0",
        "a_cashier": NOBODY,
        "b_cashier": NOBODY,
        "portal_member": NOBODY,
        "portal_merchant": NOBODY,
        "pos_user": NOBODY,
    },
    "alliance.points.hold": {
        "operator": "100 100 0",
        "accountant": "100 100 0",
        "a_manager": "100 000 0",
        "a_cashier": "100 000 0",
        "b_cashier": "000 100 0",
        "portal_member": NOBODY,
        "portal_merchant": NOBODY,
        "pos_user": NOBODY,
    },
    # Risk alerts are the operator's: its accountants read them, its managers review them.
    "alliance.risk.alert": {
        "operator": "110 110 0",
        "accountant": "100 100 0",
        "a_manager": NOBODY,
        "a_cashier": NOBODY,
        "b_cashier": NOBODY,
        "portal_member": NOBODY,
        "portal_merchant": NOBODY,
        "pos_user": NOBODY,
    },
    # A card's secrets are nobody's: the service reaches them, no user does.
    "alliance.card.auth": dict.fromkeys(("operator", "accountant", "a_manager", "a_cashier", "b_cashier"), NOBODY)
    | {"portal_member": NOBODY, "portal_merchant": NOBODY, "pos_user": NOBODY},
}

# The earn rules are the operator's, the same for every merchant: (read, write, unlink, create).
EARN_RULES = {
    "operator": "1111",
    "accountant": "1000",
    "a_manager": "1000",
    "a_cashier": "1000",
    "b_cashier": "1000",
    "portal_member": "0000",
    "portal_merchant": "0000",
    "pos_user": "0000",
}


@tagged("post_install", "-at_install")
class TestPointsAccessMatrix(PointsCase):
    def test_matrix_of_the_earn_rules(self):
        band = self.env["alliance.earn.band"].search([], limit=1) or self.env["alliance.earn.band"].create(
            {"min_amount": 1000.0, "multiplier_pct": 150}
        )
        promotion = self.env["alliance.earn.promotion"].create(
            {"name": "周末双倍", "date_from": "2026-01-01", "date_to": "2026-12-31", "multiplier_pct": 200}
        )
        self.assertSharedMatrix(
            {"alliance.earn.band": EARN_RULES, "alliance.earn.promotion": EARN_RULES},
            {"alliance.earn.band": band, "alliance.earn.promotion": promotion},
        )

    def test_matrix_of_the_points_models(self):
        A, B = self._as(self.user_a_cashier), self._as(self.user_b_cashier)
        (self.merchant_a | self.merchant_b).write({"billing_mode": "prepaid"})
        for merchant in (self.merchant_a, self.merchant_b):
            merchant.with_user(self.user_operator).action_buy_points(10000, reference=f"PACK-{merchant.code}")
        earn_a = self.env["alliance.points.entry"].browse(A.alliance_earn(self.card_a.code, 100.0, "a-1")["entry_id"])
        earn_b = self.env["alliance.points.entry"].browse(B.alliance_earn(self.card_b.code, 100.0, "b-1")["entry_id"])
        spend_a = A.alliance_redeem(self.card_b.code, 10, "a-2", self._proof(self.card_b))
        spend_b = B.alliance_redeem(self.card_a.code, 10, "b-2", self._proof(self.card_a))
        Entry = self.env["alliance.points.entry"]
        A.alliance_pos_hold(self.card_a.id, 0.2, "order-a", "pay-a", 58.0, proof=self._proof(self.card_a))
        B.alliance_pos_hold(self.card_b.id, 0.2, "order-b", "pay-b", 58.0, proof=self._proof(self.card_b))
        Hold = self.env["alliance.points.hold"]
        Alert = self.env["alliance.risk.alert"]
        alerts = Alert._raise(
            [
                {"name": "A", "kind": "velocity_merchant", "key": "t/a", "merchant_id": self.merchant_a.id},
                {"name": "B", "kind": "velocity_merchant", "key": "t/b", "merchant_id": self.merchant_b.id},
            ]
        )
        Auth = self.env["alliance.card.auth"]
        Quota = self.env["alliance.quota.entry"]
        self.assertMatrix(
            MATRIX,
            {
                "alliance.points.entry": (earn_a, earn_b),
                "alliance.points.lot": (earn_a.lot_ids, earn_b.lot_ids),
                "alliance.points.lot.move": (
                    Entry.browse(spend_a["entry_id"]).lot_move_ids,
                    Entry.browse(spend_b["entry_id"]).lot_move_ids,
                ),
                "alliance.quota.entry": (
                    Quota.search([("merchant_id", "=", self.merchant_a.id)], limit=1),
                    Quota.search([("merchant_id", "=", self.merchant_b.id)], limit=1),
                ),
                "alliance.points.hold": (
                    Hold.search([("payment_uuid", "=", "pay-a")]),
                    Hold.search([("payment_uuid", "=", "pay-b")]),
                ),
                "alliance.risk.alert": (alerts[0], alerts[1]),
                "alliance.card.auth": (Auth._get_for(self.card_a), Auth._get_for(self.card_b)),
            },
        )
