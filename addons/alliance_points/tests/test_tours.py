from odoo.tests import tagged

from .common import PointsHttpCase


@tagged("post_install", "-at_install")
class TestPointsTours(PointsHttpCase):
    def _run_counter_tour(self, tour):
        """A's counter with a ¥58 dish and a "Cash" method, opened by its cashier, who runs ``tour``."""
        dish = self._pos_product(self.company_a)
        dish.write({"name": "Alliance tour dish", "list_price": 58.0})
        config = self.merchant_a.pos_config_ids[:1]
        config.payment_method_ids.filtered("is_cash_count").with_context(lang="en_US").name = "Cash"
        config.with_user(self.user_a_cashier).with_company(self.company_a).open_ui()
        self.start_tour(f"/pos/ui/{config.id}", tour, login="t_a_cashier")
        return config

    def test_earn_on_a_paid_order_shows_on_the_receipt(self):
        config = self._run_counter_tour("alliance_points_earn_tour")
        order = self.env["pos.order"].search([("config_id", "=", config.id)], order="id desc", limit=1)
        self.assertEqual(order.alliance_card_id, self.card_a)
        self.assertEqual(order.alliance_points_earned, 58)
        self.assertEqual(self.card_a.balance, 58)
        self.assertEqual(order.alliance_entry_ids.entry_type, "earn")

    def test_an_order_made_offline_earns_at_sync(self):
        config = self._run_counter_tour("alliance_member_offline_tour")
        offline, online = self.env["pos.order"].search([("config_id", "=", config.id)], order="id")
        # The number typed offline found the card at sync, and the order earned then.
        self.assertEqual((offline.alliance_card_code, offline.alliance_card_id), (self.card_a.code, self.card_a))
        self.assertEqual((offline.state, offline.alliance_points_earned), ("paid", 58))
        self.assertFalse(online.alliance_card_id)
        self.assertEqual(self.card_a.balance, 58)
        self.assertLedgerConsistent(self.card_a)

    def test_a_prepaid_merchant_is_warned_when_its_quota_runs_low(self):
        self.merchant_a.billing_mode = "prepaid"
        self.merchant_a.action_buy_points(500, "pack-1")
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.quota_low_points", "1000")
        Cards = self._as(self.user_a_cashier)
        self.assertEqual(Cards.alliance_lookup(self.card_a.code)["quota"], {"left": 500, "low": True})
        self.assertFalse(self._as(self.user_b_cashier).alliance_lookup(self.card_a.code)["quota"])
        config = self.merchant_a.pos_config_ids[:1]
        config.with_user(self.user_a_cashier).with_company(self.company_a).open_ui()
        self.start_tour(f"/pos/ui/{config.id}", "alliance_points_quota_tour", login="t_a_cashier")

    def test_the_points_payment_method_is_named_in_chinese(self):
        config = self.merchant_a.pos_config_ids[:1]
        method = config.payment_method_ids.filtered(lambda m: m.use_payment_terminal == "alliance_points")
        self.assertEqual(method.with_context(lang="zh_CN").name, "联盟积分")
        self.assertEqual(method.with_context(lang="en_US").name, "Alliance Points")
        self.assertEqual(method.journal_id.with_context(lang="zh_CN").name, "联盟积分")

    def _pay_tour(self, tour, url_params=""):
        """A's counter with a ¥58 dish, and 1,000 points on 张三's card (earned at B, PIN 135790); the tour's order."""
        dish = self._pos_product(self.company_a)
        dish.write({"name": "Alliance tour dish", "list_price": 58.0})
        config = self.merchant_a.pos_config_ids[:1]
        methods = config.payment_method_ids.with_context(lang="en_US")
        methods.filtered("is_cash_count").name = "Cash"
        methods.filtered(lambda m: m.use_payment_terminal == "alliance_points").name = "Alliance Points"
        self._as(self.user_b_cashier).alliance_earn(self.card_a.code, 1000.0, f"seed-{tour}")
        self.assertEqual(self.card_a.balance, 1000)
        self.env["alliance.card.auth"]._get_for(self.card_a)._set_pin("135790")
        config.with_user(self.user_a_cashier).with_company(self.company_a).open_ui()
        self.start_tour(f"/pos/ui/{config.id}{url_params}", tour, login="t_a_cashier")
        return self.env["pos.order"].search([("config_id", "=", config.id), ("state", "!=", "draft")], limit=1)

    def test_pay_part_of_a_bill_with_points_and_refusal(self):
        # The code the member's phone shows; valid long enough for the tour to reach the payment screen.
        self.env["ir.config_parameter"].sudo().set_param("alliance_points.paycode_valid_seconds", "600")
        code = self._proof(self.card_a)["code"]
        order = self._pay_tour("alliance_points_pay_tour", f"?alliance_code={code}")
        self.assertEqual(order.amount_total, 58.0)
        hold = self.env["alliance.points.hold"].search([("pos_order_id", "=", order.id)])
        self.assertEqual((hold.state, hold.points, hold.value), ("committed", 1000, 10.0))
        self.assertEqual(order.alliance_points_paid, 1000)
        self.assertEqual(hold.entry_id.merchant_id, self.merchant_a)
        # Earned on the 48 paid in cash only.
        self.assertEqual(order.alliance_points_earned, 48)
        self.assertEqual(self.card_a.balance, 48)
        self.assertFalse(order.alliance_points_note)
        self.assertFalse(self.env["alliance.points.hold"].search([("state", "=", "held")]))
        self.assertLedgerConsistent(self.card_a)

    def test_pay_with_the_pin_after_a_wrong_one(self):
        order = self._pay_tour("alliance_points_pin_tour")
        hold = self.env["alliance.points.hold"].search([("pos_order_id", "=", order.id)])
        self.assertEqual((hold.state, hold.points), ("committed", 1000))
        self.assertEqual(self.env["alliance.points.hold"].search_count([("card_id", "=", self.card_a.id)]), 1)
        self.assertEqual(self.card_a.balance, 48)
        self.assertLedgerConsistent(self.card_a)

    def test_a_cashier_refunds_an_order_paid_partly_with_points(self):
        self._pay_tour("alliance_points_refund_tour")
        refund = self.env["pos.order.line"].search([("refunded_orderline_id", "!=", False)]).order_id
        order = refund.refunded_order_id
        self.assertEqual((order.amount_total, refund.amount_total), (58.0, -58.0))
        # Earned 48 on the cash part; the refund of the whole bill takes all 48 back.
        self.assertEqual(order.alliance_points_earned, 48)
        self.assertEqual(refund.alliance_points_earned, -48)
        self.assertFalse(order.alliance_points_note or refund.alliance_points_note)
        # The ¥10 paid with points went back as 1,000 points, the rest in cash:
        # 1,000 − 1,000 paid + 48 earned − 48 taken back + 1,000 given back.
        self.assertEqual(refund.alliance_points_returned, 1000)
        self.assertEqual((self.card_a.balance, self.card_a.debt_points), (1000, 0))
        self.assertLedgerConsistent(self.card_a)

    def test_no_pay_with_points_when_the_server_is_unreachable(self):
        order = self._pay_tour("alliance_points_offline_tour")
        # Nothing was held or redeemed: the whole bill was paid in cash and earned on.
        self.assertFalse(self.env["alliance.points.hold"].search([("card_id", "=", self.card_a.id)]))
        self.assertEqual(order.payment_ids.payment_method_id.mapped("use_payment_terminal"), [False])
        self.assertEqual(order.alliance_points_earned, 58)
        self.assertEqual(self.card_a.balance, 1058)
        self.assertLedgerConsistent(self.card_a)
