from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    alliance_is_gift = fields.Boolean(string="Alliance Gift", help="Offered in the alliance gift catalogue.")
    alliance_points_price = fields.Integer(string="Points Price", help="Points a member spends for one unit.")
    alliance_cash_copay = fields.Monetary(
        string="Cash Co-pay", currency_field="currency_id", help="Money paid on top of the points, if any."
    )

    _alliance_points_price_positive = models.Constraint(
        "CHECK(alliance_points_price >= 0 AND alliance_cash_copay >= 0)",
        "A gift's points price and co-pay cannot be negative.",
    )
    _alliance_gift_priced = models.Constraint(
        "CHECK(NOT alliance_is_gift OR COALESCE(alliance_points_price, 0) > 0)",
        "A gift of the catalogue needs a points price.",
    )
