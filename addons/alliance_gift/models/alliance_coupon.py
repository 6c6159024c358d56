"""电子券: one coupon of a member, its code shown as a QR, used once at a merchant that accepts it."""

import re
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

CODE_RE = re.compile(r"^[0-9A-F]{16}$")
HOLD_MINUTES = 30


class AllianceCoupon(models.Model):
    _name = "alliance.coupon"
    _description = "Alliance E-coupon"
    _order = "id desc"

    template_id = fields.Many2one(
        "alliance.coupon.template", required=True, readonly=True, ondelete="restrict", index=True
    )
    name = fields.Char(related="template_id.name")
    code = fields.Char(
        readonly=True,
        required=True,
        copy=False,
        groups="alliance_member.group_alliance_operator,base.group_portal",
        help="The member shows it (as a QR); whoever holds it can use the coupon, so it is never listed to merchants.",
    )
    card_id = fields.Many2one("alliance.card", required=True, readonly=True, ondelete="restrict", index=True)
    partner_id = fields.Many2one("res.partner", string="Member", required=True, readonly=True, index=True)
    funder_id = fields.Many2one(related="template_id.funder_id", store=True, index=True)
    company_id = fields.Many2one(related="template_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="template_id.currency_id")
    state = fields.Selection(
        [
            ("available", "Available"),
            ("held", "On an Order"),
            ("used", "Used"),
            ("expired", "Expired"),
            ("cancel", "Cancelled"),
        ],
        default="available",
        required=True,
        readonly=True,
        index=True,
    )
    date_issued = fields.Date(readonly=True, required=True, default=lambda self: self._today())
    date_expire = fields.Date(string="Valid Until", readonly=True, required=True, index=True)
    issue_key = fields.Char(
        readonly=True,
        required=True,
        help="Why it was issued (a month's tier coupon, a year's birthday, a purchase): issued once per key.",
    )
    # Indexed: deleting ledger entries (an operator's cleanup, a test database's reset) checks this key per row.
    entry_id = fields.Many2one("alliance.points.entry", string="Bought With", readonly=True, index="btree_not_null")
    merchant_id = fields.Many2one("alliance.merchant", string="Used At", readonly=True, index=True)
    order_uuid = fields.Char(readonly=True, copy=False, index=True, help="The POS order it is on (held or used).")
    held_until = fields.Datetime(readonly=True)
    pos_order_id = fields.Many2one("pos.order", string="Used On", readonly=True, index="btree_not_null")
    discount = fields.Monetary(readonly=True, help="What it took off the bill.")
    date_used = fields.Datetime(readonly=True)
    use_ids = fields.One2many("alliance.coupon.use", "coupon_id", readonly=True)

    _code_uniq = models.UniqueIndex("(code)", "A coupon code is one coupon's.")
    _issue_uniq = models.UniqueIndex("(template_id, partner_id, issue_key)", "A coupon is issued once per reason.")

    @api.model
    def _today(self):
        """The alliance's day (the operator's time zone), whoever asks: a coupon expires on one date for all."""
        return self.env["alliance.points.engine"]._today()

    # -- issuing ------------------------------------------------------------------------

    @api.model
    def _new_code(self):
        """64 random bits in 16 hex digits: the coupon's only secret."""
        return secrets.token_hex(8).upper()

    @api.model
    def _issue(self, template, card, issue_key, entry=None):
        """One coupon of ``template`` for ``card``, once per ``issue_key`` (the same one again)."""
        today = self._today()
        existing = self.sudo().search(
            [("template_id", "=", template.id), ("partner_id", "=", card.partner_id.id), ("issue_key", "=", issue_key)],
            limit=1,
        )
        if existing:
            return existing
        remaining = template._remaining()
        if remaining is not None and remaining <= 0:
            raise UserError(self.env._("Coupon %s is all given out.", template.name))
        # The coupon is the server's, from the template checked by the caller.
        return self.sudo().create(
            {
                "template_id": template.id,
                "code": self._new_code(),
                "card_id": card.id,
                "partner_id": card.partner_id.id,
                "date_issued": today,
                "date_expire": self._expiry_of(template, today),
                "issue_key": issue_key,
                "entry_id": entry.id if entry else False,
            }
        )

    @api.model
    def _expiry_of(self, template, today):
        return today + timedelta(days=template.validity_days - 1)

    @api.model
    def _alliance_buy(self, card, template_id, proof, reference):
        """The member buys a coupon with points, confirmed by their PIN or a texted code; once per ``reference``."""
        card = card.sudo()
        if card.partner_id != self.env.user.partner_id and not self.env.su:
            raise AccessError(self.env._("Members buy coupons with their own card."))
        if not isinstance(reference, str) or not reference.strip() or len(reference) > 64:
            raise UserError(self.env._("A purchase needs its key (text of at most 64 characters)."))
        if isinstance(template_id, bool) or not isinstance(template_id, int) or not 0 < template_id < 2**31:
            raise UserError(self.env._("A coupon is named by its id."))
        # The coupons on offer are public to members; this one is checked before anything moves.
        template = self.env["alliance.coupon.template"].sudo().browse(template_id).exists()
        today = self._today()
        if not template or template.issue_mode != "points" or not template._is_issuable(today):
            raise UserError(self.env._("This coupon is not offered for points."))
        if template.tier_ids and card.tier_id not in template.tier_ids:
            raise UserError(
                self.env._(
                    "%(coupon)s is for %(tiers)s members.",
                    coupon=template.name,
                    tiers="、".join(template.tier_ids.mapped("name")),
                )
            )
        key = f"buy/{reference.strip()}"
        Service = self.env["alliance.points.service"]
        Service._lock_card(card)
        existing = self.sudo().search([("card_id", "=", card.id), ("issue_key", "=", key)], limit=1)
        if existing:
            return existing
        entry = Service._spend_gift(
            card, template.points_price, f"coupon/{card.id}/{reference.strip()}", proof, template.funder_id, "coupon"
        )
        return self._issue(template, card, key, entry=entry).sudo(False)

    # -- at the counter -------------------------------------------------------------------

    @api.model
    def _check_counter_args(self, code, order_uuid):
        self.env["alliance.card"]._check_counter_access()
        code = code.strip().upper() if isinstance(code, str) else ""
        if not CODE_RE.match(code):
            raise UserError(self.env._("A coupon code is the 16 letters and digits under its QR."))
        if not isinstance(order_uuid, str) or not order_uuid.strip() or len(order_uuid) > 64:
            raise UserError(self.env._("The coupon needs the order it is used on."))
        return code, order_uuid.strip()

    @api.model
    def _lock_by_code(self, code):
        """The coupon of ``code`` under its row lock, or an empty recordset.

        Written, not only locked: under Odoo's repeatable read, a second counter that waited on the lock
        fails to serialize and retries on fresh data, so a coupon is never used twice.
        """
        rows = self.env.execute_query(
            SQL("UPDATE alliance_coupon SET write_date = write_date WHERE code = %s RETURNING id", code)
        )
        coupon = self.sudo().browse(rows[0][0]) if rows else self.sudo()
        coupon.invalidate_recordset()
        return coupon

    @api.model
    def alliance_coupon_apply(self, code, order_uuid, amount):
        """The counter scans a member's coupon for the open order of ``amount``; the server says what it takes off.

        The coupon is held for the order (the same answer for the same order), and used when the
        order reaches the server; a held coupon the order never uses goes back after a while.
        """
        code, order_uuid = self._check_counter_args(code, order_uuid)
        try:
            amount = (
                Decimal(str(amount)) if not isinstance(amount, bool) and isinstance(amount, (int, float, str)) else None
            )
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount <= 0 or amount > 10**9:
            raise UserError(self.env._("The order's amount must be a positive number."))
        merchant = self.env["alliance.merchant"]._get_current()
        coupon = self._lock_by_code(code)
        if not coupon:
            raise UserError(self.env._("No such coupon."))
        if coupon.state == "held" and coupon.order_uuid == order_uuid and coupon.merchant_id == merchant:
            return coupon._counter_values()
        coupon._check_usable(merchant, amount)
        discount = coupon.template_id._discount_for(amount)
        coupon.write(
            {
                "state": "held",
                "merchant_id": merchant.id,
                "order_uuid": order_uuid,
                "discount": discount,
                "held_until": fields.Datetime.now() + timedelta(minutes=HOLD_MINUTES),
            }
        )
        return coupon._counter_values()

    def _check_usable(self, merchant, amount):
        self.ensure_one()
        today = self._today()
        if self.state == "used":
            raise UserError(self.env._("This coupon was used already."))
        if self.state == "held":
            raise UserError(self.env._("This coupon is on another order."))
        if self.state != "available" or self.date_expire < today:
            raise UserError(self.env._("This coupon expired on %s.", self.date_expire))
        if self.card_id.state != "active":
            raise UserError(self.env._("The member's card is not active."))
        if not self.template_id._accepted_at(merchant):
            raise UserError(self.env._("%s is not accepted here.", self.template_id.name))
        if amount < Decimal(str(self.template_id.min_spend)):
            raise UserError(
                self.env._(
                    "%(coupon)s needs a bill of at least %(min)s.",
                    coupon=self.template_id.name,
                    min=self.template_id.min_spend,
                )
            )

    def _counter_values(self):
        self.ensure_one()
        product = self.env.ref("alliance_gift.product_coupon_discount")
        return {
            "code": self.code,
            "name": self.template_id.name,
            "discount": self.discount,
            "product_id": product.id,
        }

    @api.model
    def alliance_coupon_release(self, code, order_uuid):
        """The cashier took the coupon off the order: it is the member's again."""
        code, order_uuid = self._check_counter_args(code, order_uuid)
        merchant = self.env["alliance.merchant"]._get_current()
        coupon = self._lock_by_code(code)
        if coupon and coupon.state == "held" and coupon.order_uuid == order_uuid and coupon.merchant_id == merchant:
            coupon._back_to_member()
        return True

    def _back_to_member(self):
        today = self._today()
        for coupon in self:
            coupon.write(
                {
                    "state": "available" if coupon.date_expire >= today else "expired",
                    "merchant_id": False,
                    "order_uuid": False,
                    "held_until": False,
                    "discount": 0.0,
                    "pos_order_id": False,
                    "date_used": False,
                }
            )

    def _use_on(self, pos_order):
        """The held coupons now pay for the saved order: used, and the use recorded for the settlement."""
        Use = self.env["alliance.coupon.use"].sudo()
        for coupon in self:
            coupon.write(
                {"state": "used", "pos_order_id": pos_order.id, "date_used": fields.Datetime.now(), "held_until": False}
            )
            Use.create(coupon._prepare_use_vals(coupon.discount, pos_order))

    def _restore_from(self, refund):
        """A refund of the order that used them: the coupons are the member's again, the use reversed."""
        Use = self.env["alliance.coupon.use"].sudo()
        for coupon in self:
            Use.create(coupon._prepare_use_vals(-coupon.discount, refund))
        self._back_to_member()

    def _prepare_use_vals(self, discount, pos_order):
        """Hook: the settlement's row of a use (or, negative, of its reversal)."""
        self.ensure_one()
        template = self.template_id
        currency = template.currency_id
        return {
            "coupon_id": self.id,
            "merchant_id": self.merchant_id.id,
            "funder_id": template.funder_id.id or False,
            "pos_order_id": pos_order.id,
            "date": fields.Datetime.now(),
            "amount": discount,
            "reimburse_amount": currency.round(float(Decimal(str(discount)) * template.reimburse_rate / 100)),
        }

    @api.model
    def _cron_release_stale(self):
        """Coupons held for orders that never reached the server go back to their members."""
        self.sudo().search([("state", "=", "held"), ("held_until", "<", fields.Datetime.now())])._back_to_member()

    @api.model
    def _cron_expire(self):
        """Unused coupons past their date: one UPDATE, however many."""
        self.env.cr.execute(
            SQL(
                "UPDATE alliance_coupon SET state = 'expired', write_date = now() AT TIME ZONE 'UTC'"
                " WHERE state = 'available' AND date_expire < %s",
                self._today(),
            )
        )
        self.invalidate_model(["state"])
