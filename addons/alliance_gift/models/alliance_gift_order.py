"""积分兑换礼品: a member's order of gifts, paid with points, stocked by the operator or a sponsoring merchant."""

import secrets
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

MAX_LINES = 20
MAX_QTY = 99
PICKUP_DAYS = 30


class AllianceGiftOrder(models.Model):
    _name = "alliance.gift.order"
    _description = "Alliance Gift Order"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(readonly=True, required=True, default="/", copy=False)
    code = fields.Char(
        string="Pick-up Code",
        readonly=True,
        copy=False,
        groups="alliance_member.group_alliance_operator,base.group_portal",
        help="The member shows it at the pick-up counter, which types or scans it to hand the gifts over.",
    )
    reference = fields.Char(readonly=True, copy=False, help="The member's key: the same order sent twice is one order.")
    partner_id = fields.Many2one("res.partner", string="Member", required=True, readonly=True, index=True)
    card_id = fields.Many2one("alliance.card", required=True, readonly=True, ondelete="restrict")
    sponsor_id = fields.Many2one("alliance.merchant", readonly=True, ondelete="restrict")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        help="The company whose warehouse ships the gifts: the operator, or the sponsoring merchant.",
    )
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    pickup_merchant_id = fields.Many2one("alliance.merchant", string="Pick-up At", readonly=True, ondelete="restrict")
    delivery_address = fields.Char(
        readonly=True,
        groups="alliance_member.group_alliance_operator,base.group_portal",
        help="Where the operator ships the gifts, when the member does not collect them at a merchant.",
    )
    pickup_company_id = fields.Many2one(
        related="pickup_merchant_id.company_id", string="Pick-up Company", store=True, index=True
    )
    line_ids = fields.One2many("alliance.gift.order.line", "order_id", string="Gifts", readonly=True)
    points_total = fields.Integer(string="Points", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    copay_total = fields.Monetary(string="Co-pay", readonly=True, help="Paid in money at the pick-up counter.")
    state = fields.Selection(
        [
            ("placed", "Placed"),
            ("ready", "Ready for Pick-up"),
            ("done", "Handed Over"),
            ("delivered", "Delivered"),
            ("cancel", "Cancelled"),
        ],
        default="placed",
        required=True,
        readonly=True,
        tracking=True,
    )
    entry_id = fields.Many2one("alliance.points.entry", string="Points Spent", readonly=True, index="btree_not_null")
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True)
    handed_over_at = fields.Datetime(readonly=True, index="btree_not_null")
    sponsor_credit = fields.Monetary(
        readonly=True, help="What the operator credits the sponsor at settlement, once the gifts are handed over."
    )
    settlement_id = fields.Many2one(
        "alliance.settlement.statement", string="Sponsor's Statement", readonly=True, index="btree_not_null"
    )
    handed_over_by_id = fields.Many2one("res.users", readonly=True)

    _code_uniq = models.UniqueIndex("(code) WHERE code IS NOT NULL", "A pick-up code is one order's.")
    _reference_uniq = models.UniqueIndex("(partner_id, reference)", "The same order cannot be placed twice.")

    # -- placing an order ----------------------------------------------------------------

    @api.model
    def _alliance_place(self, card, items, pickup_merchant_id, proof, reference, address=None):
        """The member orders gifts with their points, confirmed by their PIN or a texted code.

        ``items``: ``[{"product_id": <product.template id>, "qty": n}]``; collected at
        ``pickup_merchant_id``, or (the operator's gifts) shipped to ``address``. The
        points are spent and the gifts reserved in the warehouse that stocks
        them, or nothing is held. Returns the order (the same one for the same
        ``reference``).
        """
        card = card.sudo()
        # The server itself (demo data, a later import) places for the card's member; a user only for themselves.
        if card.partner_id != self.env.user.partner_id and not self.env.su:
            raise AccessError(self.env._("Members order gifts with their own card."))
        partner = card.partner_id
        reference = self._check_reference(reference)
        items = self._check_items(items)
        sponsor = self._check_catalogue(card, items)
        address = self._check_address(address, sponsor)
        pickup = self.env["alliance.merchant"] if address else self._check_pickup(pickup_merchant_id, sponsor)
        Service = self.env["alliance.points.service"]
        # The card's lock first: one member's orders queue here, so that limits and idempotency hold.
        Service._lock_card(card)
        done = self.sudo().search([("partner_id", "=", partner.id), ("reference", "=", reference)], limit=1)
        if done:
            return done
        self._check_limits(partner, items)
        warehouse = self._get_warehouse(sponsor)
        self._lock_stock(items, warehouse)
        points = sum(product.alliance_points_price * qty for product, qty in items)
        entry = Service._spend_gift(card, points, f"gift/{partner.id}/{reference}", proof, sponsor)
        # The member creates no record of the operator's: the order is the server's, from the values checked above.
        # No "created" note in the chatter: the order's changes after this one are logged.
        order = (
            self.sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
                    **self._prepare_order_vals(card, items, sponsor, pickup, warehouse, entry, reference),
                    "delivery_address": address or False,
                }
            )
        )
        order._reserve()
        return order.sudo(False)

    @api.model
    def _check_reference(self, reference):
        if not isinstance(reference, str) or not reference.strip() or len(reference) > 64:
            raise UserError(self.env._("An order needs its key (text of at most 64 characters)."))
        return reference.strip()

    @api.model
    def _check_items(self, items):
        """[(gift template, quantity)] from what the member sent, every id and number checked."""
        if not isinstance(items, list) or not items or len(items) > MAX_LINES:
            raise UserError(self.env._("An order has one to %s gifts.", MAX_LINES))
        wanted = {}
        for item in items:
            product_id = item.get("product_id") if isinstance(item, dict) else None
            qty = item.get("qty") if isinstance(item, dict) else None
            if isinstance(product_id, bool) or not isinstance(product_id, int) or not 0 < product_id < 2**31:
                raise UserError(self.env._("A gift is named by its id."))
            if isinstance(qty, bool) or not isinstance(qty, int) or not 0 < qty <= MAX_QTY:
                raise UserError(self.env._("A gift's quantity is a whole number from 1 to %s.", MAX_QTY))
            wanted[product_id] = wanted.get(product_id, 0) + qty
        # The catalogue is public to members; each gift is checked below before anything is held.
        products = self.env["product.template"].sudo().browse(list(wanted)).exists()
        if len(products) != len(wanted):
            raise UserError(self.env._("No such gift in the catalogue."))
        return [(product, wanted[product.id]) for product in products]

    @api.model
    def _check_catalogue(self, card, items):
        """Each gift offered today, to the card's tier; all of one sponsor (one warehouse). Returns it."""
        today = self.env["alliance.points.engine"]._today()
        sponsors = {product.alliance_gift_sponsor_id for product, _qty in items}
        for product, _qty in items:
            if not (product.alliance_is_gift and product.active and product.is_storable):
                raise UserError(self.env._("%s is not in the gift catalogue.", product.name))
            if (product.alliance_gift_date_from and product.alliance_gift_date_from > today) or (
                product.alliance_gift_date_to and product.alliance_gift_date_to < today
            ):
                raise UserError(self.env._("%s is not offered today.", product.name))
            if product.alliance_gift_tier_ids and card.tier_id not in product.alliance_gift_tier_ids:
                raise UserError(
                    self.env._(
                        "%(gift)s is for %(tiers)s members.",
                        gift=product.name,
                        tiers="、".join(product.alliance_gift_tier_ids.mapped("name")),
                    )
                )
        if len(sponsors) > 1:
            raise UserError(self.env._("Gifts of different sponsors are ordered separately."))
        return sponsors.pop()

    @api.model
    def _check_address(self, address, sponsor):
        """A delivery address: the operator ships its own gifts; a sponsor's are collected at the sponsor."""
        if address is None or address is False or address == "":
            return False
        if not isinstance(address, str) or not 6 <= len(address.strip()) <= 200:
            raise UserError(self.env._("A delivery address is 6 to 200 characters."))
        if sponsor:
            raise UserError(self.env._("%s hands its gifts over in store: they are not shipped.", sponsor.name))
        return address.strip()

    @api.model
    def _check_pickup(self, pickup_merchant_id, sponsor):
        """Where the member collects: a sponsor's gifts at the sponsor; the operator's at any active merchant."""
        if sponsor:
            return sponsor
        if isinstance(pickup_merchant_id, bool) or not isinstance(pickup_merchant_id, int):
            raise UserError(self.env._("Choose the merchant where you will collect the gifts."))
        # Any active merchant of the alliance is a pick-up point; members see their names only.
        pickup = self.env["alliance.merchant"].sudo().browse(pickup_merchant_id).exists()
        if not pickup or pickup.state != "active":
            raise UserError(self.env._("This merchant is not a pick-up point of the alliance."))
        return pickup

    @api.model
    def _get_period_starts(self):
        """The instants (naive UTC, as ``create_date``) this month and this year began in the alliance's time zone.

        Midnight of the 1st in Shanghai is 16:00 UTC the day before: an order placed then is this month's.
        """
        tz = pytz.timezone(self.env["alliance.points.engine"]._get_tz())
        today = self.env["alliance.points.engine"]._today()

        def utc(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        return utc(today.replace(day=1)), utc(today.replace(month=1, day=1))

    @api.model
    def _check_limits(self, partner, items):
        """Units per member a month and a year, counting the orders not cancelled."""
        month_start, year_start = self._get_period_starts()
        limited = [(p, q) for p, q in items if p.alliance_gift_limit_month or p.alliance_gift_limit_year]
        if not limited:
            return
        self.env["alliance.gift.order.line"].flush_model()
        self.flush_model(["state", "partner_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT pp.product_tmpl_id,
                          COALESCE(SUM(l.qty) FILTER (WHERE o.create_date >= %(month)s), 0),
                          COALESCE(SUM(l.qty), 0)
                     FROM alliance_gift_order_line l
                     JOIN alliance_gift_order o ON o.id = l.order_id
                     JOIN product_product pp ON pp.id = l.product_id
                    WHERE o.partner_id = %(partner)s AND o.state != 'cancel' AND o.create_date >= %(year)s
                      AND pp.product_tmpl_id IN %(products)s
                 GROUP BY pp.product_tmpl_id""",
                month=month_start,
                year=year_start,
                partner=partner.id,
                products=tuple(p.id for p, _q in limited),
            )
        )
        ordered = {row[0]: row[1:] for row in rows}
        for product, qty in limited:
            month, year = ordered.get(product.id, (0, 0))
            if product.alliance_gift_limit_month and month + qty > product.alliance_gift_limit_month:
                raise UserError(
                    self.env._(
                        "%(gift)s: at most %(limit)s a month per member (%(done)s ordered this month).",
                        gift=product.name,
                        limit=product.alliance_gift_limit_month,
                        done=month,
                    )
                )
            if product.alliance_gift_limit_year and year + qty > product.alliance_gift_limit_year:
                raise UserError(
                    self.env._(
                        "%(gift)s: at most %(limit)s a year per member (%(done)s ordered this year).",
                        gift=product.name,
                        limit=product.alliance_gift_limit_year,
                        done=year,
                    )
                )

    @api.model
    def _get_warehouse(self, sponsor):
        """Hook: the warehouse that ships the gifts: the sponsor's, or the operator's gift warehouse."""
        if not sponsor:
            return self._ensure_gift_warehouse()
        warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", sponsor.company_id.id)], limit=1)
        if not warehouse:
            raise UserError(self.env._("%s has no warehouse to ship gifts from.", sponsor.name))
        return warehouse

    @api.model
    def _ensure_gift_warehouse(self):
        """The operator's gift warehouse (联盟礼品仓), made the first time it is needed.

        The operator's company may predate stock, or be chosen in the settings later.
        """
        company = self.env["alliance.merchant"]._get_operator_company()
        # Warehouses are the operator's stock set-up, not a member's or a cashier's to create.
        Warehouse = self.env["stock.warehouse"].sudo()
        warehouse = Warehouse.search([("company_id", "=", company.id)], limit=1)
        if not warehouse:
            warehouse = Warehouse.with_company(company).create(
                {"name": self.env._("Alliance Gift Warehouse"), "code": "GIFT", "company_id": company.id}
            )
        return warehouse

    @api.model
    def _lock_stock(self, items, warehouse):
        """Orders of the same gifts queue here, and each sees what the one before it reserved.

        The gifts' rows are written, not only locked: under Odoo's repeatable
        read, a transaction that waited then fails to serialize and is replayed
        on fresh stock, instead of reserving units already gone.
        """
        # Checked before the lock too: once the last units are gone, an order that waited is refused
        # plainly, without writing the rows (and failing to serialize) first.
        self._check_stock(items, warehouse)
        variants = sorted(product.product_variant_id.id for product, _qty in items)
        self.env.cr.execute(
            SQL("SELECT id FROM product_product WHERE id IN %s ORDER BY id FOR UPDATE", tuple(variants)),
            log_exceptions=False,
        )
        self.env.cr.execute(
            SQL("UPDATE product_product SET write_date = write_date WHERE id IN %s", tuple(variants)),
            log_exceptions=False,
        )
        self._check_stock(items, warehouse)

    @api.model
    def _check_stock(self, items, warehouse):
        Quant = self.env["stock.quant"].sudo()
        for product, qty in items:
            # What a reservation can take: the quants of the warehouse's stock, less what is reserved.
            free = Quant._get_available_quantity(product.product_variant_id, warehouse.lot_stock_id)
            if free < qty:
                raise UserError(
                    self.env._("%(gift)s: only %(free)s left.", gift=product.name, free=int(max(free, 0)))
                    if free > 0
                    else self.env._("%s is out of stock.", product.name)
                )

    @api.model
    def _prepare_order_vals(self, card, items, sponsor, pickup, warehouse, entry, reference):
        """Hook: the order's values, from the gifts' prices now."""
        currency = warehouse.company_id.currency_id
        lines = []
        copay = Decimal(0)
        credit = Decimal(0)
        for product, qty in items:
            credit += Decimal(repr(product.alliance_gift_sponsor_price or 0)) * qty if sponsor else 0
            line_copay = Decimal(repr(product.alliance_cash_copay or 0)) * qty
            copay += line_copay
            lines.append(
                Command.create(
                    {
                        "product_id": product.product_variant_id.id,
                        "qty": qty,
                        "points": product.alliance_points_price,
                        "points_subtotal": product.alliance_points_price * qty,
                        "copay_subtotal": currency.round(float(line_copay)),
                    }
                )
            )
        return {
            "name": self.env["ir.sequence"].sudo().next_by_code("alliance.gift.order") or "/",
            "code": f"{secrets.randbelow(10**12):012d}",
            "reference": reference,
            "partner_id": card.partner_id.id,
            "card_id": card.id,
            "sponsor_id": sponsor.id if sponsor else False,
            "company_id": warehouse.company_id.id,
            "warehouse_id": warehouse.id,
            "pickup_merchant_id": pickup.id,
            "currency_id": currency.id,
            "copay_total": currency.round(float(copay)),
            "sponsor_credit": currency.round(float(credit)),
            "points_total": -entry.points,
            "entry_id": entry.id,
            "line_ids": lines,
        }

    def _reserve(self):
        """A delivery out of the warehouse, confirmed and reserved in full, or the whole order is refused."""
        self.ensure_one()
        picking_type = self.warehouse_id.out_type_id
        customers = self.env.ref("stock.stock_location_customers")
        source = picking_type.default_location_src_id
        picking = (
            self.env["stock.picking"]
            .sudo()
            .with_company(self.company_id)
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": self.partner_id.id,
                    "origin": self.name,
                    "location_id": source.id,
                    "location_dest_id": customers.id,
                    "company_id": self.company_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "product_uom_qty": line.qty,
                                "product_uom": line.product_id.uom_id.id,
                                "location_id": source.id,
                                "location_dest_id": customers.id,
                                "company_id": self.company_id.id,
                            }
                        )
                        for line in self.line_ids
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        if any(move.state != "assigned" for move in picking.move_ids):
            raise UserError(self.env._("These gifts are out of stock now: nothing was spent."))
        self.picking_id = picking

    # -- after the order ------------------------------------------------------------------

    def _check_may_cancel(self):
        user = self.env.user
        for order in self:
            own = order.partner_id == user.partner_id
            if not (own or self.env.su or user.has_group("alliance_member.group_alliance_operator")):
                raise AccessError(self.env._("Only the member or the operator cancels a gift order."))
            if order.state not in ("placed", "ready"):
                raise UserError(self.env._("Gift order %s was handed over or cancelled already.", order.name))

    def action_alliance_cancel(self):
        """Cancel: the points go back (a reversal through the points service) and the stock is released."""
        self._check_may_cancel()
        Service = self.env["alliance.points.service"]
        for order in self.sudo():
            Service._lock_card(order.card_id)
            order.invalidate_recordset(["state"])
            if order.state == "cancel":
                continue
            Service._reverse(
                order.entry_id,
                reason=self.env._("Gift order %s cancelled", order.name),
                reference=f"{order.name}/cancel",
            )
            order.picking_id.action_cancel()
            order.state = "cancel"
        return True

    @api.model
    def _cron_cancel_uncollected(self):
        """Orders not collected (or not shipped) within the operator's days: the points and the stock go back.

        Without it, an order nobody collects holds the member's points and the stock forever.
        """
        days = self.env["alliance.points.engine"]._param_int("gift_pickup_days", PICKUP_DAYS)
        if days <= 0:
            return 0
        stale = self.sudo().search(
            [("state", "in", ("placed", "ready")), ("create_date", "<", fields.Datetime.now() - timedelta(days=days))],
            limit=500,
        )
        for order in stale:
            order.action_alliance_cancel()
            order.message_post(
                body=self.env._("Not collected within %s days: cancelled, the points went back.", days),
                partner_ids=order.partner_id.ids,
            )
        return len(stale)

    def action_alliance_ready(self):
        """The gifts arrived at the pick-up counter (the operator ships its own there)."""
        if not (self.env.su or self.env.user.has_group("alliance_member.group_alliance_operator")):
            raise AccessError(self.env._("Only the operator says gifts are ready for pick-up."))
        for order in self.sudo():
            if order.state != "placed" or order.delivery_address:
                raise UserError(self.env._("Gift order %s is not waiting for its gifts.", order.name))
            order.state = "ready"
            order.message_post(
                body=self.env._("Ready for pick-up at %s.", order.pickup_merchant_id.name),
                partner_ids=order.partner_id.ids,
            )
            order._notify_ready()
        return True

    def _notify_ready(self):
        """Texted to the member (with consent), with the pick-up code: the operator's message, on no quota."""
        self.ensure_one()
        gifts = "、".join(f"{line.product_id.name}×{line.qty}" for line in self.line_ids)
        return self.env["alliance.sms.service"]._queue(
            "gift_ready",
            self.partner_id,
            {"gift": gifts, "merchant": self.pickup_merchant_id.name, "code": self.code},
            reason=f"gift-ready/{self.id}",
        )

    def action_alliance_deliver(self):
        """The operator shipped the gifts to the member's address and they arrived: the delivery is validated."""
        if not (self.env.su or self.env.user.has_group("alliance_member.group_alliance_operator")):
            raise AccessError(self.env._("Only the operator confirms a gift delivery."))
        for order in self.sudo():
            self.env.cr.execute(SQL("SELECT state FROM alliance_gift_order WHERE id = %s FOR UPDATE", order.id))
            order.invalidate_recordset(["state"])
            if order.state != "placed" or not order.delivery_address:
                raise UserError(self.env._("Gift order %s is not waiting to be delivered.", order.name))
            order._validate_picking()
            order.write(
                {"state": "delivered", "handed_over_at": fields.Datetime.now(), "handed_over_by_id": self.env.uid}
            )
            order.message_post(
                body=self.env._("Delivered to %s.", order.delivery_address), partner_ids=order.partner_id.ids
            )
        return True

    def _validate_picking(self):
        self.ensure_one()
        picking = self.picking_id.with_company(self.company_id)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking._action_done()

    @api.model
    def alliance_hand_over(self, code):
        """The pick-up counter hands the gifts over for the member's pick-up code; the delivery is validated."""
        self.env["alliance.card"]._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        if not isinstance(code, str) or not code.strip().isdigit() or len(code.strip()) > 12:
            raise UserError(self.env._("A pick-up code is the 12 digits on the member's gift order."))
        # Found by the member's code, and only among the orders collected at the caller's own merchant.
        order = self.sudo().search([("code", "=", code.strip()), ("pickup_merchant_id", "=", merchant.id)], limit=1)
        if not order:
            raise UserError(self.env._("No gift order with this code is collected here."))
        self.env.cr.execute(SQL("SELECT state FROM alliance_gift_order WHERE id = %s FOR UPDATE", order.id))
        order.invalidate_recordset(["state"])
        if order.state not in ("placed", "ready"):
            raise UserError(self.env._("Gift order %s was handed over or cancelled already.", order.name))
        order._validate_picking()
        order.write({"state": "done", "handed_over_at": fields.Datetime.now(), "handed_over_by_id": self.env.uid})
        copay_product = self.env.ref("alliance_gift.product_gift_copay", raise_if_not_found=False)
        return order._alliance_values() | {
            # The co-pay is sold at the counter like any line: the POS adds it to the order.
            "copay_product_id": copay_product.id if order.copay_total and copay_product else False,
        }

    def _alliance_values(self):
        """What the counter and the member see of an order."""
        self.ensure_one()
        return {
            "order": self.name,
            "state": self.state,
            "member": self.partner_id.name,
            "points": self.points_total,
            "copay": self.copay_total,
            "gifts": [{"gift": line.product_id.name, "qty": line.qty} for line in self.line_ids],
        }
