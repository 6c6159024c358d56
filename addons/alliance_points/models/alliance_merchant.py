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

    def _ensure_pos_config(self):
        res = super()._ensure_pos_config()
        self._ensure_points_payment_method()
        return res

    def _ensure_points_payment_method(self):
        """Every point of sale of a merchant can take alliance points as payment.

        Money paid with points is owed by the operator: it goes to a journal of
        its own, cleared at settlement.
        """
        for merchant in self:
            company = merchant.company_id
            for config in company.alliance_pos_config_ids:
                if config.payment_method_ids.filtered(lambda m: m.use_payment_terminal == "alliance_points"):
                    continue
                # Journals and payment methods of the merchant's company, set up by the operator.
                Journal = self.env["account.journal"].sudo().with_company(company)
                journal = Journal.search([("company_id", "=", company.id), ("code", "=", "ALPT")], limit=1)
                if not journal:
                    journal = Journal.create(
                        {
                            "name": self.env._("Alliance Points"),
                            "type": "bank",
                            "code": "ALPT",
                            "company_id": company.id,
                        }
                    )
                method = (
                    self.env["pos.payment.method"]
                    .sudo()
                    .with_company(company)
                    .create(
                        {
                            "name": self.env._("Alliance Points"),
                            "journal_id": journal.id,
                            "company_id": company.id,
                            "payment_method_type": "terminal",
                            "use_payment_terminal": "alliance_points",
                        }
                    )
                )
                config.sudo().payment_method_ids = [(4, method.id)]

    @api.model
    def _alliance_earn_rate_pct(self, merchant):
        return merchant.earn_rate_pct or self.env["alliance.points.engine"]._param_int("earn_rate_pct", 100)
