from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

HOLD_MINUTES = 30


class AlliancePointsHold(models.Model):
    """Points a counter set aside to pay part of a POS order (积分抵现).

    The hold is a redemption from the start: the points leave the card when
    the cashier sends the payment, so no other counter can spend them. When
    the order syncs the hold is committed to it; if the order is cancelled, or
    never syncs within the timeout, the redemption is reversed.
    """

    _name = "alliance.points.hold"
    _description = "Alliance Points Hold (POS payment)"
    _order = "id desc"

    card_id = fields.Many2one("alliance.card", required=True, readonly=True, index=True, ondelete="restrict")
    merchant_id = fields.Many2one("alliance.merchant", required=True, readonly=True, ondelete="restrict")
    company_id = fields.Many2one(related="merchant_id.company_id", store=True, index=True)
    points = fields.Integer(readonly=True)
    value = fields.Monetary(readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="merchant_id.currency_id")
    state = fields.Selection(
        [("held", "Held"), ("committed", "Paid"), ("released", "Released")], default="held", readonly=True, index=True
    )
    payment_uuid = fields.Char(required=True, readonly=True)
    order_uuid = fields.Char(required=True, readonly=True, index=True)
    pos_order_id = fields.Many2one("pos.order", readonly=True, index="btree_not_null")
    entry_id = fields.Many2one("alliance.points.entry", string="Redemption", readonly=True, index="btree_not_null")
    expires_at = fields.Datetime(readonly=True)

    _payment_uuid_uniq = models.UniqueIndex("(company_id, payment_uuid)", "This payment already holds points.")

    @api.model
    def _place(self, card, merchant, amount, order_uuid, payment_uuid, order_total, proof=None, found_by="card"):
        """Hold the points paying ``amount`` of an order, with the member's proof; idempotent per payment line."""
        for uuid in (order_uuid, payment_uuid):
            if not isinstance(uuid, str) or not uuid or len(uuid) > 64:
                raise UserError(self.env._("The order and its payment line are named by their uuids (text)."))
        existing = self.sudo().search(
            [("company_id", "=", merchant.company_id.id), ("payment_uuid", "=", payment_uuid)], limit=1
        )
        if existing:
            return existing
        currency = merchant.currency_id
        trust = self.env["alliance.points.trust"]
        trust._check_amount(amount)
        trust._check_amount(order_total or 0.0)
        if currency.compare_amounts(amount, 0) <= 0:
            raise UserError(self.env._("Enter the amount to pay with points."))
        if not order_total or currency.compare_amounts(order_total, 0) <= 0:
            # Checked again on the saved order when it syncs: the counter's total is only a first guard.
            raise UserError(self.env._("The bill's total is needed to check the share paid with points."))
        engine = self.env["alliance.points.engine"]
        max_pct = engine._param_int("max_redeem_pct", 100)
        # In minor units: the share of the bill is compared as integers.
        if engine._to_cents(amount, currency) * 100 > engine._to_cents(order_total, currency) * max_pct:
            raise UserError(self.env._("At most %(pct)s%% of a bill can be paid with points.", pct=max_pct))
        per_unit = currency._alliance_points_per_unit()
        # Whole points only: the amount paid is the face value of the points, rounded down.
        points = engine._to_cents(amount, currency) * per_unit // 10**currency.decimal_places
        if points <= 0:
            raise UserError(self.env._("This amount is worth less than one point."))
        entry = self.env["alliance.points.service"]._redeem(
            card, merchant, points, f"pos-hold/{payment_uuid}", proof=proof, found_by=found_by
        )
        return self.sudo().create(
            {
                "card_id": card.id,
                "merchant_id": merchant.id,
                "points": points,
                "value": entry.amount,
                "payment_uuid": payment_uuid,
                "order_uuid": order_uuid,
                "entry_id": entry.id,
                "expires_at": fields.Datetime.now()
                + timedelta(minutes=engine._param_int("hold_minutes", HOLD_MINUTES)),
            }
        )

    def _release(self, reason):
        for hold in self.filtered(lambda h: h.state == "held"):
            self.env["alliance.points.service"]._reverse(hold.entry_id, reason=reason)
            hold.state = "released"

    @api.model
    def _cron_release_stale(self):
        """Holds whose order never reached the server give their points back."""
        stale = self.sudo().search([("state", "=", "held"), ("expires_at", "<", fields.Datetime.now())])
        stale._release(self.env._("POS order never completed"))
