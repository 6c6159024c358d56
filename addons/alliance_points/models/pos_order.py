import logging
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class PosOrder(models.Model):
    _inherit = "pos.order"

    # Read from the ledger, not stored: writing them would cost a second write
    # of the order on every sync with a card.
    alliance_points_earned = fields.Integer(compute="_compute_alliance_points")
    alliance_balance_after = fields.Integer(compute="_compute_alliance_points")
    alliance_points_paid = fields.Integer(
        compute="_compute_alliance_points", help="Points the member paid this order with (its committed holds)."
    )
    alliance_points_expiring = fields.Char(
        compute="_compute_alliance_points", help="The card's next points to expire within 30 days, for the receipt."
    )
    alliance_points_returned = fields.Integer(
        compute="_compute_alliance_points", help="Points paid with on the refunded order, given back by this refund."
    )
    alliance_points_note = fields.Char(
        readonly=True, copy=False, help="Why no points moved for this order, when the points service refused."
    )
    # The operator's only: the POS reads every field of an order it reopens (ticket screen, refunds),
    # and neither a merchant's ordinary POS users nor its cashiers read the ledger's lots through it.
    # The counter shows what it needs through the computed fields above.
    alliance_entry_ids = fields.One2many(
        "alliance.points.entry",
        "pos_order_id",
        string="Points Entries",
        groups="alliance_member.group_alliance_accountant",
    )

    def _compute_alliance_points(self):
        # Every order synced with a card is read back for its receipt: one statement per batch of orders
        # reads the points paid (committed holds), earned and given back (the ledger), and the card's next
        # points to expire within 30 days. The holds and entries are the server's; an order's own are
        # shown to whoever sees the order.
        cards = {order: order._alliance_card() for order in self}
        rows = {}
        orders = [order for order in self if order._origin.id]
        if orders:
            for model, fnames in (
                ("alliance.points.hold", ["pos_order_id", "state", "points"]),
                (
                    "alliance.points.entry",
                    ["pos_order_id", "card_id", "entry_type", "reversed_type", "points", "balance_after"],
                ),
                ("alliance.points.lot", ["card_id", "remaining", "expiry_date"]),
            ):
                self.env[model].flush_model(fnames)
            # The alliance's day, as the lots' expiry dates are.
            until = self.env["alliance.points.engine"]._today() + relativedelta(days=30)
            for order_id, *values in self.env.execute_query(
                SQL(
                    """SELECT o.id,
                              (SELECT SUM(h.points) FROM alliance_points_hold h
                                WHERE h.pos_order_id = o.id AND h.state = 'committed'),
                              e.earned, e.returned, e.balance, x.expiry_date, x.points
                         FROM unnest(%(orders)s::int[], %(cards)s::int[], %(expiring)s::bool[])
                              AS o(id, card_id, expiring)
                    LEFT JOIN LATERAL (
                              -- Earned, or taken back by a refund; points paid with and given back are not earned.
                              SELECT SUM(points) FILTER (WHERE entry_type = 'earn' OR reversed_type = 'earn') AS earned,
                                     SUM(points) FILTER (WHERE reversed_type = 'redeem') AS returned,
                                     (ARRAY_AGG(balance_after ORDER BY id DESC))[1] AS balance
                                FROM alliance_points_entry
                               WHERE pos_order_id = o.id AND card_id = o.card_id
                              ) e ON TRUE
                    LEFT JOIN LATERAL (
                              SELECT expiry_date, SUM(remaining) AS points FROM alliance_points_lot
                               WHERE o.expiring AND card_id = o.card_id AND remaining > 0
                                 AND expiry_date IS NOT NULL AND expiry_date <= %(until)s
                            GROUP BY expiry_date ORDER BY expiry_date LIMIT 1
                              ) x ON TRUE""",
                    orders=[order._origin.id for order in orders],
                    cards=[cards[order].id or 0 for order in orders],
                    expiring=[bool(cards[order]) and order.amount_total >= 0 for order in orders],
                    until=until,
                )
            ):
                rows[order_id] = values
        for order in self:
            paid, earned, returned, balance, expiry_date, expiring = rows.get(order._origin.id) or [None] * 6
            order.alliance_points_paid = paid or 0
            order.alliance_points_earned = earned or 0
            order.alliance_points_returned = returned or 0
            order.alliance_balance_after = balance or 0
            order.alliance_points_expiring = expiring and self.env._(
                "%(points)s points expire on %(date)s", points=expiring, date=fields.Date.to_string(expiry_date)
            )

    def _process_saved_order(self, draft):
        order_id = super()._process_saved_order(draft)
        if not draft and self.state in ("paid", "done"):
            paid = self._alliance_paid_by_points()
            if paid < 0 and self.refunded_order_id:
                # Given back before the earned points are taken back: the member owes nothing twice.
                note = self._alliance_give_back_paid(-paid)
                self._alliance_process_points()
                if note:
                    self.alliance_points_note = note
            else:
                self._alliance_commit_holds(paid)
                self._alliance_process_points()
                self._alliance_check_points_share(paid)
        return order_id

    def _alliance_card(self):
        self.ensure_one()
        return (self.alliance_card_id or self.refunded_order_id.alliance_card_id).sudo()

    def _alliance_paid_by_points(self):
        """The part of the order paid with points, which earns nothing."""
        return sum(
            self.payment_ids.filtered(lambda p: p.payment_method_id.use_payment_terminal == "alliance_points").mapped(
                "amount"
            )
        )

    def _alliance_commit_holds(self, paid):
        """The points held for this order's payments (``paid`` of it) now pay for it."""
        if not paid:
            # Points held for a line the cashier removed go back with the release cron.
            return
        holds = self.env["alliance.points.hold"].sudo().search([("order_uuid", "=", self.uuid), ("state", "=", "held")])
        holds.write({"state": "committed", "pos_order_id": self.id})
        if self.currency_id.compare_amounts(paid, sum(holds.mapped("value"))) != 0:
            # A points payment the server did not hold (or held differently): flagged for the operator.
            self.alliance_points_note = self.env._(
                "Paid %(paid)s with points, but %(held)s was held on the server.",
                paid=paid,
                held=sum(holds.mapped("value")),
            )

    def _alliance_give_back_paid(self, amount):
        """A refund paid back in points (``amount`` of it): the refunded order's redemptions are undone.

        At the face value the points paid, never more than they paid for that order, once per refund
        however often it syncs. Returns why not all of it could be given back, if so.
        """
        Merchant = self.env["alliance.merchant"].sudo()
        merchant = Merchant.browse(Merchant._merchant_id_of_company(self.company_id.id))
        # The refunded order's holds, whoever refunds it (the ledger is not every POS user's to read).
        holds = (
            self.env["alliance.points.hold"]
            .sudo()
            .search([("pos_order_id", "=", self.refunded_order_id.id), ("state", "=", "committed")], order="id")
        )
        currency = self.currency_id
        engine = self.env["alliance.points.engine"]
        # Whole points, as the hold counted them: the face value of the amount, rounded down.
        per_unit = currency._alliance_points_per_unit()
        wanted = engine._to_cents(amount, currency) * per_unit // 10**currency.decimal_places
        left = wanted
        try:
            with self.env.cr.savepoint():
                for hold in holds:
                    if left <= 0:
                        break
                    back = self.env["alliance.points.service"]._reverse(
                        hold.entry_id,
                        points=left,
                        reason=self.env._("Refund %s", self.name),
                        reference=f"{self.uuid}/{hold.entry_id.id}",
                        date=self.date_order,
                        pos_order=self,
                        by_merchant=merchant,
                    )
                    left -= sum(back.mapped("points"))
        except UserError as error:
            self.env.invalidate_all()
            _logger.info("No points given back for POS refund %s: %s", self.name, error)
            return str(error)
        if left > 0:
            return self.env._(
                "Refunded %(amount)s in points, but the refunded order had only %(given)s points paid to give back.",
                amount=amount,
                given=wanted - left,
            )
        return False

    def _alliance_check_points_share(self, paid):
        """The counter sent the bill's total when it held the points; the saved order says what it was.

        Paid already, the order is not refused: past the operator's maximum share of a bill, it is noted
        on the order and the operator is alerted (a statement waits for the review).
        """
        engine = self.env["alliance.points.engine"]
        max_pct = engine._param_int("max_redeem_pct", 100)
        currency = self.currency_id
        if (
            not paid
            or self.amount_total <= 0
            or engine._to_cents(paid, currency) * 100 <= engine._to_cents(self.amount_total, currency) * max_pct
        ):
            return
        self.alliance_points_note = self.env._(
            "%(paid)s of %(total)s was paid with points: more than the %(pct)s%% allowed.",
            paid=paid,
            total=self.amount_total,
            pct=max_pct,
        )
        Merchant = self.env["alliance.merchant"].sudo()
        merchant = Merchant.browse(Merchant._merchant_id_of_company(self.company_id.id))
        self.env["alliance.risk.alert"]._raise(
            [
                {
                    "name": self.env._("Order %s paid with points beyond the allowed share", self.name),
                    "kind": "points_share",
                    "severity": "high",
                    "key": f"points_share/{self.id}",
                    "merchant_id": merchant.id or False,
                    "card_id": self._alliance_card().id,
                    "user_id": self.user_id.id,
                    "detail": self.alliance_points_note,
                }
            ]
        )

    def _alliance_earn_lines(self):
        return [
            # The engine reads a product's category only when a promotion on categories runs.
            {"product": line.product_id.id, "amount": line.price_subtotal_incl}
            for line in self.lines
            if line.price_subtotal_incl > 0
        ]

    def _alliance_process_points(self):
        """Earn (or, for a refund, take back) the order's points, once.

        A sale is never refused because of points: when the points service
        refuses (suspended merchant, frozen card, quota), the order is saved
        and the reason is kept on it.
        """
        self.ensure_one()
        card = self._alliance_card()
        if not card:
            return
        Merchant = self.env["alliance.merchant"].sudo()
        merchant = Merchant.browse(Merchant._merchant_id_of_company(self.company_id.id))
        if not merchant:
            return
        # A sync repeated (retry, offline queue) finds the entries its key posted: no second earn.
        try:
            with self.env.cr.savepoint():
                if self.amount_total < 0 and self.refunded_order_id:
                    self._alliance_take_back(merchant)
                else:
                    net = self.amount_total - self._alliance_paid_by_points()
                    self.env["alliance.points.service"]._earn(
                        card,
                        merchant,
                        net,
                        self.uuid,
                        lines=self._alliance_earn_lines(),
                        date=self.date_order,
                        pos_order=self,
                    )
        except UserError as error:
            self.env.invalidate_all()
            _logger.info("No alliance points for POS order %s: %s", self.name, error)
            self.alliance_points_note = str(error)
            return
        if self.alliance_points_note:
            self.alliance_points_note = False

    def _alliance_take_back(self, merchant):
        """A refund takes back its share of the points the original order earned."""
        # The refunded order's own earn, whoever refunds it (the ledger is not every POS user's to read).
        original = self.refunded_order_id.sudo().alliance_entry_ids.filtered(lambda e: e.entry_type == "earn")[:1]
        if not original or original.points <= 0 or not original.amount:
            return self.env["alliance.points.entry"]
        # In whole minor units (cents for CNY), as integers: a share of points is never a float.
        scale = Decimal(10) ** original.currency_id.decimal_places
        paid = int((Decimal(str(original.amount)) * scale).to_integral_value())
        refunded = int((Decimal(str(-self.amount_total)) * scale).to_integral_value())
        # Rounded up so that refunding everything, in one go or in parts, takes back everything.
        points = min(original.points, -(-original.points * refunded // paid))
        return self.env["alliance.points.service"]._reverse(
            original,
            points=points,
            reason=self.env._("Refund %s", self.name),
            reference=self.uuid,
            date=self.date_order,
            pos_order=self,
            by_merchant=merchant,
        )


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    def _get_payment_terminal_selection(self):
        return [*super()._get_payment_terminal_selection(), ("alliance_points", "Alliance Points")]
