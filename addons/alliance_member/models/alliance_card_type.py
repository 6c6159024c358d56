from odoo import fields, models


class AllianceCardType(models.Model):
    """A kind of alliance card (会员卡类型): what it gives and how long it lasts."""

    _name = "alliance.card.type"
    _description = "Alliance Card Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [
            ("standard", "Stored points"),
            ("count", "Count-based (visits)"),
            ("time", "Time-limited"),
        ],
        default="standard",
        required=True,
        help="Count-based cards (计次卡) carry a number of visits used up one by one; "
        "time-limited cards (限时卡) are valid for a fixed number of days from issue.",
    )
    discount = fields.Float(string="Member Discount (%)", digits=(5, 2))
    validity_months = fields.Integer(help="Months a card stays valid; 0: no end.")
    validity_days = fields.Integer(help="Days a time-limited card stays valid.")
    visits = fields.Integer(help="Visits a count-based card holds when issued.")
    issue_fee = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env["alliance.merchant"]._get_operator_company().currency_id
    )

    _discount_range = models.Constraint(
        "CHECK(discount >= 0 AND discount <= 100)", "The discount is a percentage between 0 and 100."
    )
    _positive = models.Constraint(
        "CHECK(validity_months >= 0 AND validity_days >= 0 AND visits >= 0 AND issue_fee >= 0)",
        "Validity, visits and fee cannot be negative.",
    )
    _count_has_visits = models.Constraint(
        "CHECK(kind != 'count' OR COALESCE(visits, 0) > 0)", "A count-based card type needs a number of visits."
    )
    _time_has_days = models.Constraint(
        "CHECK(kind != 'time' OR COALESCE(validity_days, 0) > 0)", "A time-limited card type needs a number of days."
    )
