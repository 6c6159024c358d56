from odoo import fields, models


class AllianceEarnBand(models.Model):
    """A spend band: orders whose amount falls in [min, max) earn at this multiplier."""

    _name = "alliance.earn.band"
    _inherit = ["alliance.cached.rule"]
    _description = "Alliance Spend Band"
    _order = "min_amount"

    min_amount = fields.Monetary(string="From", required=True, currency_field="currency_id")
    max_amount = fields.Monetary(string="Up To", currency_field="currency_id", help="Empty: no upper bound.")
    multiplier_pct = fields.Integer(string="Multiplier (%)", required=True, default=100)
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env["alliance.merchant"]._get_operator_company().currency_id
    )
    active = fields.Boolean(default=True)

    _positive = models.Constraint(
        "CHECK(min_amount >= 0 AND (max_amount IS NULL OR max_amount = 0 OR max_amount > min_amount)"
        " AND multiplier_pct > 0)",
        "A band goes from an amount to a larger one, with a positive multiplier.",
    )
