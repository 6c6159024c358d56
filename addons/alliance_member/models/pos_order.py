from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL, float_compare


class PosOrder(models.Model):
    _inherit = "pos.order"

    alliance_card_id = fields.Many2one("alliance.card", index="btree_not_null", readonly=True, ondelete="restrict")
    alliance_card_code = fields.Char(
        string="Card Number Typed Offline",
        readonly=True,
        copy=False,
        help="A card attached while the POS was offline: the server found the card by this number at sync.",
    )
    # Written by the server when the order is paid, from the lines it stored (折扣前销售总额).
    alliance_gross_amount = fields.Monetary(
        string="Total before Discounts", readonly=True, copy=False, help="What the lines cost before any discount."
    )
    alliance_discount_amount = fields.Monetary(
        string="Member Discount", readonly=True, copy=False, help="What the member's card took off the lines."
    )

    @api.model
    def _process_order(self, order, existing_order):
        """An order made offline names its card by number only: the card is found here, as a lookup would."""
        code = order.get("alliance_card_code")
        if code and not order.get("alliance_card_id"):
            order["alliance_card_id"] = self.env["alliance.card"]._alliance_card_id_of_number(code)
        return super()._process_order(order, existing_order)

    def _process_saved_order(self, draft):
        order_id = super()._process_saved_order(draft)
        if not draft and self.state in ("paid", "done"):
            self._alliance_process_visits()
            self._alliance_check_member_prices()
        return order_id

    def _alliance_check_member_prices(self):
        """Keep the member discount a counter marked on a line only where the card gives it.

        The counter applied the discount and the sale was made at that price:
        a line the card does not entitle keeps its price but not the label, so
        the books never call a cashier's own discount the alliance's. The
        totals before discount and of the member discount are the server's.
        """
        card = self.alliance_card_id or self.refunded_order_id.alliance_card_id
        lines = self.lines
        labelled = lines.filtered("alliance_discount")
        if not card and not labelled:
            return
        if labelled:
            merchant_id = self.env["alliance.merchant"]._merchant_id_of_company(self.company_id.id)
            # The order's card, as the points service reads it at the same sync: only its discount
            # (a percentage) is read, to judge the labels the counter sent.
            allowed = card.sudo()._alliance_discount_at_sync(merchant_id) if card and merchant_id else 0.0
            for line in labelled:
                refunded = line.refunded_orderline_id
                entitled = refunded.alliance_discount if refunded else allowed
                if (
                    line.product_id.alliance_no_discount
                    or float_compare(line.alliance_discount, entitled, precision_digits=2) > 0
                    or float_compare(line.alliance_discount, line.discount, precision_digits=2) != 0
                ):
                    line.alliance_discount = 0.0
        gross = member = Decimal(0)
        currency = self.currency_id
        for line in lines:
            after = Decimal(str(currency.round(line.price_subtotal_incl)))
            before = Decimal(str(currency.round(line._alliance_price_before_discount()))) if line.discount else after
            gross += before
            if line.alliance_discount:
                member += before - after
        # Figures on the order just saved: one UPDATE, not the order's write (its chatter, its checks). A
        # refund, sent without the card, is the member's too: the reports count it against the sale.
        self.env.execute_query(
            SQL(
                """UPDATE pos_order SET alliance_gross_amount = %s, alliance_discount_amount = %s,
                                        alliance_card_id = %s WHERE id = %s""",
                gross,
                member,
                card.id or None,
                self.id,
            )
        )
        # What the row now holds: the order is not read again for them.
        self.invalidate_recordset(["alliance_gross_amount", "alliance_discount_amount", "alliance_card_id"])
        for fname, value in (
            ("alliance_gross_amount", float(gross)),
            ("alliance_discount_amount", float(member)),
            ("alliance_card_id", card.id or None),
        ):
            field = self._fields[fname]
            field._insert_cache(self, [field.convert_to_cache(value, self, validate=False)])

    def _alliance_process_visits(self):
        """The count card's visit used at the counter belongs to the order; a refund gives it back."""
        # Visits are the server's (no user writes them); the order is the caller's own, just saved.
        Visit = self.env["alliance.card.visit"].sudo()
        # Cached per company: every order asks, most use no visit.
        merchant_id = self.env["alliance.merchant"]._merchant_id_of_company(self.company_id.id)
        if not merchant_id:
            return
        Visit.search([("merchant_id", "=", merchant_id), ("reference", "=", f"pos/{self.uuid}")]).pos_order_id = self
        original = self.refunded_order_id
        if original:
            used = Visit.search(
                [("merchant_id", "=", merchant_id), ("reference", "=", f"pos/{original.uuid}"), ("visits", "<", 0)]
            )
            for visit in used:
                visit.card_id._alliance_give_back_visit(visit, f"refund/{visit.id}", pos_order=self)


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    alliance_discount = fields.Float(
        string="Member Discount (%)",
        digits=(5, 2),
        copy=False,
        help="The part of the line's discount that is the member's, as the counter applied it and the server kept it.",
    )

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "alliance_discount"]

    def _alliance_price_before_discount(self):
        """The line's total with taxes as if it had no discount, as Odoo computes the line's own."""
        self.ensure_one()
        taxes = self.order_id.fiscal_position_id.map_tax(self.tax_ids)
        if not taxes:
            # Untaxed (most counters' lines): the unit price times the quantity, in decimal.
            return float(Decimal(repr(self.price_unit)) * Decimal(repr(self.qty)))
        return taxes.compute_all(
            self.price_unit,
            self.order_id.currency_id,
            self.qty,
            product=self.product_id,
            partner=self.order_id.partner_id,
        )["total_included"]


class PosSession(models.Model):
    _inherit = "pos.session"

    @api.model
    def _load_pos_data_models(self, config):
        return [*super()._load_pos_data_models(config), "alliance.card"]


class AllianceCardPos(models.Model):
    """Cards reach the POS one at a time, after a server lookup: none is preloaded."""

    _name = "alliance.card"
    _inherit = ["alliance.card", "pos.load.mixin"]

    # The merchants that served a card read it (record rules).
    pos_order_ids = fields.One2many("pos.order", "alliance_card_id", string="POS Orders")

    @api.model
    def _load_pos_data_domain(self, data, config):
        return False

    @api.model
    def _load_pos_data_fields(self, config):
        return ["code", "state", "balance", "write_date"]
