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

    def _alliance_shows_points(self):
        return super()._alliance_shows_points() and self.kind not in ("coupon_in", "coupon_out", "gift_credit")

    def _alliance_count_label(self):
        if self.kind in ("coupon_in", "coupon_out"):
            return self.env._("%s coupons", self.points)
        if self.kind == "gift_credit":
            return self.env._("%s gift orders", self.points)
        return super()._alliance_count_label()
