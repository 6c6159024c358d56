"""电子券: issued by campaigns and for points, redeemed at an accepting counter, settled between merchants."""

from datetime import date, timedelta
from uuid import uuid4

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.alliance_settlement.tests.common import SettlementMixin

from .common import PIN, GiftCase


class CouponMixin(SettlementMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Template = cls.env["alliance.coupon.template"]
        cls.Coupon = cls.env["alliance.coupon"]
        # Funded by A, accepted at B (the "C" of the seeds): A pays B for the members it sends there.
        cls.tpl_a = Template.create(
            {
                "name": "A 出资 满100减20",
                "funder_id": cls.merchant_a.id,
                "merchant_ids": [(6, 0, cls.merchant_b.ids)],
                "amount": 20.0,
                "min_spend": 100.0,
                "issue_mode": "points",
                "points_price": 1500,
            }
        )
        # The operator's own: its marketing, accepted everywhere.
        cls.tpl_operator = Template.create(
            {
                "name": "联盟 9折券",
                "discount_type": "percent",
                "percent": 10,
                "max_discount": 15.0,
                "issue_mode": "points",
                "points_price": 500,
            }
        )
        cls.product_b = cls._pos_product(cls.company_b)
        cls.coupon_product = cls.env.ref("alliance_gift.product_coupon_discount")

    def _issue(self, template=None, card=None, key=None):
        return self.Coupon._issue(template or self.tpl_a, card or self.card_a, key or uuid4().hex)

    def _apply(self, coupon, amount, order_uuid, user=None, code=None):
        user = user or self.user_b_cashier
        Coupon = self.Coupon.with_user(user).with_company(user.company_id)
        return Coupon.alliance_coupon_apply(coupon.code if code is None else code, order_uuid, amount)

    def _sale_with_coupon(self, coupon, amount, user=None, order_uuid=None):
        """A cashier of B scans the coupon on a bill of ``amount`` and the POS syncs the paid order."""
        user = user or self.user_b_cashier
        order_uuid = order_uuid or str(uuid4())
        done = self._apply(coupon, amount, order_uuid, user=user)
        lines = [self._pos_line(self.product_b, 1, amount), self._pos_line(self.coupon_product, 1, -done["discount"])]
        return self._pos_sync(self.merchant_b, coupon.card_id, 0, uuid=order_uuid, user=user, lines=lines)


@tagged("post_install", "-at_install")
class TestCoupon(CouponMixin, GiftCase):
    def test_redeemed_at_the_counter_once(self):
        coupon = self._issue()
        order = self._sale_with_coupon(coupon, 120.0)
        coupon.invalidate_recordset()
        self.assertEqual((coupon.state, coupon.pos_order_id, coupon.merchant_id), ("used", order, self.merchant_b))
        self.assertEqual((order.amount_total, order.alliance_coupon_note), (100.0, False))
        use = coupon.use_ids
        self.assertEqual((use.amount, use.reimburse_amount, use.funder_id), (20.0, 20.0, self.merchant_a))
        # Synced again (a retry): still one use.
        self._pos_sync(
            self.merchant_b,
            self.card_a,
            0,
            uuid=order.uuid,
            user=self.user_b_cashier,
            lines=[self._pos_line(self.product_b, 1, 120.0), self._pos_line(self.coupon_product, 1, -20.0)],
        )
        self.assertEqual(len(coupon.use_ids), 1)
        # Another order: refused, nothing changes.
        with self.assertRaisesRegex(UserError, "used already"):
            self._apply(coupon, 150.0, str(uuid4()))
        self.assertEqual((coupon.state, coupon.pos_order_id, len(coupon.use_ids)), ("used", order, 1))

    def test_the_same_order_scans_twice_one_hold(self):
        coupon = self._issue(self.tpl_operator)
        first = self._apply(coupon, 200.0, "order-x")
        again = self._apply(coupon, 200.0, "order-x")
        self.assertEqual(first, again)
        self.assertEqual(first["discount"], 15.0, "10% of 200 capped at 15")
        with self.assertRaisesRegex(UserError, "on another order"):
            self._apply(coupon, 200.0, "order-y")

    def test_refund_gives_the_coupon_back(self):
        coupon = self._issue()
        order = self._sale_with_coupon(coupon, 120.0)
        refund_uuid = str(uuid4())
        lines = [
            {**self._pos_line(line.product_id, -1, line.price_unit), "refunded_orderline_id": line.id}
            for line in order.lines
        ]
        self._pos_sync(self.merchant_b, False, 0, uuid=refund_uuid, user=self.user_b_cashier, lines=lines)
        refund = self.env["pos.order"].search([("uuid", "=", refund_uuid)])
        self.assertEqual(refund.refunded_order_id, order)
        coupon.invalidate_recordset()
        self.assertEqual((coupon.state, coupon.pos_order_id.id), ("available", False))
        self.assertEqual(sorted(coupon.use_ids.mapped("amount")), [-20.0, 20.0])
        # Usable again, on a new order.
        self._sale_with_coupon(coupon, 130.0)
        self.assertEqual(coupon.state, "used")

    def test_only_the_holding_counter_releases(self):
        coupon = self._issue(self.tpl_operator)
        self._apply(coupon, 200.0, "order-r")
        # Another merchant's cashier, or the right one naming another order: nothing changes.
        for user, order_uuid in ((self.user_a_cashier, "order-r"), (self.user_b_cashier, "order-other")):
            self.Coupon.with_user(user).with_company(user.company_id).alliance_coupon_release(coupon.code, order_uuid)
            coupon.invalidate_recordset()
            self.assertEqual((coupon.state, coupon.order_uuid), ("held", "order-r"))
        self.Coupon.with_user(self.user_b_cashier).with_company(self.company_b).alliance_coupon_release(
            coupon.code, "order-r"
        )
        coupon.invalidate_recordset()
        self.assertEqual((coupon.state, coupon.order_uuid), ("available", False))

    def test_stale_hold_goes_back(self):
        coupon = self._issue()
        self._apply(coupon, 120.0, "abandoned")
        coupon.sudo().held_until = coupon.held_until - timedelta(hours=1)
        self.Coupon._cron_release_stale()
        self.assertEqual((coupon.state, coupon.merchant_id.id, coupon.order_uuid), ("available", False, False))

    def test_counter_attacks_change_nothing(self):
        coupon = self._issue()
        before = (coupon.state, coupon.merchant_id, coupon.order_uuid, coupon.discount)
        # A's cashier: A funds it but does not accept it.
        with self.assertRaisesRegex(UserError, "not accepted here"):
            self._apply(coupon, 120.0, "o-1", user=self.user_a_cashier)
        with self.assertRaisesRegex(UserError, "at least"):
            self._apply(coupon, 99.99, "o-2")
        for amount in (float("nan"), float("inf"), -5, 0, True, "abc", 10**12, None):
            with self.assertRaisesRegex(UserError, "amount must be a positive number"):
                self._apply(coupon, amount, "o-3")
        for code in ("", "x" * 16, coupon.code[:-1], 12345, False, "0000000000000000"):
            with self.assertRaisesRegex(UserError, "16 letters|No such coupon"):
                self._apply(coupon, 120.0, "o-4", code=code)
        with self.assertRaisesRegex(UserError, "order it is used on"):
            self._apply(coupon, 120.0, "")
        # Not a counter: a member, a merchant's plain POS user.
        for user in (self.user_portal_member, self.user_pos):
            with self.assertRaises(AccessError):
                self._apply(coupon, 120.0, "o-5", user=user)
        coupon.invalidate_recordset()
        self.assertEqual((coupon.state, coupon.merchant_id, coupon.order_uuid, coupon.discount), before)
        # Expired: refused.
        coupon.sudo().date_expire = date.today() - timedelta(days=2)
        with self.assertRaisesRegex(UserError, "expired"):
            self._apply(coupon, 120.0, "o-6")
        self.assertEqual(coupon.state, "available")

    def test_a_coupon_line_the_server_did_not_hold_is_flagged(self):
        lines = [self._pos_line(self.product_b, 1, 120.0), self._pos_line(self.coupon_product, 1, -50.0)]
        order = self._pos_sync(self.merchant_b, self.card_a, 0, user=self.user_b_cashier, lines=lines)
        self.assertIn("the server holds coupons for 0", order.alliance_coupon_note)
        self.assertFalse(self.env["alliance.coupon.use"].search([("pos_order_id", "=", order.id)]))

    def test_codes_are_the_members_secret(self):
        coupon = self._issue()
        for user in (self.user_a_manager, self.user_b_cashier, self.user_a_cashier):
            with self.assertRaises(AccessError):
                self.Coupon.with_user(user).search([]).mapped("code")
        # A member sees their own coupons, never another member's.
        other = self._issue(card=self.card_b)
        mine = self.Coupon.with_user(self.user_portal_member).search([("id", "in", (coupon | other).ids)])
        self.assertEqual(mine, coupon)

    def test_bought_with_points(self):
        Coupon = self.Coupon.with_user(self.user_portal_member)
        balance = self.card_a.balance
        with self.assertRaisesRegex(UserError, "PIN"):
            Coupon._alliance_buy(self.card_a, self.tpl_a.id, {}, "buy-1")
        with self.assertRaises(UserError):
            Coupon._alliance_buy(self.card_a, self.tpl_a.id, {"pin": "000000"}, "buy-1")
        self.assertEqual(
            self.Coupon.search_count([("card_id", "=", self.card_a.id), ("template_id", "=", self.tpl_a.id)]), 0
        )
        coupon = Coupon._alliance_buy(self.card_a, self.tpl_a.id, {"pin": PIN}, "buy-1")
        again = Coupon._alliance_buy(self.card_a, self.tpl_a.id, {"pin": PIN}, "buy-1")
        self.assertEqual(coupon, again)
        self.card_a.invalidate_recordset()
        self.assertEqual(self.card_a.balance, balance - 1500)
        self.assertEqual(
            (coupon.sudo().entry_id.entry_type, coupon.sudo().entry_id.merchant_id), ("coupon", self.merchant_a)
        )
        self.assertLedgerConsistent(self.card_a)
        # Someone else's card, a campaign's template, an unknown id: refused.
        with self.assertRaises(AccessError):
            Coupon._alliance_buy(self.card_b, self.tpl_a.id, {"pin": PIN}, "buy-2")
        birthday = self.env["alliance.coupon.template"].create({"name": "生日", "amount": 10, "issue_mode": "birthday"})
        for template_id in (birthday.id, 0, -1, "1", 2**40):
            with self.assertRaises(UserError):
                Coupon._alliance_buy(self.card_a, template_id, {"pin": PIN}, "buy-3")
        self.card_a.invalidate_recordset()
        self.assertEqual(self.card_a.balance, balance - 1500)

    def test_quantity_is_a_cap(self):
        self.tpl_a.quantity = 1
        self._issue()
        with self.assertRaisesRegex(UserError, "all given out"):
            self._issue(card=self.card_b)


@tagged("post_install", "-at_install")
class TestCouponCampaigns(CouponMixin, GiftCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Template = cls.env["alliance.coupon.template"]
        # Only this test's campaigns run.
        Template.search([("issue_mode", "!=", "points")]).active = False
        cls.cards = cls.card_a | cls.card_b
        cls.cards.tier_id = cls.tier_silver
        cls.monthly = Template.create(
            {
                "name": "银卡月度券",
                "issue_mode": "tier_monthly",
                "monthly_count": 2,
                "amount": 5.0,
                "tier_ids": [(6, 0, cls.tier_silver.ids)],
            }
        )
        cls.birthday = Template.create({"name": "生日券", "issue_mode": "birthday", "amount": 30.0, "min_spend": 100.0})
        cls.card_a.partner_id.alliance_birthday = date(1990, 11, 3)
        cls.card_b.partner_id.alliance_birthday = date(1991, 12, 25)

    def _count(self, template, card=None):
        domain = [("template_id", "=", template.id)]
        if card:
            domain.append(("card_id", "=", card.id))
        return self.Coupon.search_count(domain)

    def test_tier_monthly_once_per_member_per_month(self):
        Campaign = self.env["alliance.coupon.campaign"]
        day = date(2026, 11, 10)
        Campaign._issue_campaigns(day)
        self.assertEqual((self._count(self.monthly, self.card_a), self._count(self.monthly, self.card_b)), (2, 2))
        # Run again the same month (a rerun, a stopped run resumed): nothing twice.
        Campaign._issue_campaigns(day + timedelta(days=5))
        Campaign._issue_campaigns(day)
        self.assertEqual(self._count(self.monthly), 4)
        # A gold member gets no silver coupons; the next month, the silver members get two more each.
        self.card_b.tier_id = self.tier_gold
        Campaign._issue_campaigns(date(2026, 12, 1))
        self.assertEqual((self._count(self.monthly, self.card_a), self._count(self.monthly, self.card_b)), (4, 2))
        coupon = self.Coupon.search([("template_id", "=", self.monthly.id)], limit=1)
        self.assertEqual(len(coupon.code), 16)

    def test_members_who_accept_sms_are_told_of_their_coupons_once(self):
        self.card_a.partner_id.alliance_consent_sms = True
        self.monthly.funder_id = self.merchant_b
        Campaign = self.env["alliance.coupon.campaign"]
        Campaign._issue_campaigns(date(2026, 11, 10))
        Campaign._issue_campaigns(date(2026, 11, 15))
        texts = (
            self.env["sms.sms"]
            .sudo()
            .search(
                [
                    ("alliance_template_id.key", "=", "coupon_received"),
                    ("partner_id", "in", (self.card_a | self.card_b).partner_id.ids),
                ]
            )
        )
        # One per coupon, to the member who accepts SMS only: the two monthly coupons on their funder's
        # quota, the birthday coupon (the 3rd, caught up on the 10th) the operator's.
        self.assertEqual(texts.partner_id, self.card_a.partner_id)
        self.assertEqual(len(texts), 3)
        monthly = texts.filtered(lambda t: "银卡月度券" in t.alliance_text)
        self.assertEqual((len(monthly), monthly.alliance_merchant_id), (2, self.merchant_b))
        self.assertFalse((texts - monthly).alliance_merchant_id)
        expire = self.Coupon.search([("template_id", "=", self.monthly.id), ("card_id", "=", self.card_a.id)])[
            0
        ].date_expire
        self.assertEqual(
            monthly[0].alliance_text, f"您获得银卡月度券一张，{expire}前有效，到联盟商家出示券码即可使用。"
        )
        self.assertEqual(monthly[0]._alliance_params(), {"coupon": "银卡月度券", "date": str(expire)})

    def test_birthday_once_a_year(self):
        Campaign = self.env["alliance.coupon.campaign"]
        Campaign._issue_campaigns(date(2026, 11, 2))
        self.assertEqual(self._count(self.birthday), 0, "the 3rd is not there yet")
        Campaign._issue_campaigns(date(2026, 11, 20))
        Campaign._issue_campaigns(date(2026, 11, 30))
        self.assertEqual((self._count(self.birthday, self.card_a), self._count(self.birthday, self.card_b)), (1, 0))
        Campaign._issue_campaigns(date(2027, 11, 3))
        self.assertEqual(self._count(self.birthday, self.card_a), 2)

    def test_welcome_at_enrolment_once(self):
        welcome = self.env["alliance.coupon.template"].create(
            {"name": "见面礼", "issue_mode": "welcome", "amount": 5.0}
        )
        member = self._enrol(self.user_a_cashier, "王五", "13907319077")
        card = self.env["alliance.card"].browse(member["card_id"])
        self.assertEqual(self._count(welcome, card), 1)
        # A lost card replaced: still one welcome for the member.
        self.env["alliance.coupon.campaign"]._issue_welcome(card)
        self.assertEqual(
            self.Coupon.search_count([("template_id", "=", welcome.id), ("partner_id", "=", card.partner_id.id)]), 1
        )
