"""The daily scan of the ledger for fraud patterns, in SQL aggregates.

Each detector is one ``_detect_*`` method over a window ending at ``now``
and returns alert values keyed so that a rerun raises nothing twice; the
thresholds are the operator's settings (``_threshold``).
"""

from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL

THRESHOLDS = {
    "alert_card_per_hour": 20,
    "alert_merchant_per_hour": 600,
    "alert_cashier_per_hour": 300,
    "alert_self_share_pct": 80,
    "alert_self_min_points": 5000,
    "alert_refund_loops": 3,
    "alert_api_earn_points": 5000,
    "alert_spend_hours": 48,
    "alert_adjust_points": 10000,
}


class AllianceRiskScan(models.AbstractModel):
    _name = "alliance.risk.scan"
    _description = "Alliance Risk Scan"

    @api.model
    def _threshold(self, name):
        return self.env["alliance.points.engine"]._param_int(name, THRESHOLDS[name])

    @api.model
    def _cron_scan(self, now=None):
        """Run every detector over the last day (self-dealing over the last 30 days)."""
        now = now or fields.Datetime.now()
        self.env.flush_all()
        vals_list = []
        for detector in self._get_detectors():
            vals_list += detector(now)
        return self.env["alliance.risk.alert"]._raise(vals_list)

    @api.model
    def _get_detectors(self):
        """Hook: the detectors the daily scan runs."""
        return [
            self._detect_velocity_card,
            self._detect_velocity_merchant,
            self._detect_velocity_cashier,
            self._detect_self_dealing,
            self._detect_refund_loops,
            self._detect_spend_after_api_earn,
        ]

    @api.model
    def _hourly_peaks(self, group_column, now):
        """[(group, merchant, day, peak)]: the busiest hour of each group over the last day, over the threshold."""
        return self.env.execute_query(
            SQL(
                """SELECT grp, merchant_id, day, MAX(n) FROM (
                       SELECT %(col)s AS grp, e.merchant_id, date_trunc('day', e.date)::date AS day,
                              date_trunc('hour', e.date) AS hour, COUNT(*) AS n
                         FROM alliance_points_entry e
                        WHERE e.date >= %(since)s AND e.date < %(now)s
                          AND e.entry_type IN ('earn', 'redeem') AND %(col)s IS NOT NULL
                     GROUP BY 1, 2, 3, 4) h
                GROUP BY grp, merchant_id, day""",
                col=SQL.identifier("e", group_column),
                since=now - timedelta(days=1),
                now=now,
            )
        )

    @api.model
    def _velocity(self, kind, column, threshold_name, now, severity, label):
        threshold = self._threshold(threshold_name)
        return [
            {
                "name": label(grp),
                "kind": kind,
                "severity": severity,
                "key": f"{kind}/{grp}/{merchant_id}/{day}",
                "merchant_id": merchant_id,
                "card_id": grp if column == "card_id" else False,
                "user_id": grp if column == "user_id" else False,
                "value": peak,
                "threshold": threshold,
                "detail": self.env._(
                    "%(peak)s earns and spends in one hour on %(day)s (threshold %(threshold)s).",
                    peak=peak,
                    day=day,
                    threshold=threshold,
                ),
            }
            for grp, merchant_id, day, peak in self._hourly_peaks(column, now)
            if peak > threshold
        ]

    @api.model
    def _detect_velocity_card(self, now):
        Card = self.env["alliance.card"].sudo()
        return self._velocity(
            "velocity_card",
            "card_id",
            "alert_card_per_hour",
            now,
            "high",
            lambda card_id: self.env._("Card %s moves points too fast", Card.browse(card_id).code),
        )

    @api.model
    def _detect_velocity_merchant(self, now):
        Merchant = self.env["alliance.merchant"].sudo()
        return self._velocity(
            "velocity_merchant",
            "merchant_id",
            "alert_merchant_per_hour",
            now,
            "medium",
            lambda merchant_id: self.env._("%s moves points too fast", Merchant.browse(merchant_id).name),
        )

    @api.model
    def _detect_velocity_cashier(self, now):
        User = self.env["res.users"].sudo()
        return self._velocity(
            "velocity_cashier",
            "user_id",
            "alert_cashier_per_hour",
            now,
            "medium",
            lambda user_id: self.env._("Cashier %s moves points too fast", User.browse(user_id).name),
        )

    @api.model
    def _detect_self_dealing(self, now):
        """Merchants whose accepted points mostly come from points they issued themselves (30 days)."""
        share_pct = self._threshold("alert_self_share_pct")
        minimum = self._threshold("alert_self_min_points")
        since = now - timedelta(days=30)
        rows = self.env.execute_query(
            SQL(
                """SELECT m.merchant_id, SUM(m.points),
                          COALESCE(SUM(m.points) FILTER (WHERE m.issuer_merchant_id = m.merchant_id), 0)
                     FROM alliance_points_lot_move m
                     JOIN alliance_points_entry e ON e.id = m.entry_id
                    WHERE e.entry_type = 'redeem' AND e.date >= %s AND e.date < %s
                 GROUP BY m.merchant_id""",
                since,
                now,
            )
        )
        Merchant = self.env["alliance.merchant"].sudo()
        alerts = []
        for merchant_id, total, own in rows:
            if total < minimum or own * 100 < share_pct * total:
                continue
            merchant = Merchant.browse(merchant_id)
            currency = merchant.currency_id
            reimbursed = currency.round(float(Decimal(own) * Decimal(str(merchant.reimburse_price)) / 1000))
            paid = currency.round(float(Decimal(own) * Decimal(str(merchant.issue_price)) / 1000))
            alerts.append(
                {
                    "name": self.env._("%s accepts mostly its own points", merchant.name),
                    "kind": "self_dealing",
                    "severity": "high",
                    "key": f"self_dealing/{merchant_id}/{fields.Date.to_string(now.date())}",
                    "merchant_id": merchant_id,
                    "value": own * 100 // total,
                    "threshold": share_pct,
                    "detail": self.env._(
                        "In 30 days: %(own)s of the %(total)s points accepted were issued by the merchant itself "
                        "(%(pct)s%%); in money, reimbursed %(reimbursed)s for points it paid %(paid)s for.",
                        own=own,
                        total=total,
                        pct=own * 100 // total,
                        reimbursed=reimbursed,
                        paid=paid,
                    ),
                }
            )
        return alerts

    @api.model
    def _detect_refund_loops(self, now):
        """Cards whose earns at one merchant were reversed again and again (7 days)."""
        threshold = self._threshold("alert_refund_loops")
        rows = self.env.execute_query(
            SQL(
                """SELECT e.card_id, e.merchant_id, COUNT(*)
                     FROM alliance_points_entry e
                     JOIN alliance_points_entry o ON o.id = e.reversed_entry_id
                    WHERE e.entry_type = 'reversal' AND o.entry_type = 'earn'
                      AND e.date >= %s AND e.date < %s
                 GROUP BY e.card_id, e.merchant_id
                   HAVING COUNT(*) >= %s""",
                now - timedelta(days=7),
                now,
                threshold,
            )
        )
        Card = self.env["alliance.card"].sudo()
        return [
            {
                "name": self.env._("Earn and refund again and again on card %s", Card.browse(card_id).code),
                "kind": "refund_loop",
                "severity": "medium",
                "key": f"refund_loop/{card_id}/{merchant_id}/{fields.Date.to_string(now.date())}",
                "merchant_id": merchant_id,
                "card_id": card_id,
                "value": count,
                "threshold": threshold,
                "detail": self.env._("%s earns reversed in 7 days.", count),
            }
            for card_id, merchant_id, count in rows
        ]

    @api.model
    def _detect_spend_after_api_earn(self, now):
        """Large earns reported through the API, spent soon after (the issuer's merchant is the subject)."""
        minimum = self._threshold("alert_api_earn_points")
        hours = self._threshold("alert_spend_hours")
        rows = self.env.execute_query(
            SQL(
                """SELECT e.id, e.card_id, e.merchant_id, e.points, SUM(-r.points), MIN(r.date)
                     FROM alliance_points_entry e
                     JOIN alliance_points_entry r ON r.card_id = e.card_id AND r.entry_type = 'redeem'
                          AND r.date >= e.date AND r.date < e.date + make_interval(hours => %s)
                    WHERE e.entry_type = 'earn' AND e.pos_order_id IS NULL AND e.points >= %s
                      AND e.date >= %s AND e.date < %s
                 GROUP BY e.id, e.card_id, e.merchant_id, e.points""",
                hours,
                minimum,
                now - timedelta(days=1, hours=hours),
                now,
            )
        )
        Card = self.env["alliance.card"].sudo()
        return [
            {
                "name": self.env._(
                    "Points earned through the API on card %s were spent at once", Card.browse(card_id).code
                ),
                "kind": "spend_after_api_earn",
                "severity": "high",
                "key": f"spend_after_api_earn/{entry_id}",
                "merchant_id": merchant_id,
                "card_id": card_id,
                "entry_id": entry_id,
                "value": spent,
                "threshold": minimum,
                "detail": self.env._(
                    "%(points)s points earned through the API; %(spent)s spent within %(hours)s hours "
                    "(first at %(when)s).",
                    points=points,
                    spent=spent,
                    hours=hours,
                    when=fields.Datetime.to_string(first),
                ),
            }
            for entry_id, card_id, merchant_id, points, spent, first in rows
        ]

    @api.model
    def _alert_large_adjustment(self, entry):
        threshold = self._threshold("alert_adjust_points")
        if abs(entry.points) < threshold:
            return
        self.env["alliance.risk.alert"]._raise(
            [
                {
                    "name": self.env._("Large adjustment on card %s", entry.card_id.code),
                    "kind": "large_adjustment",
                    "severity": "medium",
                    "key": f"large_adjustment/{entry.id}",
                    "card_id": entry.card_id.id,
                    "user_id": entry.user_id.id,
                    "entry_id": entry.id,
                    "value": abs(entry.points),
                    "threshold": threshold,
                    "detail": entry.note,
                }
            ]
        )
