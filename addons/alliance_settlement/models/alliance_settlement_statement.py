"""What a merchant and the operator owe each other for a period.

A statement is built by SQL aggregation over the merchant's ledger entries
(and prepaid packs) that no confirmed statement holds yet, dated before the
end of its period. Building is idempotent: a draft is rebuilt from scratch.
Confirming rebuilds it once more and, in the same transaction and snapshot,
locks its entries to it; entries that arrive later (an offline order, a
reversal) stay unsettled and fall into the next period.
"""

import io
from decimal import Decimal

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

LINE_KINDS = [
    ("pack", "Points Bought"),
    ("issue", "Points Issued"),
    ("issue_prepaid", "Points Issued from Quota"),
    ("redeem", "Points Accepted"),
    ("commission", "Commission"),
    ("expire", "Points Expired"),
]


class AllianceSettlementStatement(models.Model):
    _name = "alliance.settlement.statement"
    _description = "Alliance Settlement Statement"
    _inherit = ["mail.thread"]
    _order = "date_from desc, merchant_id"

    name = fields.Char(compute="_compute_name", store=True)
    period_id = fields.Many2one("alliance.settlement.period", required=True, ondelete="restrict", index=True)
    merchant_id = fields.Many2one("alliance.merchant", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(related="merchant_id.company_id", store=True, index=True)
    date_from = fields.Date(related="period_id.date_from", store=True)
    date_to = fields.Date(related="period_id.date_to", store=True)
    currency_id = fields.Many2one(related="merchant_id.currency_id", store=True)
    stage = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("posted", "Posted"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        help="Where the accountant has taken the statement; the state adds whether it is paid.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("confirmed", "Confirmed"),
            ("posted", "Posted"),
            ("paid", "Paid"),
            ("cancel", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        tracking=True,
        help="Paid: its invoice and bill are reconciled with payments.",
    )
    billing_mode = fields.Selection(related="merchant_id.billing_mode")
    line_ids = fields.One2many("alliance.settlement.line", "statement_id", string="Lines", readonly=True)
    built_at = fields.Datetime(readonly=True)
    entry_count = fields.Integer(readonly=True, help="Ledger entries (and packs) this statement settles.")
    points_bought = fields.Integer(readonly=True)
    amount_bought = fields.Monetary(readonly=True)
    points_issued = fields.Integer(readonly=True)
    amount_issued = fields.Monetary(readonly=True, help="Billed for the points issued (postpaid merchants).")
    points_redeemed = fields.Integer(string="Points Accepted", readonly=True)
    amount_reimbursed = fields.Monetary(readonly=True)
    amount_commission = fields.Monetary(string="Commission", readonly=True)
    points_expired = fields.Integer(
        readonly=True, help="Points this merchant issued that expired: kept by the operator."
    )
    amount_net = fields.Monetary(
        string="Net Amount",
        readonly=True,
        help="Positive: the merchant owes the operator. Negative: the operator owes the merchant.",
    )
    value_redeemed = fields.Monetary(
        string="Value of Points Accepted",
        groups="alliance_member.group_alliance_accountant",
        readonly=True,
        help="The accepted points at the price their issuers paid: the liability they release.",
    )
    amount_margin = fields.Monetary(
        string="Operator Margin",
        groups="alliance_member.group_alliance_accountant",
        readonly=True,
        help="Value of the points accepted less their reimbursement.",
    )
    amount_breakage = fields.Monetary(
        string="Breakage",
        groups="alliance_member.group_alliance_accountant",
        readonly=True,
        help="Value of the points issued here that expired unspent.",
    )
    move_ids = fields.Many2many("account.move", string="Journal Entries", readonly=True, copy=False)
    move_count = fields.Integer(compute="_compute_move_count")
    amount_net_words = fields.Char(string="Net Amount in Words", compute="_compute_amount_net_words")
    entry_ids = fields.One2many("alliance.points.entry", "settlement_id", string="Settled Entries")

    _one_per_merchant = models.UniqueIndex(
        "(period_id, merchant_id) WHERE state != 'cancel'", "A merchant has one statement per period."
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("Statements are built from the ledger (Build on the period), not created by hand.")
            )
        return super().create(vals_list)

    def write(self, vals):
        # Every figure, line, stage and journal entry of a statement is the server's: built from the
        # ledger while draft, then moved only by its actions (which check the role and log who and when).
        if not self.env.su and any(not key.startswith(("message_", "activity_")) for key in vals):
            raise UserError(
                self.env._(
                    "A statement changes only through its actions (build, confirm, post, cancel): %s.", self[:1].name
                )
            )
        return super().write(vals)

    @api.depends("period_id.name", "merchant_id.name")
    def _compute_name(self):
        for statement in self:
            statement.name = f"{statement.period_id.name} / {statement.merchant_id.name}"

    @api.depends("stage", "move_ids.line_ids.amount_residual")
    def _compute_state(self):
        for statement in self:
            # What is due either way sits on receivable/payable lines: paid when none is left open.
            due = statement.move_ids.line_ids.filtered(
                lambda line: line.account_id.account_type in ("asset_receivable", "liability_payable")
            )
            paid = all(statement.currency_id.is_zero(line.amount_residual) for line in due)
            statement.state = "paid" if statement.stage == "posted" and paid else statement.stage

    def _compute_move_count(self):
        for statement in self:
            statement.move_count = len(statement.move_ids)

    @api.depends("amount_net", "currency_id")
    def _compute_amount_net_words(self):
        for statement in self:
            statement.amount_net_words = statement.currency_id._alliance_amount_in_words(abs(statement.amount_net))

    def _get_report_base_filename(self):
        """The PDF's file name in the portal (what portal.mixin documents provide)."""
        self.ensure_one()
        return self.name

    def _operator_company(self):
        return self.env["alliance.merchant"]._get_operator_company()

    # -- building ---------------------------------------------------------------------

    @api.model
    def _build_period(self, period, batch=25, commit=False):
        """(Re)build the draft statements of ``period``, ``batch`` merchants per aggregate query.

        With ``commit`` (the cron), each batch commits: a run stopped halfway
        resumes on the next, and since a build only ever recomputes drafts
        from the ledger, both give the same statements as one run.
        """
        # Draft merchants have never moved points; terminated ones may still have some to settle.
        merchants = self.env["alliance.merchant"].sudo().search([("state", "!=", "draft")], order="id")
        # A merchant settled every 3 months gets a statement in the period that ends its cycle, for
        # everything unsettled until then.
        merchants = merchants.filtered(lambda m: period.date_to.month % (m.settlement_cycle_months or 1) == 0)
        done = 0
        for start in range(0, len(merchants), batch):
            chunk = merchants[start : start + batch]
            settled = (
                self.sudo()
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
  FROM (SELECT e.merchant_id, e.entry_type, e.points, e.debt_delta, e.amount,
               -- Reversals are few: what they reverse is looked up for them alone, by primary key.
               CASE WHEN e.entry_type = 'reversal'
                    THEN (SELECT o.entry_type FROM alliance_points_entry o WHERE o.id = e.reversed_entry_id)
               END AS reversed_type
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
        empty = {"entries": 0, "issued": 0, "accepted": 0, "expired": 0, "sales": Decimal(0)}
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
        for fig in figures.values():
            fig.update(bought=0, bought_amount=Decimal(0), packs=0)
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
   AND (e.entry_type = 'redeem'
        OR (e.entry_type = 'reversal'
            AND (SELECT o.entry_type FROM alliance_points_entry o WHERE o.id = e.reversed_entry_id) = 'redeem'))
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
    def _period_end(self, period):
        """Entries are dated in UTC; the period ends at the operator's midnight after ``date_to``."""
        return self.env["alliance.settlement.period"]._utc_midnight_after(period.date_to)

    @api.model
    def _build(self, period, merchants):
        """Draft statements of ``period`` for ``merchants``, rebuilt from the ledger."""
        if not merchants:
            return self.browse()
        figures = self._aggregate(merchants, self._period_end(period))
        drafts = self.sudo().search(
            [("period_id", "=", period.id), ("merchant_id", "in", merchants.ids), ("stage", "=", "draft")]
        )
        by_merchant = {s.merchant_id.id: s for s in drafts}
        built = self.browse()
        now = fields.Datetime.now()
        for merchant in merchants:
            statement = by_merchant.pop(merchant.id, None)
            fig = figures.get(merchant.id)
            if not fig:
                continue
            lines, totals = self._prepare_lines(merchant, fig)
            vals = {**totals, "built_at": now, "entry_count": fig["entries"] + fig["packs"]}
            if statement:
                statement.line_ids.unlink()
                statement.write({**vals, "line_ids": [fields.Command.create(line) for line in lines]})
            else:
                statement = self.sudo().create(
                    {
                        **vals,
                        "period_id": period.id,
                        "merchant_id": merchant.id,
                        "line_ids": [fields.Command.create(line) for line in lines],
                    }
                )
            built |= statement
        # Drafts whose entries another statement has settled since: nothing left to clear.
        for statement in by_merchant.values():
            statement.unlink()
        return built

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
            "amount_net": currency.round(bought_amount + issue_amount + commission - reimbursed),
        }
        return lines, totals

    # -- states ------------------------------------------------------------------------

    def action_confirm(self):
        """Rebuild, then lock the entries it was built from to the statement."""
        self.env["alliance.settlement.period"]._check_settlement_access()
        for statement in self:
            if statement.stage != "draft":
                raise UserError(self.env._("Only a draft statement can be confirmed (%s).", statement.name))
            merchant = statement.merchant_id
            # One confirmation per merchant at a time: two periods never claim the same entries.
            self.env.cr.execute(SQL("SELECT id FROM alliance_merchant WHERE id = %s FOR UPDATE", merchant.id))
            fresh = self._build(statement.period_id, merchant)
            if fresh != statement:
                # The rebuild found nothing unsettled for it (another period settled its entries).
                raise UserError(self.env._("%s has nothing left to settle: build the period again.", statement.name))
            end = self._period_end(statement.period_id)
            self.env.cr.execute(
                SQL(
                    """UPDATE alliance_points_entry SET settlement_id = %(st)s
                        WHERE settlement_id IS NULL AND merchant_id = %(m)s AND date < %(end)s""",
                    st=statement.id,
                    m=merchant.id,
                    end=end,
                )
            )
            locked = self.env.cr.rowcount
            self.env.cr.execute(
                SQL(
                    """UPDATE alliance_quota_entry SET settlement_id = %(st)s
                        WHERE settlement_id IS NULL AND entry_type = 'purchase' AND pack_id IS NULL
                          AND merchant_id = %(m)s AND date < %(end)s""",
                    st=statement.id,
                    m=merchant.id,
                    end=end,
                )
            )
            locked += self.env.cr.rowcount
            if locked != statement.entry_count:
                # Same snapshot as the rebuild just above: a difference is a bug, never a race.
                raise UserError(self.env._("%s: the entries changed while confirming; try again.", statement.name))
            # The stage is the server's; the role and the figures were checked above.
            statement.sudo().stage = "confirmed"
            statement._alliance_log(self.env._("Confirmed: %s entries locked to this statement.", locked))
            if merchant.billing_mode == "postpaid" and merchant.credit_limit:
                # What this statement bills no longer counts against the merchant's credit.
                merchant._alliance_reset_credit()
        self.env["alliance.points.entry"].invalidate_model(["settlement_id"])
        return True

    def action_post(self):
        """Into the operator's books: an invoice and a bill to the merchant, and the operator's income."""
        self.env["alliance.settlement.period"]._check_settlement_access()
        operator = self._operator_company()
        statements = self
        if operator.id in self.env.user.company_ids.ids and operator not in self.env.companies:
            # The operator's books, whichever company the accountant has selected: its own companies
            # (the operator's among them) still bound what it may touch.
            statements = self.with_context(allowed_company_ids=[*self.env.companies.ids, operator.id])
        operator._alliance_ensure_settlement_books()
        Move = statements.env["account.move"].with_company(operator)
        for statement in statements:
            if statement.stage != "confirmed":
                raise UserError(self.env._("Only a confirmed statement can be posted (%s).", statement.name))
            alerts = self.env["alliance.risk.alert"]._open_high(statement.merchant_id)
            if alerts:
                raise UserError(
                    self.env._(
                        "%(statement)s cannot be posted: %(merchant)s has %(count)s open high-severity risk "
                        "alerts (%(names)s). Review them first.",
                        statement=statement.name,
                        merchant=statement.merchant_id.name,
                        count=len(alerts),
                        names=", ".join(alerts[:3].mapped("name")),
                    )
                )
            moves = Move.create(statement._alliance_move_vals(operator))
            moves.action_post()
            # The statement's moves and stage are the server's; the role was checked above.
            statement.sudo().write({"move_ids": [fields.Command.set(moves.ids)], "stage": "posted"})
            statement._alliance_log(self.env._("Posted in the operator's books: %s.", ", ".join(moves.mapped("name"))))
        return True

    def _alliance_log(self, body):
        """Who moved the statement, and when: in its history, authored by the user who did it.

        Statements are read-only to every user (they change only through their actions), and Odoo's
        chatter asks for write access to post: the server posts, the user is the author.
        """
        self.sudo().message_post(body=body, author_id=self.env.user.partner_id.id)

    def _alliance_move_vals(self, operator):
        """account.move values of the statement, in the operator's books.

        - What the merchant owes (packs, points issued, commission): a customer
          invoice, or a credit note when reversals make it negative. Points sold
          are a liability (合同负债) until redeemed or expired.
        - What the operator owes (points accepted): a vendor bill charged to
          that liability, or a refund.
        - The operator's income: the accepted points' value less their
          reimbursement (margin), and the value of expired points
          (breakage), both released from the liability in one entry.

        A merchant that settles by netting gets all of it in one entry whose
        net amount is on its receivable (or payable) account: one payment.
        """
        self.ensure_one()
        # The merchant's company is not one the operator's accountants work in; its partner is
        # the counterpart in the operator's books (shared, readable by them).
        partner = self.merchant_id.company_id.sudo().partner_id.sudo(False)
        liability = operator.alliance_liability_account_id
        owed = [
            (self.env._("Points bought: %s", self.points_bought), liability, self.amount_bought),
            (self.env._("Points issued: %s", self.points_issued), liability, self.amount_issued),
            (self.env._("Commission on member sales"), operator.alliance_commission_account_id, self.amount_commission),
        ]
        reimbursed = [(self.env._("Points accepted: %s", self.points_redeemed), liability, self.amount_reimbursed)]
        income = [
            (self.env._("Margin on points accepted"), operator.alliance_margin_account_id, self.amount_margin),
            (self.env._("Breakage: points expired"), operator.alliance_breakage_account_id, self.amount_breakage),
        ]
        if self.merchant_id.settlement_netting:
            return self._alliance_netting_vals(operator, partner, owed, reimbursed, income)
        vals = []
        for kind, journal, candidates in (
            ("out", operator.alliance_sale_journal_id, owed),
            ("in", operator.alliance_purchase_journal_id, reimbursed),
        ):
            lines = [line for line in candidates if not self.currency_id.is_zero(line[2])]
            total = sum(line[2] for line in lines)
            if not lines or self.currency_id.is_zero(total):
                continue
            sign = 1 if total > 0 else -1
            vals.append(
                {
                    "move_type": f"{kind}_invoice" if sign > 0 else f"{kind}_refund",
                    "partner_id": partner.id,
                    "journal_id": journal.id,
                    "invoice_date": self.date_to,
                    "date": self.date_to,
                    "currency_id": self.currency_id.id,
                    "ref": self.name,
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "name": name,
                                "account_id": account.id,
                                "quantity": 1,
                                "price_unit": sign * amount,
                                "tax_ids": [],
                            }
                        )
                        for name, account, amount in lines
                    ],
                }
            )
        income = [line for line in income if not self.currency_id.is_zero(line[2])]
        if income:
            released = sum(line[2] for line in income)
            vals.append(
                self._alliance_entry_vals(
                    operator,
                    [
                        (self.env._("Points liability released"), liability, released),
                        *[(n, a, -x) for n, a, x in income],
                    ],
                    partner,
                )
            )
        return vals

    def _alliance_entry_vals(self, operator, lines, partner):
        """A journal entry of ``lines`` [(label, account, signed amount: debit positive)]."""
        return {
            "move_type": "entry",
            "journal_id": operator.alliance_misc_journal_id.id,
            "date": self.date_to,
            "ref": self.name,
            "line_ids": [
                fields.Command.create(
                    {
                        "name": name,
                        "account_id": account.id,
                        "partner_id": partner.id,
                        "debit": max(amount, 0.0),
                        "credit": max(-amount, 0.0),
                    }
                )
                for name, account, amount in lines
                if not self.currency_id.is_zero(amount)
            ],
        }

    def _alliance_netting_vals(self, operator, partner, owed, reimbursed, income):
        """One entry: what each side owes, the operator's income, and the net on the merchant's account."""
        partner = partner.with_company(operator)
        released = sum(line[2] for line in income)
        lines = [
            *[(name, account, -amount) for name, account, amount in owed],
            *[(name, account, amount) for name, account, amount in reimbursed],
            (self.env._("Points liability released"), operator.alliance_liability_account_id, released),
            *[(name, account, -amount) for name, account, amount in income],
        ]
        net = self.amount_net
        account = partner.property_account_receivable_id if net >= 0 else partner.property_account_payable_id
        lines.append((self.env._("Net amount of %s", self.name), account, net))
        return [self._alliance_entry_vals(operator, lines, partner)]

    def action_open_entries(self):
        """The ledger entries the statement settles (confirmed), or would settle (draft)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("alliance_points.alliance_points_entry_action")
        if self.stage in ("confirmed", "posted"):
            action["domain"] = [("settlement_id", "=", self.id)]
        else:
            end = self._period_end(self.period_id)
            action["domain"] = [
                ("settlement_id", "=", False),
                ("merchant_id", "=", self.merchant_id.id),
                ("date", "<", fields.Datetime.to_string(end)),
            ]
        action["context"] = {}
        return action

    def action_open_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Journal Entries"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.move_ids.ids)],
        }

    def action_cancel(self):
        """Unlock the statement's entries: the next build settles them again."""
        self.env["alliance.settlement.period"]._check_settlement_access()
        for statement in self:
            if statement.stage == "cancel":
                continue
            if statement.move_ids.filtered(lambda m: m.state == "posted"):
                raise UserError(
                    self.env._("%s is in the books: reverse its journal entries first, then cancel it.", statement.name)
                )
            self.env.cr.execute(
                SQL("UPDATE alliance_points_entry SET settlement_id = NULL WHERE settlement_id = %s", statement.id)
            )
            self.env.cr.execute(
                SQL("UPDATE alliance_quota_entry SET settlement_id = NULL WHERE settlement_id = %s", statement.id)
            )
            # The stage is the server's; the role was checked above.
            statement.sudo().stage = "cancel"
            statement._alliance_log(self.env._("Cancelled: its entries are unlocked for the next build."))
            merchant = statement.merchant_id
            if merchant.billing_mode == "postpaid" and merchant.credit_limit:
                merchant._alliance_reset_credit()
        self.env["alliance.points.entry"].invalidate_model(["settlement_id"])
        return True

    # -- documents -----------------------------------------------------------------------

    def action_download_xlsx(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/alliance/settlement/statement/{self.id}/xlsx",
            "target": "download",
        }

    XLSX_COLUMNS = (
        "period_id",
        "merchant_id",
        "state",
        "points_bought",
        "amount_bought",
        "points_issued",
        "amount_issued",
        "points_redeemed",
        "amount_reimbursed",
        "amount_commission",
        "points_expired",
        "amount_net",
    )

    def _alliance_xlsx(self):
        """The statements as a workbook: one summary row each, then every line."""
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        formats = {
            "bold": book.add_format({"bold": True}),
            "money": book.add_format({"num_format": "#,##0.00"}),
            "total_money": book.add_format({"num_format": "#,##0.00", "bold": True, "top": 1}),
            "total": book.add_format({"bold": True, "top": 1}),
        }
        self._alliance_xlsx_summary(book.add_worksheet(self.env._("Statements")), formats)
        self._alliance_xlsx_lines(book.add_worksheet(self.env._("Lines")), formats)
        book.close()
        return buffer.getvalue()

    def _alliance_xlsx_cell(self, name):
        """What a summary cell shows: a name for relations and states, the number otherwise."""
        value = self[name]
        field = self._fields[name]
        if field.type == "many2one":
            return value.display_name
        if field.type == "selection":
            return dict(field._description_selection(self.env))[value]
        return value

    def _alliance_xlsx_summary(self, sheet, formats):
        columns = self.XLSX_COLUMNS
        for col, name in enumerate(columns):
            sheet.write(0, col, self._fields[name]._description_string(self.env), formats["bold"])
        for row, statement in enumerate(self, start=1):
            for col, name in enumerate(columns):
                money = self._fields[name].type == "monetary"
                sheet.write(row, col, statement._alliance_xlsx_cell(name), formats["money"] if money else None)
        # Totals as numbers, not formulas: whoever reads the file gets them without recalculating.
        last = len(self) + 1
        sheet.write(last, 0, self.env._("Total"), formats["bold"])
        currency = self[:1].currency_id
        for col, name in enumerate(columns[3:], start=3):
            if self._fields[name].type == "monetary":
                sheet.write_number(last, col, currency.round(sum(self.mapped(name))), formats["total_money"])
            else:
                sheet.write_number(last, col, sum(self.mapped(name)), formats["total"])
        sheet.set_column(0, 1, 24)
        sheet.set_column(2, len(columns), 14)

    def _alliance_xlsx_lines(self, sheet, formats):
        Line = self.env["alliance.settlement.line"]
        for col, name in enumerate(["statement_id", "kind", "points", "price", "base", "rate", "amount"]):
            sheet.write(0, col, Line._fields[name]._description_string(self.env), formats["bold"])
        kinds = dict(Line._fields["kind"]._description_selection(self.env))
        row = 1
        for line in self.line_ids:
            sheet.write_row(row, 0, [line.statement_id.name, kinds[line.kind], line.points])
            for col, value in ((3, line.price), (4, line.base), (6, line.amount)):
                sheet.write_number(row, col, value, formats["money"])
            sheet.write_number(row, 5, line.rate)
            row += 1
        sheet.set_column(0, 1, 28)
        sheet.set_column(2, 6, 16)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(statement.stage != "draft" for statement in self):
            raise UserError(self.env._("Only draft statements can be deleted; cancel a confirmed one."))


class AllianceSettlementLine(models.Model):
    _name = "alliance.settlement.line"
    _description = "Alliance Settlement Statement Line"
    _order = "statement_id, id"

    statement_id = fields.Many2one("alliance.settlement.statement", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="statement_id.company_id", store=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    kind = fields.Selection(LINE_KINDS, string="Item", required=True)
    points = fields.Integer()
    price = fields.Monetary(string="Price per 1,000 Points")
    base = fields.Monetary(string="Sales Base", help="Commission: the member sales it is a share of.")
    rate = fields.Float(string="Commission (%)", digits=(5, 2))
    amount = fields.Monetary(help="Positive: owed by the merchant. Negative: owed to the merchant.")
