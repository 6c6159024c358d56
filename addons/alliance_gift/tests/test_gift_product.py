from psycopg2.errors import CheckViolation

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestGiftProduct(TransactionCase):
    def test_gift_needs_a_positive_points_price(self):
        gift = self.env["product.template"].create(
            {
                "name": "联盟定制保温杯",
                "alliance_is_gift": True,
                "alliance_points_price": 3000,
                "alliance_cash_copay": 9.9,
            }
        )
        self.assertEqual(gift.alliance_points_price, 3000)
        with mute_logger("odoo.sql_db"), self.assertRaises(CheckViolation):
            self.env["product.template"].create({"name": "免费礼品", "alliance_is_gift": True})
        with mute_logger("odoo.sql_db"), self.assertRaises(CheckViolation):
            gift.write({"alliance_points_price": -1})
            gift.flush_recordset()
