from datetime import datetime

from odoo.addons.alliance_member.tests.common import AllianceCase, AllianceHttpCase

PARAMS = {
    "earn_rate_pct": "100",
    "birthday_pct": "200",
    "referral_pct_1": "10",
    "referral_pct_2": "5",
    "referral_pct_3": "2",
    "expiry_policy": "months",
    "expiry_months": "24",
    "points_per_unit": "100",
    "min_redeem_points": "0",
    # Points earned through the API are spendable at once unless a test says otherwise.
    "api_pending_hours": "0",
    "reverse_days": "7",
    "card_only_points": "0",
}

# Thursday 1 October 2026, 12:00 in Shanghai (04:00 UTC).
NOON = datetime(2026, 10, 1, 4, 0)


class PointsMixin:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ICP = cls.env["ir.config_parameter"].sudo()
        for key, value in PARAMS.items():
            ICP.set_param(f"alliance_points.{key}", value)
        cls.env["alliance.earn.band"].search([]).active = False
        cls.env["alliance.earn.promotion"].search([]).active = False
        cls.Card = cls.env["alliance.card"]

    def _proof(self, card):
        """A fresh dynamic payment code of the card, as the member's phone shows it."""
        return {"code": self.env["alliance.card.auth"]._get_for(card)._issue_payment_code()}

    def _as(self, user):
        return self.env["alliance.card"].with_user(user).with_company(user.company_id)

    def assertLedgerConsistent(self, *cards):
        """Balance = Σ entries = Σ open lots, for every card."""
        for card in cards:
            card.invalidate_recordset()
            entries = self.env["alliance.points.entry"].search([("card_id", "=", card.id)])
            lots = self.env["alliance.points.lot"].search([("card_id", "=", card.id)])
            self.assertEqual(card.balance, sum(entries.mapped("points")), f"ledger of {card.code}")
            self.assertEqual(card.balance, sum(lots.mapped("remaining")), f"lots of {card.code}")
            self.assertEqual(card.debt_points, sum(entries.mapped("debt_delta")), f"debt of {card.code}")


class PointsCase(PointsMixin, AllianceCase):
    pass


class PointsHttpCase(PointsMixin, AllianceHttpCase):
    pass
