"""The member's pages and the counter's lookup with points: served read-only (a replica's cursor)."""

from odoo.tests import tagged

from .common import PointsHttpCase


@tagged("post_install", "-at_install")
class TestReadonlyPortal(PointsHttpCase):
    def test_the_points_page_is_read_only_and_makes_the_invite_link_on_the_primary(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 300.0, "ro-seed")
        partner = self.card_a.partner_id.sudo()
        self.assertFalse(partner.alliance_invite_token)
        self.authenticate("t_member", "t_member")
        page = self.assertServedReadonly("/my/alliance/points")
        # Written on the primary, read back from there: the page shows the link it made.
        partner.invalidate_recordset()
        token = partner.alliance_invite_token
        self.assertTrue(token)
        self.assertIn(f"/alliance/join/{token}", page.text)
        self.assertIn("300", page.text)
        # Shown again: the same link, nothing written.
        self.assertIn(f"/alliance/join/{token}", self.assertServedReadonly("/my/alliance/points").text)
        self.assertServedReadonly("/my/alliance/messages")

    def test_the_counter_reads_the_balance_read_only(self):
        self._as(self.user_a_cashier).alliance_earn(self.card_a.code, 300.0, "ro-seed")
        self.authenticate("t_b_cashier", "t_b_cashier")
        with self.assertNoReadWriteRetry():
            found = self.make_jsonrpc_request(
                "/web/dataset/call_kw/alliance.card/alliance_lookup",
                {"model": "alliance.card", "method": "alliance_lookup", "args": ["13907319001"], "kwargs": {}},
            )
        self.assertEqual((found["card"], found["balance"], found["available"]), (self.card_a.code, 300, 300))
