"""积分兑换礼品: a member orders gifts with points; the counter hands them over; and what others can do with it."""

import math
import re
from datetime import time, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PIN, GiftCase


@tagged("post_install", "-at_install")
class TestGiftOrder(GiftCase):
    def test_order_reserve_and_hand_over(self):
        order = self._place([{"product_id": self.cup.id, "qty": 2}])
        self.assertEqual((order.points_total, order.copay_total, order.state), (6000, 19.8, "placed"))
        self.assertEqual(self.card_a.balance, 4000)
        entry = order.sudo().entry_id
        self.assertEqual((entry.entry_type, entry.points, entry.merchant_id.id), ("gift", -6000, False))
        self.assertEqual(entry.company_id, self.operator)
        # Reserved out of the operator's gift warehouse: 2 of the 5 no longer free.
        picking = order.sudo().picking_id
        self.assertEqual((picking.picking_type_id.warehouse_id, picking.state), (self.wh_operator, "assigned"))
        self.assertEqual(self._free(self.cup), 3)
        # The same order sent again (a double tap, a retry) is the same order: nothing spent twice.
        self.assertEqual(self._place([{"product_id": self.cup.id, "qty": 2}]), order)
        self.assertEqual(self.card_a.balance, 4000)
        # The pick-up counter types the member's code: the delivery is done, the stock leaves.
        code = order.sudo().code
        handed = self.Order.with_user(self.user_a_cashier).with_company(self.company_a).alliance_hand_over(code)
        self.assertEqual(
            (handed["state"], handed["points"], handed["gifts"]), ("done", 6000, [{"gift": "测试保温杯", "qty": 2}])
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(self.cup.product_variant_id.with_context(warehouse_id=self.wh_operator.id).qty_available, 3)
        with self.assertRaisesRegex(UserError, "handed over or cancelled already"):
            self.Order.with_user(self.user_a_cashier).with_company(self.company_a).alliance_hand_over(code)
        self.assertLedgerConsistent(self.card_a)

    def _texted_code(self, purpose):
        auth = self.env["alliance.card.auth"]._get_for(self.card_a)
        auth.sudo().write({"sms_sent_at": False})
        auth._send_sms_code(purpose=purpose)
        sms = (
            self.env["sms.sms"]
            .sudo()
            .search([("partner_id", "=", self.card_a.partner_id.id)], order="id desc", limit=1)
        )
        return re.search(r"\d{6}", sms.body).group(0)

    def test_an_sms_code_confirms_instead_of_the_pin(self):
        # A code texted to set the PIN orders no gift.
        with self.assertRaisesRegex(UserError, "another purpose"):
            self._place([{"product_id": self.cup.id, "qty": 1}], proof={"sms": self._texted_code("pin")})
        order = self._place([{"product_id": self.cup.id, "qty": 1}], proof={"sms": self._texted_code("gift")})
        self.assertEqual((order.points_total, self.card_a.balance), (3000, 7000))
        # The member's dynamic payment code, once: shown again, it orders nothing.
        proof = self._proof(self.card_a)
        self._place([{"product_id": self.cup.id, "qty": 1}], proof=proof, reference="order-2")
        self.assertEqual(self.card_a.balance, 4000)
        with self.assertRaisesRegex(UserError, "already used"):
            self._place([{"product_id": self.cream.id, "qty": 1}], proof=proof, reference="order-3")
        # The card's number alone is no proof.
        with self.assertRaisesRegex(UserError, "PIN or the code texted"):
            self._place(
                [{"product_id": self.cream.id, "qty": 1}], proof={"card": self.card_a.code}, reference="order-4"
            )
        self.assertEqual(self.card_a.balance, 4000)

    def test_the_monthly_limit_counts_the_alliances_month(self):
        """Midnight of the 1st in Shanghai is 16:00 UTC the day before: an order placed then is the new month's."""
        first = self._place([{"product_id": self.cup.id, "qty": 2}])
        month_start, _year_start = self.Order._get_period_starts()
        self.assertEqual(month_start.time(), time(16, 0))

        def placed_at(when):
            self.env.cr.execute("UPDATE alliance_gift_order SET create_date = %s WHERE id = %s", (when, first.id))
            first.invalidate_recordset(["create_date"])

        # Placed a second before the month began (the previous evening in Shanghai): last month's.
        placed_at(month_start - timedelta(seconds=1))
        self._place([{"product_id": self.cup.id, "qty": 1}], reference="order-2")
        # Placed at the month's first instant: this month's, with the one above, and the limit is reached.
        placed_at(month_start)
        with self.assertRaisesRegex(UserError, r"at most 2 a month per member \(3 ordered this month\)"):
            self._place([{"product_id": self.cup.id, "qty": 1}], reference="order-3")
        self.assertEqual(self.card_a.balance, 10000 - 3 * 3000)

    def test_cancel_gives_the_points_and_the_stock_back(self):
        order = self._place([{"product_id": self.cup.id, "qty": 1}])
        self.assertEqual((self.card_a.balance, self._free(self.cup)), (7000, 4))
        order.with_user(self.user_portal_member).action_alliance_cancel()
        self.assertEqual((order.state, self.card_a.balance, self._free(self.cup)), ("cancel", 10000, 5))
        self.assertEqual(order.sudo().picking_id.state, "cancel")
        with self.assertRaisesRegex(UserError, "handed over or cancelled already"):
            order.with_user(self.user_portal_member).action_alliance_cancel()
        with self.assertRaisesRegex(UserError, "handed over or cancelled already"):
            self.Order.with_user(self.user_a_cashier).with_company(self.company_a).alliance_hand_over(order.sudo().code)
        self.assertLedgerConsistent(self.card_a)

    def test_a_sponsored_gift_ships_from_the_sponsor_and_is_collected_there(self):
        order = self._place([{"product_id": self.cream.id, "qty": 1}], pickup=self.merchant_a)
        order = order.sudo()
        # Asked at A, collected at the sponsor B: its gifts are in its own warehouse.
        self.assertEqual(
            (order.pickup_merchant_id, order.company_id, order.entry_id.merchant_id),
            (self.merchant_b, self.company_b, self.merchant_b),
        )
        self.assertEqual(order.picking_id.picking_type_id.warehouse_id, self.wh_b)
        self.assertEqual(self._free(self.cream, self.wh_b), 2)
        with self.assertRaisesRegex(UserError, "No gift order with this code is collected here"):
            self.Order.with_user(self.user_a_cashier).with_company(self.company_a).alliance_hand_over(order.code)
        self.Order.with_user(self.user_b_cashier).with_company(self.company_b).alliance_hand_over(order.code)
        self.assertEqual(order.state, "done")

    def test_refusals_hold_nothing(self):
        """Each refusal names the problem; no order, no points spent, no stock reserved."""
        gift = {"product_id": self.cup.id, "qty": 1}
        plain = self.env["product.template"].create({"name": "普通商品", "is_storable": True, "type": "consu"})
        cases = [
            ("a wrong PIN", [gift], {"proof": {"pin": "000000"}}, "Wrong PIN"),
            ("no proof", [gift], {"proof": {}}, "PIN or the code texted"),
            ("more than in stock", [{"product_id": self.cream.id, "qty": 4}], {}, "only 3 left"),
            ("over the monthly limit", [{"product_id": self.cup.id, "qty": 3}], {}, "at most 2 a month"),
            ("another tier's gift", [{"product_id": self.tea_set.id, "qty": 1}], {}, "for Gold members"),
            ("not a gift", [{"product_id": plain.id, "qty": 1}], {}, "not in the gift catalogue"),
            ("an unknown gift", [{"product_id": 2**31 - 1, "qty": 1}], {}, "No such gift"),
            ("a text quantity", [{"product_id": self.cup.id, "qty": "1"}], {}, "whole number"),
            ("a zero quantity", [{"product_id": self.cup.id, "qty": 0}], {}, "whole number"),
            ("a huge quantity", [{"product_id": self.cup.id, "qty": 10**9}], {}, "whole number"),
            ("NaN", [{"product_id": self.cup.id, "qty": math.nan}], {}, "whole number"),
            ("a boolean id", [{"product_id": True, "qty": 1}], {}, "named by its id"),
            ("no gifts", [], {}, "one to 20 gifts"),
            ("not a list", "cup", {}, "one to 20 gifts"),
            ("two sponsors", [gift, {"product_id": self.cream.id, "qty": 1}], {}, "different sponsors"),
            ("no pick-up point", [gift], {"pickup": self.env["alliance.merchant"]}, "Choose the merchant"),
            ("no key", [gift], {"reference": ""}, "needs its key"),
        ]
        balance, orders = self.card_a.balance, self.Order.sudo().search_count([])
        for label, items, kw, message in cases:
            with self.subTest(label), self.assertRaisesRegex(UserError, message):
                pickup = kw.pop("pickup", None)
                if pickup is not None and not pickup:
                    self.Order.with_user(self.user_portal_member)._alliance_place(
                        self.card_a, items, False, {"pin": PIN}, "order-x"
                    )
                else:
                    self._place(items, **kw)
        self.assertEqual((self.card_a.balance, self.Order.sudo().search_count([])), (balance, orders))
        self.assertEqual((self._free(self.cup), self._free(self.tea_set), self._free(self.cream, self.wh_b)), (5, 5, 3))
        self.assertLedgerConsistent(self.card_a)

    def test_what_others_can_do_with_an_order(self):
        order = self._place([{"product_id": self.cream.id, "qty": 1}])
        # Another member cannot spend this member's points, nor see the order.
        other = self.env["res.users"].create(
            {
                "name": "李四",
                "login": "t_member_b",
                "partner_id": self.card_b.partner_id.id,
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        with self.assertRaisesRegex(AccessError, "their own card"):
            self._place([{"product_id": self.cup.id, "qty": 1}], user=other, reference="steal")
        self.assertFalse(self.Order.with_user(other).search([]))
        with self.assertRaises(AccessError):
            order.with_user(other).action_alliance_cancel()
        # A cashier of merchant A neither sees B's sponsored order nor cancels or readies one.
        self.assertFalse(self.Order.with_user(self.user_a_cashier).with_company(self.company_a).search([]))
        with self.assertRaises(AccessError):
            order.with_user(self.user_b_cashier).action_alliance_cancel()
        with self.assertRaises(AccessError):
            order.with_user(self.user_b_cashier).action_alliance_ready()
        # The counter does not read the member's pick-up code: it is typed by the member's side.
        with self.assertRaises(AccessError):
            order.with_user(self.user_b_cashier).with_company(self.company_b).read(["code"])
        # A made-up or malformed code hands nothing over.
        for code in ("000000000000", "abc", 123, None, "1" * 40):
            with self.subTest(code=code), self.assertRaises(UserError):
                self.Order.with_user(self.user_b_cashier).with_company(self.company_b).alliance_hand_over(code)
        self.assertEqual(order.sudo().state, "placed")
        self.assertEqual(self.card_a.balance, 8500)

    def test_not_enough_points(self):
        self.env["alliance.card.auth"]._get_for(self.card_b)._set_pin(PIN)
        other = self.env["res.users"].create(
            {
                "name": "李四",
                "login": "t_member_b",
                "partner_id": self.card_b.partner_id.id,
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        with self.assertRaisesRegex(UserError, "0 points to spend; this needs 3000"):
            self._place([{"product_id": self.cup.id, "qty": 1}], user=other, card=self.card_b)
        self.assertEqual((self.card_b.balance, self._free(self.cup)), (0, 5))

    def test_shipped_to_the_member_and_delivered(self):
        Order = self.Order.with_user(self.user_portal_member)
        order = Order._alliance_place(
            self.card_a,
            [{"product_id": self.cup.id, "qty": 1}],
            False,
            {"pin": PIN},
            "ship-1",
            address="长沙市岳麓区麓山路 1 号",
        )
        self.assertEqual(
            (order.state, order.pickup_merchant_id.id, order.delivery_address),
            ("placed", False, "长沙市岳麓区麓山路 1 号"),
        )
        self.assertEqual(self._free(self.cup), 4)
        # Not a pick-up: no "ready", and no counter finds it; a cashier neither sees it nor delivers it.
        with self.assertRaisesRegex(UserError, "not waiting for its gifts"):
            order.with_user(self.user_operator).action_alliance_ready()
        self.assertFalse(self.Order.with_user(self.user_a_cashier).search([("id", "=", order.id)]))
        with self.assertRaises(AccessError):
            order.with_user(self.user_a_cashier).action_alliance_deliver()
        order.with_user(self.user_operator).action_alliance_deliver()
        self.assertEqual((order.state, order.sudo().picking_id.state), ("delivered", "done"))
        self.assertEqual(self.cup.product_variant_id.with_context(warehouse_id=self.wh_operator.id).qty_available, 4)
        with self.assertRaisesRegex(UserError, "not waiting to be delivered"):
            order.with_user(self.user_operator).action_alliance_deliver()

    def test_ready_for_pick_up_is_texted_with_the_code_masked_afterwards(self):
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.sms_quiet_start", "0")
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.sms_quiet_end", "0")
        order = self._place([{"product_id": self.cup.id, "qty": 2}])
        SMS = self.env["sms.sms"].sudo()
        texts = [("partner_id", "=", self.card_a.partner_id.id), ("alliance_template_id.key", "=", "gift_ready")]
        # Without the member's consent to SMS: the chatter only.
        order.with_user(self.user_operator).action_alliance_ready()
        self.assertFalse(SMS.search(texts))
        order.sudo().state = "placed"
        self.card_a.partner_id.alliance_consent_sms = True
        order.with_user(self.user_operator).action_alliance_ready()
        [sms] = SMS.search(texts)
        code = order.sudo().code
        self.assertEqual(sms._alliance_params(), {"gift": "测试保温杯×2", "merchant": "Test Merchant A", "code": code})
        self.assertEqual(sms.alliance_text, "您兑换的测试保温杯×2已到Test Merchant A，请凭取货码******领取。")
        self.assertFalse(sms.alliance_merchant_id, "the operator's message, on no merchant's quota")

    def test_bad_addresses_hold_nothing(self):
        balance = self.card_a.balance
        Order = self.Order.with_user(self.user_portal_member)
        for address, error in (
            ("短", "6 to 200"),
            ("x" * 201, "6 to 200"),
            (12345, "6 to 200"),
            (["长沙市"], "6 to 200"),
        ):
            with self.assertRaisesRegex(UserError, error):
                Order._alliance_place(
                    self.card_a, [{"product_id": self.cup.id, "qty": 1}], False, {"pin": PIN}, "bad", address=address
                )
        # A sponsor's gift is collected at the sponsor, never shipped.
        with self.assertRaisesRegex(UserError, "not shipped"):
            Order._alliance_place(
                self.card_a,
                [{"product_id": self.cream.id, "qty": 1}],
                False,
                {"pin": PIN},
                "bad",
                address="长沙市岳麓区麓山路 1 号",
            )
        self.card_a.invalidate_recordset()
        self.assertEqual(
            (
                self.card_a.balance,
                self._free(self.cup),
                self.Order.search_count([("partner_id", "=", self.card_a.partner_id.id)]),
            ),
            (balance, 5, 0),
        )

    def test_uncollected_orders_are_cancelled(self):
        old = self._place([{"product_id": self.cup.id, "qty": 1}], reference="old")
        fresh = self._place([{"product_id": self.cup.id, "qty": 1}], reference="fresh")
        self.env.cr.execute(
            "UPDATE alliance_gift_order SET create_date = now() - interval '31 days' WHERE id = %s", [old.id]
        )
        old.invalidate_recordset()
        self.assertEqual(self.Order._cron_cancel_uncollected(), 1)
        self.card_a.invalidate_recordset()
        self.assertEqual(
            (old.state, fresh.state, self.card_a.balance, self._free(self.cup)), ("cancel", "placed", 7000, 4)
        )
        self.assertEqual(self.Order._cron_cancel_uncollected(), 0)
        self.assertLedgerConsistent(self.card_a)
