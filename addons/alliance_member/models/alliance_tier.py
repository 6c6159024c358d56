from odoo import fields, models


class AllianceTier(models.Model):
    """A membership tier (普通/银卡/金卡/钻石), earned by rolling 12-month spend."""

    _name = "alliance.tier"
    _description = "Alliance Tier"
    _order = "min_spend, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    multiplier_pct = fields.Integer(
        string="Points Multiplier (%)",
        default=100,
        required=True,
        help="Points earned are multiplied by this percentage: 120 means 1.2 times.",
    )
    discount = fields.Float(string="Tier Discount (%)", digits=(5, 2))
    min_spend = fields.Monetary(
        string="Spend Threshold",
        currency_field="currency_id",
        help="Spend over the last 12 months, at all merchants, that reaches this tier.",
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env["alliance.merchant"]._get_operator_company().currency_id
    )
    color = fields.Integer()

    _multiplier_positive = models.Constraint("CHECK(multiplier_pct >= 100)", "A tier multiplier is 100% or more.")
    _discount_range = models.Constraint(
        "CHECK(discount >= 0 AND discount <= 100)", "The discount is a percentage between 0 and 100."
    )
    _spend_positive = models.Constraint("CHECK(min_spend >= 0)", "A spend threshold cannot be negative.")

    def _get_for_spend(self, spend):
        """The highest active tier whose threshold the spend reaches."""
        tiers = self.search([("active", "=", True)], order="min_spend desc, sequence desc, id desc")
        return next((t for t in tiers if t.currency_id.compare_amounts(spend, t.min_spend) >= 0), self.browse())
