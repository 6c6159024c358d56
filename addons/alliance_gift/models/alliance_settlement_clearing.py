from decimal import Decimal

from odoo import api, models
from odoo.tools import SQL


class AllianceSettlementClearing(models.AbstractModel):
    _inherit = "alliance.settlement.clearing"

    @api.model
    def _empty_figures(self):
        return {
            **super()._empty_figures(),
            "coupons_in": 0,
            "coupon_in_amount": Decimal(0),
            "coupon_in_operator": Decimal(0),
            "coupons_out": 0,
            "coupon_out_amount": Decimal(0),
            "gifts": 0,
            "gift_credit": Decimal(0),
        }

    @api.model
    def _aggregate(self, merchants, date_end):
        """Adds the coupons each merchant accepted for others and funded for others, and its sponsored gifts."""
        figures = super()._aggregate(merchants, date_end)

        def fig_of(merchant_id):
            return figures.setdefault(merchant_id, {"merchant_id": merchant_id, **self._empty_figures()})

        # A coupon used where it was funded is the merchant's own discount: nothing to clear.
        accepted = self.env.execute_query(
            SQL(
                """SELECT merchant_id, COUNT(*), SUM(SIGN(amount)), SUM(reimburse_amount),
                          SUM(CASE WHEN funder_id IS NULL THEN reimburse_amount ELSE 0 END)
                     FROM alliance_coupon_use
                    WHERE settlement_id IS NULL AND merchant_id = ANY(%(merchants)s) AND date < %(end)s
                      AND funder_id IS DISTINCT FROM merchant_id
                 GROUP BY merchant_id""",
                merchants=merchants.ids,
                end=date_end,
            )
        )
        # Rows (locked at confirmation) and coupons (a refund's row gives one back).
        for merchant_id, rows, count, amount, operator_amount in accepted:
            fig = fig_of(merchant_id)
            fig["entries"] += rows
            fig["coupons_in"] += int(count)
            fig["coupon_in_amount"] += Decimal(repr(amount or 0))
            fig["coupon_in_operator"] += Decimal(repr(operator_amount or 0))
        funded = self.env.execute_query(
            SQL(
                """SELECT funder_id, COUNT(*), SUM(SIGN(amount)), SUM(reimburse_amount) FROM alliance_coupon_use
                    WHERE funder_settlement_id IS NULL AND funder_id = ANY(%(merchants)s) AND date < %(end)s
                      AND funder_id != merchant_id
                 GROUP BY funder_id""",
                merchants=merchants.ids,
                end=date_end,
            )
        )
        for merchant_id, rows, count, amount in funded:
            fig = fig_of(merchant_id)
            fig["entries"] += rows
            fig["coupons_out"] += int(count)
            fig["coupon_out_amount"] += Decimal(repr(amount or 0))
        gifts = self.env.execute_query(
            SQL(
                """SELECT sponsor_id, COUNT(*), SUM(sponsor_credit) FROM alliance_gift_order
                    WHERE settlement_id IS NULL AND state = 'done' AND sponsor_id = ANY(%(merchants)s)
                      AND handed_over_at < %(end)s
                 GROUP BY sponsor_id""",
                merchants=merchants.ids,
                end=date_end,
            )
        )
        for merchant_id, count, amount in gifts:
            fig = fig_of(merchant_id)
            fig["entries"] += count
            fig["gifts"] += count
            fig["gift_credit"] += Decimal(repr(amount or 0))
        return figures

    @api.model
    def _prepare_lines(self, merchant, fig):
        lines, totals = super()._prepare_lines(merchant, fig)
        currency = merchant.currency_id
        coupon_in = currency.round(float(fig.get("coupon_in_amount") or 0))
        coupon_in_operator = currency.round(float(fig.get("coupon_in_operator") or 0))
        coupon_out = currency.round(float(fig.get("coupon_out_amount") or 0))
        gift_credit = currency.round(float(fig.get("gift_credit") or 0))
        if fig.get("coupons_in") or coupon_in:
            lines.append({"kind": "coupon_in", "points": fig["coupons_in"], "amount": -coupon_in})
        if fig.get("coupons_out") or coupon_out:
            lines.append({"kind": "coupon_out", "points": fig["coupons_out"], "amount": coupon_out})
        if fig.get("gifts"):
            lines.append({"kind": "gift_credit", "points": fig["gifts"], "amount": -gift_credit})
        totals.update(
            {
                "amount_coupon_reimbursed": coupon_in,
                "amount_coupon_operator": coupon_in_operator,
                "amount_coupon_charged": coupon_out,
                "amount_gift_credit": gift_credit,
                "amount_net": currency.round(totals["amount_net"] + coupon_out - coupon_in - gift_credit),
            }
        )
        return lines, totals
