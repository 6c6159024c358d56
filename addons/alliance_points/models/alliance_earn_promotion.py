from odoo import fields, models

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class AllianceEarnPromotion(models.Model):
    """A time-limited promotion: more points, or bonus points, when it applies."""

    _name = "alliance.earn.promotion"
    _inherit = ["alliance.cached.rule"]
    _description = "Alliance Points Promotion"
    _order = "date_from desc, id desc"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    weekdays = fields.Char(help="Days of the week it applies, as digits (0 = Monday … 6 = Sunday); empty: every day.")
    hour_from = fields.Integer(help="First hour of the day it applies (0-23).")
    hour_to = fields.Integer(default=24, help="Hour of the day it stops applying (1-24).")
    merchant_ids = fields.Many2many("alliance.merchant", string="Merchants", help="Empty: every merchant.")
    category_ids = fields.Many2many(
        "product.category", string="Product Categories", help="Empty: the whole order; otherwise only these lines."
    )
    multiplier_pct = fields.Integer(string="Multiplier (%)", default=100)
    bonus_points = fields.Integer(help="Points added once per order when the promotion applies.")

    _dates = models.Constraint("CHECK(date_from <= date_to)", "A promotion cannot end before it starts.")
    _hours = models.Constraint(
        "CHECK(hour_from >= 0 AND hour_to <= 24 AND hour_from < hour_to)", "Hours go from 0 to 24, start before end."
    )
    _effect = models.Constraint(
        "CHECK(multiplier_pct >= 100 AND bonus_points >= 0)",
        "A promotion multiplies by 100% or more and adds zero or more points.",
    )
