from odoo import fields, models


class AllianceSettlementLine(models.Model):
    _inherit = "alliance.settlement.line"

    kind = fields.Selection(
        selection_add=[
            ("coupon_in", "Coupons Accepted for Others"),
            ("coupon_out", "Own Coupons Accepted Elsewhere"),
            ("gift_credit", "Sponsored Gifts Handed Over"),
        ],
        ondelete={"coupon_in": "cascade", "coupon_out": "cascade", "gift_credit": "cascade"},
    )
