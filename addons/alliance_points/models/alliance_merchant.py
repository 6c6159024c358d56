from odoo import api, fields, models


class AllianceMerchant(models.Model):
    _inherit = "alliance.merchant"

    earn_rate_pct = fields.Integer(
        string="Earn Rate Override (%)",
        help="Points per 1.00 paid at this merchant, in percent; 0 uses the alliance's base rate.",
    )
    quota_balance = fields.Integer(
        default=0,
        readonly=True,
        copy=False,
        help="Prepaid points left to give away: packs bought minus points issued. Kept by the points service.",
    )
    quota_entry_ids = fields.One2many("alliance.quota.entry", "merchant_id", string="Quota Ledger")

    _earn_rate_positive = models.Constraint("CHECK(earn_rate_pct >= 0)", "An earn rate cannot be negative.")

    def action_buy_points(self, points, reference=None):
        """Sell a pack of points to a prepaid merchant (operator side)."""
        self.ensure_one()
        return self.env["alliance.quota.entry"]._buy_pack(self, points, reference)

    @api.model
    def _alliance_earn_rate_pct(self, merchant):
        return merchant.earn_rate_pct or self.env["alliance.points.engine"]._param_int("earn_rate_pct", 100)
