from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    alliance_is_gift = fields.Boolean(string="Alliance Gift", help="Offered in the alliance gift catalogue.")
    alliance_points_price = fields.Integer(string="Points Price", help="Points a member spends for one unit.")
    alliance_cash_copay = fields.Monetary(
        string="Cash Co-pay", currency_field="currency_id", help="Money paid on top of the points, if any."
    )
    alliance_gift_tier_ids = fields.Many2many(
        "alliance.tier", string="For Tiers", help="The tiers whose members may order it; none: every member."
    )
    alliance_gift_limit_month = fields.Integer(
        string="Per Member a Month", help="Units one member may order in a calendar month; 0: no limit."
    )
    alliance_gift_limit_year = fields.Integer(
        string="Per Member a Year", help="Units one member may order in a calendar year; 0: no limit."
    )
    alliance_gift_date_from = fields.Date(string="Offered From")
    alliance_gift_date_to = fields.Date(string="Offered Until")
    alliance_gift_sponsor_id = fields.Many2one(
        "alliance.merchant",
        string="Sponsor",
        ondelete="restrict",
        help="The merchant that stocks the gift in its own warehouse and hands it over; none: the operator's "
        "gift warehouse.",
    )
    alliance_gift_sponsor_price = fields.Monetary(
        string="Credited to the Sponsor",
        currency_field="currency_id",
        help="What the operator credits the sponsor for each unit handed over, at settlement.",
    )

    _alliance_points_price_positive = models.Constraint(
        "CHECK(alliance_points_price >= 0 AND alliance_cash_copay >= 0)",
        "A gift's points price and co-pay cannot be negative.",
    )
    _alliance_gift_priced = models.Constraint(
        "CHECK(NOT alliance_is_gift OR COALESCE(alliance_points_price, 0) > 0)",
        "A gift of the catalogue needs a points price.",
    )
    _alliance_gift_limits_positive = models.Constraint(
        "CHECK(COALESCE(alliance_gift_limit_month, 0) >= 0 AND COALESCE(alliance_gift_limit_year, 0) >= 0"
        " AND COALESCE(alliance_gift_sponsor_price, 0) >= 0)",
        "A gift's limits and the sponsor's credit cannot be negative.",
    )

    @api.constrains("alliance_gift_date_from", "alliance_gift_date_to")
    def _check_alliance_gift_dates(self):
        for product in self:
            if (
                product.alliance_gift_date_from
                and product.alliance_gift_date_to
                and product.alliance_gift_date_to < product.alliance_gift_date_from
            ):
                raise ValidationError(self.env._("Gift %s cannot be offered until before it is offered.", product.name))
