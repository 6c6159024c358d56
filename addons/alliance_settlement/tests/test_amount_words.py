from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAmountInWords(TransactionCase):
    def test_rmb_capitals(self):
        cny = self.env.ref("base.CNY")
        self.assertEqual(cny._alliance_amount_in_words(10.0, "zh_CN"), "人民币壹拾元整")
        self.assertEqual(cny._alliance_amount_in_words(8.0, "zh_CN"), "人民币捌元整")
        self.assertEqual(cny._alliance_amount_in_words(1234.56, "zh_CN"), "人民币壹仟贰佰叁拾肆元伍角陆分")
        self.assertEqual(cny._alliance_amount_in_words(-2.0, "zh_CN"), "负人民币贰元整")
        # Rounded once, with the currency's rounding, before being written out.
        self.assertEqual(cny._alliance_amount_in_words(0.505, "zh_CN"), "人民币伍角壹分")

    def test_english_words(self):
        cny = self.env.ref("base.CNY")
        words = cny._alliance_amount_in_words(10.0, "en_US")
        self.assertIn("Ten", words)
