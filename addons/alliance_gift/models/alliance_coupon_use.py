from odoo import fields, models


class AllianceCouponUse(models.Model):
    """A coupon used at a merchant (or, negative, given back by a refund): what the settlement clears.

    The accepting merchant is reimbursed for coupons others fund; the funder is charged. Each side's
    statement locks the row on its own column, so neither settles it twice.
    """

    _name = "alliance.coupon.use"
    _description = "Alliance E-coupon Use"
    _order = "date desc, id desc"

    coupon_id = fields.Many2one("alliance.coupon", required=True, readonly=True, ondelete="restrict", index=True)
    template_id = fields.Many2one(related="coupon_id.template_id", store=True)
    merchant_id = fields.Many2one("alliance.merchant", string="Accepted At", required=True, readonly=True, index=True)
    company_id = fields.Many2one(related="merchant_id.company_id", store=True, index=True)
    funder_id = fields.Many2one(
        "alliance.merchant", string="Funded By", readonly=True, index=True, help="None: the operator funds it."
    )
    funder_company_id = fields.Many2one(
        related="funder_id.company_id", string="Funder's Company", store=True, index=True
    )
    currency_id = fields.Many2one(related="merchant_id.currency_id")
    pos_order_id = fields.Many2one("pos.order", readonly=True, index="btree_not_null")
    date = fields.Datetime(required=True, readonly=True, index=True)
    amount = fields.Monetary(string="Discount", readonly=True, help="Negative: given back by a refund.")
    reimburse_amount = fields.Monetary(
        string="Reimbursed", readonly=True, help="What the accepting merchant is paid for it (the template's rate)."
    )
    settlement_id = fields.Many2one(
        "alliance.settlement.statement", string="Accepting Merchant's Statement", readonly=True, index="btree_not_null"
    )
    funder_settlement_id = fields.Many2one(
        "alliance.settlement.statement", string="Funder's Statement", readonly=True, index="btree_not_null"
    )
