"""The operator's settings page: every rule of the alliance, stored where the engine reads it."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestSettings(PointsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo lets only administrators save settings: the operator's manager who is one.
        cls.user_hq_admin = new_test_user(
            cls.env,
            "t_hq_admin",
            groups="base.group_system,alliance_member.group_alliance_operator",
            company_id=cls.user_operator.company_id.id,
            lang="en_US",
        )

    def _save(self, user, **values):
        settings = self.env["res.config.settings"].with_user(user).create(values)
        settings.execute()
        return settings

    def test_the_operator_sets_the_rules_the_engine_applies(self):
        self._save(
            self.user_hq_admin,
            alliance_earn_rate_pct=200,
            alliance_max_redeem_pct=50,
            alliance_min_redeem_points=100,
            alliance_hold_minutes=10,
            alliance_referral_pct_1=20,
            alliance_lookup_per_minute=0,
        )
        ICP = self.env["ir.config_parameter"].sudo()
        self.assertEqual(ICP.get_param("alliance_points.earn_rate_pct"), "200")
        self.assertEqual(ICP.get_param("alliance_points.referral_pct_1"), "20")
        # 0 is a value, not "unset": points earned through the API stay spendable at once.
        self.assertEqual(ICP.get_param("alliance_points.api_pending_hours"), "0")
        self.assertEqual(ICP.get_param("alliance_member.lookup_per_minute"), "0")
        # ¥58 at 200%: 116 points.
        earned = self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 58.0, "s-1")
        self.assertEqual(earned["points"], 116)
        A = self._as(self.user_a_cashier)
        with self.assertRaisesRegex(UserError, "At least 100 points"):
            A.alliance_redeem(self.card_a.code, 99, "s-2", self._proof(self.card_a))
        with self.assertRaisesRegex(UserError, "At most 50% of a bill"):
            A.alliance_pos_hold(self.card_a.id, 1.0, "o-1", "p-1", 1.5, proof=self._proof(self.card_a))
        hold = A.alliance_pos_hold(self.card_a.id, 1.0, "o-1", "p-1", 2.0, proof=self._proof(self.card_a))
        expires = self.env["alliance.points.hold"].browse(hold["hold_id"]).expires_at
        self.assertAlmostEqual(expires, fields.Datetime.now() + timedelta(minutes=10), delta=timedelta(minutes=1))

    def test_out_of_range_values_are_refused_and_change_nothing(self):
        ICP = self.env["ir.config_parameter"].sudo()
        before = ICP.get_param("alliance_points.max_redeem_pct")
        for field, value in (
            ("alliance_max_redeem_pct", 150),
            ("alliance_referral_pct_2", -5),
            ("alliance_points_per_unit", 0),
            ("alliance_hold_minutes", 0),
        ):
            with self.assertRaisesRegex(ValidationError, "must be between"):
                self._save(self.user_hq_admin, **{field: value})
        self.assertEqual(ICP.get_param("alliance_points.max_redeem_pct"), before)

    def test_only_an_administrator_of_the_operator_changes_the_rules(self):
        for user in (self.user_a_manager, self.user_accountant, self.user_operator):
            with self.assertRaises(AccessError):
                self._save(user, alliance_earn_rate_pct=1000)
        self.assertNotEqual(self.env["ir.config_parameter"].sudo().get_param("alliance_points.earn_rate_pct"), "1000")
