from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AllianceCase


@tagged("post_install", "-at_install")
class TestLookupRate(AllianceCase):
    def test_typing_card_numbers_one_after_another_is_stopped(self):
        self.env["ir.config_parameter"].sudo().set_param("alliance_member.lookup_per_minute", "5")
        Cards = self.env["alliance.card"].with_user(self.user_b_cashier).with_company(self.company_b)
        # Guessing: valid card numbers that belong to no one are counted too, though each lookup fails.
        # (Not in a savepoint: what the lookup counted in a transaction of its own stays, as in production.)
        for guess in ("9000000027", "9000000035", "9000000043"):
            try:
                Cards.alliance_lookup(guess)
            except UserError as error:
                self.assertIn("No alliance card", str(error))
            else:
                self.fail(f"{guess} found a card")
        Cards.alliance_lookup(self.card_a.code)
        Cards.alliance_lookup("13907319002")
        with self.assertRaisesRegex(UserError, "at most 5 a minute"):
            Cards.alliance_lookup(self.card_a.code)
        # Another counter's cashier is not held up by this one.
        other = self.env["alliance.card"].with_user(self.user_a_cashier).with_company(self.company_a)
        self.assertEqual(other.alliance_lookup(self.card_b.code)["card"], self.card_b.code)
