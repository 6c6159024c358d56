"""The clearing: a period's statements built by SQL aggregation over the unsettled ledger.

Building is idempotent: a draft is rebuilt from scratch. The aggregates
(``_aggregate``) and the lines made of them (``_prepare_lines``) are hooks
that later addons extend with their own figures and lines.
"""

from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL


class AllianceSettlementClearing(models.AbstractModel):
    _name = "alliance.settlement.clearing"
    _description = "Alliance Settlement Clearing"

    @api.model
    def _build_period(self, period, batch=25, commit=False):
        """(Re)build the draft statements of ``period``, ``batch`` merchants per aggregate query.

        With ``commit`` (the cron), each batch commits: a run stopped halfway
        resumes on the next, and since a build only ever recomputes drafts
        from the ledger, both give the same statements as one run.
        """
        # Draft merchants have never moved points; terminated ones may still have some to settle.
        Statement = self.env["alliance.settlement.statement"]
        merchants = self.env["alliance.merchant"].sudo().search([("state", "!=", "draft")], order="id")
        # A merchant settled every 3 months gets a statement in the period that ends its cycle, for
        # everything unsettled until then.
        merchants = merchants.filtered(lambda m: period.date_to.month % (m.settlement_cycle_months or 1) == 0)
        done = 0
        for start in range(0, len(merchants), batch):
            chunk = merchants[start : start + batch]
            settled = (
                Statement.sudo()
                .search(
                    [
                        ("period_id", "=", period.id),
                        ("merchant_id", "in", chunk.ids),
                        ("stage", "in", ("confirmed", "posted")),
                    ]
                )
                .merchant_id
            )
            self._build(period, chunk - settled)
            done += len(chunk)
            if commit:
                self.env["ir.cron"]._commit_progress(len(chunk))
        return done

    @api.model
    def _aggregate(self, merchants, date_end):
        """{merchant id: figures} of the unsettled ledger before ``date_end``: three aggregate queries."""
        self.env.flush_all()
        # One-off aggregates over a month of ledger: compiling them (JIT) costs more than it saves.
        self.env.cr.execute("SET LOCAL jit = off")
        figures = {}
        # Grouped by merchant and type (and, for a reversal, the type it reverses): the plan of a
        # plain GROUP BY, one pass hashed over the ledger; the few groups are then added up here.
        rows = self.env.execute_query(
            SQL(
                """
SELECT e.merchant_id, e.entry_type, e.reversed_type,
       COUNT(*), SUM(e.points), SUM(e.debt_delta), SUM(e.amount)
  FROM (SELECT e.merchant_id, e.entry_type, e.points, e.debt_delta, e.amount, e.reversed_type
          FROM alliance_points_entry e
         -- "+ 0": a batch reads most of the unsettled ledger, and reading it in merchant-index order
         -- (which the planner likes for the GROUP BY) is random access; a sequential scan is 5× faster.
         WHERE e.settlement_id IS NULL AND e.merchant_id + 0 = ANY(%(merchants)s) AND e.date < %(end)s) e
 GROUP BY e.merchant_id, e.entry_type, e.reversed_type""",
                merchants=merchants.ids,
                end=date_end,
            )
        )
        # Money stays Decimal (PostgreSQL's numeric sums) until each amount is rounded once.
        empty = self._empty_figures()
        for merchant_id, entry_type, reversed_type, count, points, _debt_delta, amount in rows:
            fig = figures.setdefault(merchant_id, {"merchant_id": merchant_id, **empty})
            fig["entries"] += count
            kind = reversed_type if entry_type == "reversal" else entry_type
            if kind in ("earn", "referral"):
                # A reversal credits the issuer only the points taken back: those the member had
                # already spent elsewhere (now the member's debt) stay charged, as the operator
                # paid the merchant that accepted them.
                fig["issued"] += points
            elif kind == "redeem":
                fig["accepted"] -= points
            elif kind in ("expire", "debt"):
                # Points a member gives up to repay a debt leave the books like expired ones: the
                # issuer of the reversed earn stayed charged for the points spent, so these are the
                # operator's (breakage), not a second liability.
                fig["expired"] -= points
            if kind == "earn":
                # Summed as numeric by PostgreSQL; Odoo's driver hands numerics over as floats.
                fig["sales"] += Decimal(repr(amount or 0))
        packs = self.env.execute_query(
            SQL(
                """SELECT merchant_id, COUNT(*), SUM(points), SUM(amount) FROM alliance_quota_entry
                    WHERE settlement_id IS NULL AND entry_type = 'purchase' AND pack_id IS NULL
                      AND merchant_id = ANY(%(merchants)s) AND date < %(end)s
                 GROUP BY merchant_id""",
                merchants=merchants.ids,
                end=date_end,
            )
        )
        for merchant_id, count, points, amount in packs:
            figures.setdefault(merchant_id, {"merchant_id": merchant_id, **empty})
            figures[merchant_id].update(packs=count, bought=points, bought_amount=Decimal(repr(amount or 0)))
        sms_packs = self.env.execute_query(
            SQL(
                """SELECT merchant_id, COUNT(*), SUM(quantity), SUM(amount) FROM alliance_sms_pack
                    WHERE settlement_id IS NULL AND merchant_id = ANY(%(merchants)s) AND date < %(end)s
                 GROUP BY merchant_id""",
                merchants=merchants.ids,
                end=date_end,
            )
        )
        for merchant_id, count, quantity, amount in sms_packs:
            fig = figures.setdefault(merchant_id, {"merchant_id": merchant_id, **empty})
            fig.update(sms_packs=count, sms_bought=quantity, sms_amount=Decimal(repr(amount or 0)))
        sms_used = self.env.execute_query(
            SQL(
                """SELECT alliance_merchant_id, COUNT(*) FROM sms_sms
                    WHERE alliance_settlement_id IS NULL AND alliance_quota_taken
                      AND alliance_merchant_id = ANY(%(merchants)s) AND create_date < %(end)s
                 GROUP BY alliance_merchant_id""",
                merchants=merchants.ids,
                end=date_end,
            )
        )
        for merchant_id, count in sms_used:
            fig = figures.setdefault(merchant_id, {"merchant_id": merchant_id, **empty})
            fig["sms_used"] = count
        # What the points spent here were worth to the operator: each lot at its issuer's price
        # (operator-issued lots were sold to no one: worth nothing in its books). Summed per issuer in
        # SQL, priced here: a hundred contracts, not a join per lot use.
        uses = self.env.execute_query(
            SQL(
                """
SELECT e.merchant_id, l.merchant_id, SUM(m.points)
  FROM alliance_points_entry e
  JOIN alliance_points_lot_move m ON m.entry_id = e.id
  JOIN alliance_points_lot l ON l.id = m.lot_id
 WHERE e.settlement_id IS NULL AND e.merchant_id = ANY(%(merchants)s) AND e.date < %(end)s
   AND (e.entry_type = 'redeem' OR e.reversed_type = 'redeem')
 GROUP BY e.merchant_id, l.merchant_id""",
                merchants=merchants.ids,
                end=date_end,
            )
        )
        issuers = self.env["alliance.merchant"].sudo().browse({issuer for _m, issuer, _p in uses if issuer})
        price = {issuer.id: Decimal(str(issuer.issue_price)) for issuer in issuers}
        for merchant_id, issuer_id, points in uses:
            fig = figures[merchant_id]
            fig["redeemed_value_k"] = fig.get("redeemed_value_k", 0) + points * price.get(issuer_id, Decimal(0))
        return figures

    @api.model
    def _empty_figures(self):
        """Hook: a merchant's figures before anything is added up; later addons add theirs."""
        return {
            "entries": 0,
            "issued": 0,
            "accepted": 0,
            "expired": 0,
            "sales": Decimal(0),
            "bought": 0,
            "bought_amount": Decimal(0),
            "packs": 0,
            "sms_packs": 0,
            "sms_bought": 0,
            "sms_amount": Decimal(0),
            "sms_used": 0,
        }

    @api.model
    def _period_end(self, period):
        """Entries are dated in UTC; the period ends at the operator's midnight after ``date_to``."""
        return self.env["alliance.settlement.period"]._utc_midnight_after(period.date_to)

    @api.model
    def _build(self, period, merchants):
        """Draft statements of ``period`` for ``merchants``, rebuilt from the ledger."""
        Statement = self.env["alliance.settlement.statement"]
        if not merchants:
            return Statement
        figures = self._aggregate(merchants, self._period_end(period))
        drafts = Statement.sudo().search(
            [("period_id", "=", period.id), ("merchant_id", "in", merchants.ids), ("stage", "=", "draft")]
        )
        by_merchant = {s.merchant_id.id: s for s in drafts}
        built = Statement
        new = []
        now = fields.Datetime.now()
        for merchant in merchants:
            statement = by_merchant.pop(merchant.id, None)
            fig = figures.get(merchant.id)
            if not fig:
                continue
            lines, totals = self._prepare_lines(merchant, fig)
            vals = {**totals, "built_at": now, "entry_count": fig["entries"] + fig["packs"] + fig["sms_packs"]}
            if statement:
                statement.line_ids.unlink()
                statement.write({**vals, "line_ids": [fields.Command.create(line) for line in lines]})
                built |= statement
            else:
                new.append(
                    {
                        **vals,
                        "period_id": period.id,
                        "merchant_id": merchant.id,
                        "line_ids": [fields.Command.create(line) for line in lines],
                    }
                )
        # The period's first build creates a statement per merchant: in one create (its INSERTs and
        # chatter messages batched), not a hundred.
        built |= Statement.sudo().create(new)
        # Drafts whose entries another statement has settled since: nothing left to clear.
        for statement in by_merchant.values():
            statement.unlink()
        return built.sorted(lambda s: s.merchant_id.id)

    @api.model
    def _prepare_lines(self, merchant, fig):
        """Statement lines and totals from the aggregates, each amount rounded once."""
        currency = merchant.currency_id
        prepaid = merchant.billing_mode == "prepaid"

        def rounded(value):
            """A Decimal amount rounded once, with the currency's rounding."""
            return currency.round(float(value))

        issue_price, reimburse_price = Decimal(str(merchant.issue_price)), Decimal(str(merchant.reimburse_price))
        value_redeemed = rounded(Decimal(fig.get("redeemed_value_k") or 0) / 1000)
        breakage = rounded(fig["expired"] * issue_price / 1000)
        issue_amount = 0.0 if prepaid else rounded(fig["issued"] * issue_price / 1000)
        reimbursed = rounded(fig["accepted"] * reimburse_price / 1000)
        commission = rounded(Decimal(fig["sales"] or 0) * Decimal(str(merchant.commission_rate)) / 100)
        bought_amount = rounded(fig["bought_amount"] or 0)
        lines = []
        if fig["packs"]:
            lines.append(
                {"kind": "pack", "points": fig["bought"], "price": merchant.issue_price, "amount": bought_amount}
            )
        if fig["issued"]:
            lines.append(
                {
                    "kind": "issue_prepaid" if prepaid else "issue",
                    "points": fig["issued"],
                    "price": 0.0 if prepaid else merchant.issue_price,
                    "amount": issue_amount,
                }
            )
        if fig["accepted"]:
            lines.append(
                {"kind": "redeem", "points": fig["accepted"], "price": merchant.reimburse_price, "amount": -reimbursed}
            )
        if commission:
            lines.append(
                {
                    "kind": "commission",
                    "base": rounded(fig["sales"]),
                    "rate": merchant.commission_rate,
                    "amount": commission,
                }
            )
        if fig["expired"]:
            lines.append({"kind": "expire", "points": fig["expired"], "amount": 0.0})
        sms_amount = rounded(fig["sms_amount"] or 0)
        if fig["sms_packs"]:
            lines.append({"kind": "sms_pack", "points": fig["sms_bought"], "amount": sms_amount})
        if fig["sms_used"]:
            lines.append({"kind": "sms_used", "points": fig["sms_used"], "amount": 0.0})
        totals = {
            "points_bought": fig["bought"],
            "amount_bought": bought_amount,
            "points_issued": fig["issued"],
            "amount_issued": issue_amount,
            "points_redeemed": fig["accepted"],
            "amount_reimbursed": reimbursed,
            "amount_commission": commission,
            "points_expired": fig["expired"],
            "value_redeemed": value_redeemed,
            "amount_margin": currency.round(value_redeemed - reimbursed),
            "amount_breakage": breakage,
            "sms_bought": fig["sms_bought"],
            "amount_sms": sms_amount,
            "sms_used": fig["sms_used"],
            "amount_net": currency.round(bought_amount + issue_amount + commission + sms_amount - reimbursed),
        }
        return lines, totals
