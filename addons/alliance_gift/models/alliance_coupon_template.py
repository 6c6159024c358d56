"""电子券模板: what a coupon is worth, where it is accepted, who pays for it, and how members get it."""

from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class AllianceCouponTemplate(models.Model):
    _name = "alliance.coupon.template"
    _description = "Alliance E-coupon Template"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    funder_id = fields.Many2one(
        "alliance.merchant",
        string="Funded By",
        ondelete="restrict",
        index=True,
        help="The merchant that pays for the coupons accepted elsewhere; none: the operator (its marketing).",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        index=True,
        help="The funder's company: the operator's for operator-funded coupons.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    discount_type = fields.Selection(
        [("amount", "Face Value"), ("percent", "Percentage")], required=True, default="amount"
    )
    amount = fields.Monetary(string="Face Value", help="Taken off the bill (never more than the bill).")
    percent = fields.Integer(string="Percentage Off", help="10: 10% off the bill (九折).")
    max_discount = fields.Monetary(string="At Most", help="A percentage coupon takes at most this; 0: no cap.")
    min_spend = fields.Monetary(string="Minimum Spend", help="The bill it applies to must reach this.")
    merchant_ids = fields.Many2many(
        "alliance.merchant",
        "alliance_coupon_template_merchant_rel",
        string="Accepted At",
        help="The merchants that accept it; none: every active merchant of the alliance.",
    )
    reimburse_rate = fields.Integer(
        string="Reimbursed (%)",
        default=100,
        help="The accepting merchant is reimbursed this share of the discount it gave, charged to the funder.",
    )
    validity_days = fields.Integer(string="Valid (Days)", default=30, required=True)
    date_from = fields.Date(string="Issued From")
    date_to = fields.Date(string="Issued Until")
    quantity = fields.Integer(help="How many coupons may be issued in all; 0: no limit.")
    issued_count = fields.Integer(compute="_compute_issued_count")
    issue_mode = fields.Selection(
        [
            ("points", "Bought with Points"),
            ("tier_monthly", "Monthly, by Tier"),
            ("birthday", "Birthday"),
            ("welcome", "Welcome (at Enrolment)"),
        ],
        required=True,
        default="points",
    )
    points_price = fields.Integer(help="Bought with points: what one coupon costs.")
    tier_ids = fields.Many2many(
        "alliance.tier", string="Tiers", help="The tiers whose members get (or may buy) it; none: every tier."
    )
    monthly_count = fields.Integer(string="Each Month", default=1, help="Monthly: coupons per member per month.")
    description = fields.Text(translate=True, help="Shown to the member: what it is for, the conditions.")

    _amounts_valid = models.Constraint(
        "CHECK(COALESCE(amount, 0) >= 0 AND COALESCE(min_spend, 0) >= 0 AND COALESCE(max_discount, 0) >= 0"
        " AND COALESCE(percent, 0) BETWEEN 0 AND 99 AND reimburse_rate BETWEEN 0 AND 100"
        " AND validity_days > 0 AND COALESCE(quantity, 0) >= 0 AND COALESCE(points_price, 0) >= 0"
        " AND COALESCE(monthly_count, 0) BETWEEN 0 AND 31)",
        "A coupon's amounts, rates, validity and counts cannot be negative (a percentage is below 100).",
    )

    @api.depends("funder_id.company_id")
    def _compute_company_id(self):
        operator = self.env["alliance.merchant"]._get_operator_company()
        for template in self:
            template.company_id = template.funder_id.company_id or operator

    def _compute_issued_count(self):
        counts = dict(
            self.env["alliance.coupon"]
            .sudo()
            ._read_group([("template_id", "in", self.ids)], ["template_id"], ["__count"])
        )
        for template in self:
            template.issued_count = counts.get(template, 0)

    @api.constrains("discount_type", "amount", "percent", "issue_mode", "points_price", "date_from", "date_to")
    def _check_worth(self):
        for template in self:
            if template.discount_type == "amount" and not template.amount:
                raise ValidationError(self.env._("Coupon %s needs its face value.", template.name))
            if template.discount_type == "percent" and not template.percent:
                raise ValidationError(self.env._("Coupon %s needs its percentage off.", template.name))
            if template.issue_mode == "points" and not template.points_price:
                raise ValidationError(
                    self.env._("Coupon %s is bought with points: give its points price.", template.name)
                )
            if template.date_from and template.date_to and template.date_to < template.date_from:
                raise ValidationError(
                    self.env._("Coupon %s cannot be issued until before it is issued.", template.name)
                )

    def _is_issuable(self, today):
        self.ensure_one()
        return (
            self.active
            and (not self.date_from or self.date_from <= today)
            and (not self.date_to or self.date_to >= today)
        )

    def _remaining(self):
        """Coupons left to issue (None: no limit), counted in SQL under the template's row lock."""
        self.ensure_one()
        if not self.quantity:
            return None
        self.env.cr.execute(SQL("SELECT id FROM alliance_coupon_template WHERE id = %s FOR UPDATE", self.id))
        self.env.flush_all()
        issued = self.env.execute_query(SQL("SELECT COUNT(*) FROM alliance_coupon WHERE template_id = %s", self.id))
        return max(self.quantity - issued[0][0], 0)

    def _accepted_at(self, merchant):
        self.ensure_one()
        return not self.merchant_ids or merchant in self.merchant_ids

    def _discount_for(self, amount):
        """The discount on a bill of ``amount`` (a Decimal), in the funder's currency, rounded once."""
        self.ensure_one()
        currency = self.currency_id
        if self.discount_type == "amount":
            discount = min(Decimal(str(self.amount)), amount)
        else:
            discount = amount * self.percent / 100
            if self.max_discount:
                discount = min(discount, Decimal(str(self.max_discount)))
        return currency.round(float(discount))
