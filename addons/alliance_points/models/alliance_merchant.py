from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


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
    api_max_amount = fields.Monetary(
        string="Largest API Purchase",
        help="The largest purchase this merchant may report through the API; 0 uses the alliance's limit.",
    )
    api_max_points_day = fields.Integer(
        string="API Points per Card per Day",
        help="Points this merchant may give one card through the API in 24 hours; 0 uses the alliance's limit.",
    )
    credit_limit = fields.Monetary(
        help="Postpaid: the most the points it issued and has not settled may be worth (at its issue price); "
        "0 means no limit.",
    )
    credit_points = fields.Integer(
        string="Unsettled Points Issued",
        readonly=True,
        copy=False,
        help="Postpaid with a credit limit: points issued and not settled yet, kept by the points service.",
    )
    # Packs bought minus messages that took one: no counter on the merchant's row, which every sale at
    # the merchant writes, so that sending texts never holds (nor waits for) the row a counter needs.
    sms_quota = fields.Integer(
        string="SMS Left",
        compute="_compute_sms_quota",
        help="Messages its transactions and campaigns may still send: SMS packs bought, minus messages sent.",
    )
    # A price per message is finer than the currency (¥0.045): kept to 4 decimals, exact (numeric), and
    # the pack's amount rounded once.
    sms_price = fields.Float(
        string="Price per SMS",
        digits=(12, 4),
        default=0.05,
        help="What the merchant pays the operator per message of an SMS pack (its contract).",
    )
    sms_pack_ids = fields.One2many("alliance.sms.pack", "merchant_id", string="SMS Packs")

    _earn_rate_positive = models.Constraint("CHECK(earn_rate_pct >= 0)", "An earn rate cannot be negative.")
    _api_limits_positive = models.Constraint(
        "CHECK(api_max_amount >= 0 AND api_max_points_day >= 0 AND credit_limit >= 0)",
        "Limits are zero (the alliance's default, or none) or more.",
    )
    _sms_price_positive = models.Constraint("CHECK(sms_price >= 0)", "An SMS price cannot be negative.")

    def write(self, vals):
        res = super().write(vals)
        if vals.get("credit_limit") or vals.get("billing_mode") == "postpaid":
            # The counter is kept only while a limit applies: start it from the ledger.
            for merchant in self.filtered(lambda m: m.billing_mode == "postpaid" and m.credit_limit):
                merchant._alliance_reset_credit()
        return res

    def _compute_sms_quota(self):
        left = self.env["alliance.sms.service"]._quota_left(self.ids)
        for merchant in self:
            merchant.sms_quota = left.get(merchant.id, 0)

    # -- limits on what a merchant may give ----------------------------------------------

    def _alliance_api_max_amount(self):
        self.ensure_one()
        return self.api_max_amount or self.env["alliance.points.engine"]._param_int("api_max_amount", 5000)

    def _alliance_api_max_points_day(self):
        self.ensure_one()
        return self.api_max_points_day or self.env["alliance.points.engine"]._param_int("api_max_points_day", 10000)

    def _alliance_unsettled_issued_points(self):
        """Hook: points this merchant issued and has not settled (the settlement addon knows what was settled)."""
        self.ensure_one()
        self.env["alliance.points.entry"].flush_model()
        [(points,)] = self.env.execute_query(
            SQL(
                """SELECT COALESCE(SUM(e.points), 0) FROM alliance_points_entry e
                LEFT JOIN alliance_points_entry o ON o.id = e.reversed_entry_id
                    WHERE e.merchant_id = %s
                      AND (e.entry_type IN ('earn', 'referral') OR o.entry_type IN ('earn', 'referral'))
                      AND %s""",
                self.id,
                self._alliance_unsettled_condition(),
            )
        )
        return points

    @api.model
    def _alliance_unsettled_condition(self):
        """Hook: SQL on ``e`` (an entry) true while it is not settled; before settlement, always."""
        return SQL("TRUE")

    def _alliance_reset_credit(self):
        self.ensure_one()
        self.env.execute_query(
            SQL(
                "UPDATE alliance_merchant SET credit_points = %s WHERE id = %s",
                self._alliance_unsettled_issued_points(),
                self.id,
            )
        )
        self.invalidate_recordset(["credit_points"])

    def _alliance_use_credit(self, points):
        """Count points issued (or taken back) against the credit limit; the UPDATE locks the merchant."""
        self.ensure_one()
        [(used,)] = self.env.execute_query(
            SQL(
                "UPDATE alliance_merchant SET credit_points = COALESCE(credit_points, 0) + %s WHERE id = %s"
                " RETURNING credit_points",
                points,
                self.id,
            )
        )
        self.invalidate_recordset(["credit_points"])
        currency = self.currency_id
        value = currency.round(float(Decimal(used) * Decimal(str(self.issue_price)) / 1000))
        if points > 0 and currency.compare_amounts(value, self.credit_limit) > 0:
            raise UserError(
                self.env._(
                    "%(merchant)s has issued points worth %(value)s that are not settled, over its credit limit of "
                    "%(limit)s: it gives no more points until its statement is settled.",
                    merchant=self.name,
                    value=value,
                    limit=self.credit_limit,
                )
            )

    def _alliance_quota_state(self):
        """What a prepaid merchant's counter shows of its quota: ``{"left", "low"}``; False when postpaid."""
        self.ensure_one()
        if self.billing_mode != "prepaid":
            return False
        left = self.quota_balance + self.overdraft_points
        low = self.env["alliance.points.engine"]._param_int("quota_low_points", 10000)
        return {"left": left, "low": left < low}

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
            # The merchant's company, which the operator setting it up may not have selected (or even
            # be allowed in): its books and points of sale are the operator's to prepare.
            company = merchant.sudo().company_id
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
                # Named in every installed language, not only the operator's (a cashier's POS is in Chinese).
                names = {
                    lang: self.with_context(lang=lang).env._("Alliance Points")
                    for lang, _name in self.env["res.lang"].get_installed()
                }
                method.update_field_translations("name", names)
                journal.update_field_translations("name", names)

    @api.model
    def _alliance_earn_rate_pct(self, merchant):
        return merchant.earn_rate_pct or self.env["alliance.points.engine"]._param_int("earn_rate_pct", 100)
