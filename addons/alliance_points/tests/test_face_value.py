from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestFaceValue(TransactionCase):
    def test_default_face_value_is_100_points_per_yuan(self):
        cny = self.env.ref("base.CNY")
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.points_per_unit", False)
        self.assertEqual(cny._alliance_points_value(1000), 10.0)
        self.assertEqual(cny._alliance_points_value(150), 1.5)
        self.assertEqual(cny._alliance_points_value(1), 0.01)
        self.assertEqual(cny._alliance_points_value(0), 0.0)

    def test_custom_face_value_rounds_down(self):
        cny = self.env.ref("base.CNY")
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.points_per_unit", "300")
        # 1,000 points at 300 per yuan: 3.3333… paid as 3.33, never 3.34.
        self.assertEqual(cny._alliance_points_value(1000), 3.33)
        self.assertEqual(cny._alliance_points_value(299), 0.99)

    def test_bad_input(self):
        cny = self.env.ref("base.CNY")
        with self.assertRaisesRegex(UserError, "whole numbers"):
            cny._alliance_points_value(1.5)
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.points_per_unit", "0")
        with self.assertRaisesRegex(UserError, "positive"):
            cny._alliance_points_value(100)
