from odoo import fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    alliance_coupon_note = fields.Char(
        readonly=True, copy=False, help="Why the coupon lines and the coupons held on the server disagree."
    )

    def _process_saved_order(self, draft):
        order_id = super()._process_saved_order(draft)
        if not draft and self.state in ("paid", "done"):
            if self.refunded_order_id and self.amount_total < 0:
                self._alliance_restore_coupons()
            else:
                self._alliance_use_coupons()
        return order_id

    def _alliance_coupon_lines_total(self):
        product = self.env.ref("alliance_gift.product_coupon_discount", raise_if_not_found=False)
        return sum(self.lines.filtered(lambda line: line.product_id == product).mapped("price_subtotal_incl"))

    def _alliance_use_coupons(self):
        """The coupons held for this order are used by it: once, however often the order syncs.

        An order without a coupon line uses none (a coupon held for it goes back with the cron): most
        orders pay no query here.
        """
        on_lines = -self._alliance_coupon_lines_total()
        if not on_lines:
            return
        # Coupons are the members' and the operator's; the order's own, held by the caller's merchant.
        Coupon = self.env["alliance.coupon"].sudo()
        merchant_id = self.env["alliance.merchant"]._merchant_id_of_company(self.company_id.id)
        held = Coupon.search(
            [("order_uuid", "=", self.uuid), ("state", "=", "held"), ("merchant_id", "=", merchant_id)]
        )
        for coupon in held:
            Coupon._lock_by_code(coupon.code)
        held = held.filtered(lambda c: c.state == "held")
        held._use_on(self)
        used = Coupon.search([("pos_order_id", "=", self.id), ("state", "=", "used")])
        if self.currency_id.compare_amounts(on_lines, sum(used.mapped("discount"))) != 0:
            # A coupon line the server did not hold (offline, or edited): flagged, never paid out.
            self.alliance_coupon_note = self.env._(
                "Coupon lines take %(lines)s off, but the server holds coupons for %(held)s.",
                lines=on_lines,
                held=sum(used.mapped("discount")),
            )

    def _alliance_restore_coupons(self):
        """A refund that gives back the coupon line gives the coupon back to the member."""
        if not self._alliance_coupon_lines_total():
            return
        Coupon = self.env["alliance.coupon"].sudo()
        used = Coupon.search([("pos_order_id", "=", self.refunded_order_id.id), ("state", "=", "used")])
        for coupon in used:
            Coupon._lock_by_code(coupon.code)
        used.filtered(lambda c: c.state == "used" and c.pos_order_id == self.refunded_order_id)._restore_from(self)
