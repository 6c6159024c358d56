"""邀请注册: a member's invite QR brings a friend, who joins on a phone; and what an attacker gets from the page."""

import re

from odoo.tests import tagged

from .common import PointsHttpCase

FRIEND = "13907319555"


@tagged("post_install", "-at_install")
class TestJoinByInvite(PointsHttpCase):
    browser_size = "375x667"
    touch_enabled = True

    def _invite_path(self):
        """The invite link, as the member sees it on their points page."""
        self.authenticate("t_member", "t_member")
        page = self.url_open("/my/alliance/points").text
        self.assertIn("o_alliance_invite_qr", page)
        url = re.search(r'class="o_alliance_invite_link" href="([^"]+)"', page).group(1)
        self.authenticate(None, None)
        return url[url.index("/alliance/join/") :]

    def _post(self, path, **data):
        page = self.url_open(path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open(path, data={"csrf_token": token, **data})

    def _texts(self, phone):
        return self.env["sms.sms"].sudo().search([("number", "=", "+86" + phone)], order="id")

    def _code(self, phone):
        return re.search(r"\d{6}", self._texts(phone)[-1:].body).group(0)

    def _member(self, phone):
        return self.env["res.partner"].search(
            [("alliance_phone", "=", "+86" + phone), ("alliance_is_member", "=", True)]
        )

    def test_a_friend_joins_by_the_invite_and_the_inviter_earns_on_their_first_purchase(self):
        inviter = self.card_a.partner_id
        path = self._invite_path()
        self.assertIn("o_alliance_join_sent", self._post(path, phone=FRIEND, send="1").text)
        code = self._code(FRIEND)
        self.assertIn("加入联盟的验证码", self._texts(FRIEND).body)
        self.start_tour(f"{path}?phone={FRIEND}&code={code}", "alliance_points_join_tour")
        friend = self._member(FRIEND)
        card = friend.alliance_card_id
        self.assertEqual(
            (
                friend.name,
                str(friend.alliance_birthday),
                friend.alliance_referrer_id,
                friend.alliance_enrol_merchant_id,
            ),
            ("赵敏", "1995-06-18", inviter, self.merchant_a),
        )
        # An electronic card of the inviter's merchant, from its numbers; a portal user signed in by phone.
        self.assertEqual(
            (card.issuer_merchant_id, card.range_id, card.state), (self.merchant_a, self.range_a, "active")
        )
        self.assertEqual((friend.user_ids.login, friend.user_ids._is_portal()), ("+86" + FRIEND, True))
        # The friend's first purchase, at another merchant: ¥188 earns 188 points; the inviter 10 % of them.
        before = self.card_a.balance
        self._as(self.user_b_cashier).alliance_earn(card.code, 188.0, "friend-first-purchase")
        self.assertEqual(card.balance, 188)
        self.assertEqual(self.card_a.balance - before, 18)  # 188 × 10 % = 18.8, rounded down
        bonus = self.env["alliance.points.entry"].search([("card_id", "=", self.card_a.id)], order="id desc", limit=1)
        self.assertEqual((bonus.entry_type, bonus.merchant_id, bonus.points), ("referral", self.merchant_b, 18))
        self.assertLedgerConsistent(card, self.card_a)

    def test_what_the_join_page_gives_an_attacker(self):
        path = self._invite_path()
        partners, cards = self.env["res.partner"].search_count([]), self.env["alliance.card"].search_count([])
        next_number = self.range_a.next_number
        # A made-up invitation, or one whose member's card is frozen, is no page at all.
        self.assertEqual(self.url_open("/alliance/join/made-up-token-0000").status_code, 404)
        self.card_b.sudo().write({"state": "frozen"})
        self.card_b.partner_id._alliance_invite_path()
        self.assertEqual(self.url_open(self.card_b.partner_id._alliance_invite_path()).status_code, 404)
        # Codes: one a minute per phone; a bad phone says so and texts no one.
        self._post(path, phone=FRIEND, send="1")
        self.assertIn("less than a minute", self._post(path, phone=FRIEND, send="1").text)
        self.assertIn("not a valid phone number", self._post(path, phone="12345", send="1").text)
        self.assertEqual(len(self._texts(FRIEND)), 1)
        code = self._code(FRIEND)
        # Without the terms accepted, or without a name, nothing is created and the code is not spent.
        self.assertIn("o_alliance_join_error", self._post(path, phone=FRIEND, code=code, name="赵敏").text)
        self.assertIn("Your name is required", self._post(path, phone=FRIEND, code=code, terms="1").text)
        self.assertFalse(self._member(FRIEND))
        # Three wrong codes kill the code: the right one joins no one after them.
        for wrong in ("000000", "123456", "999999"):
            self.assertIn("Wrong code", self._post(path, phone=FRIEND, code=wrong, name="赵敏", terms="1").text)
        self.assertIn("o_alliance_join_error", self._post(path, phone=FRIEND, code=code, name="赵敏", terms="1").text)
        self.assertEqual(
            (self.env["res.partner"].search_count([]), self.env["alliance.card"].search_count([])), (partners, cards)
        )
        self.assertEqual(self.range_a.next_number, next_number)
        # A member's phone, proven by its code, signs that member in: no second card, no new referrer.
        member_b = self.card_b.partner_id
        self.card_b.sudo().write({"state": "active"})
        self._post(path, phone="13907319002", send="1")
        self._post(path, phone="13907319002", code=self._code("13907319002"), name="冒名", terms="1")
        self.assertEqual((member_b.name, member_b.alliance_referrer_id.id), ("李四", False))
        self.assertEqual(self.env["alliance.card"].search_count([]), cards)
        self.assertIn("o_alliance_points_balance", self.url_open("/my/alliance/points").text)
        # Texts cost the operator money: one address gets codes for ten phones an hour (two above), then none.
        self.authenticate(None, None)
        for i in range(8):
            self._post(path, phone=f"1390731960{i}", send="1")
        refused = self._post(path, phone="13907319610", send="1").text
        self.assertIn("Too many codes were asked for from here", refused)
        self.assertFalse(self._texts("13907319610"))
