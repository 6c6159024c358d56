"""What a merchant and the operator owe each other for a period.

A statement is built by SQL aggregation over the merchant's ledger entries
(and prepaid packs) that no confirmed statement holds yet, dated before the
end of its period. Building is idempotent: a draft is rebuilt from scratch.
Confirming rebuilds it once more and, in the same transaction and snapshot,
locks its entries to it; entries that arrive later (an offline order, a
reversal) stay unsettled and fall into the next period.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


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
    sms_bought = fields.Integer(string="SMS Bought", readonly=True)
    amount_sms = fields.Monetary(string="SMS Packs", readonly=True)
    sms_used = fields.Integer(string="SMS Sent", readonly=True, help="Messages its sales and campaigns sent.")
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

    # -- states ------------------------------------------------------------------------

    def action_confirm(self):
        """Rebuild, then lock the entries it was built from to the statement.

        The statements of one period are rebuilt together: one aggregate over
        the ledger for all of them (confirming a whole month costs one clearing
        and the lock UPDATEs, not a clearing per merchant).
        """
        self.env["alliance.settlement.period"]._check_settlement_access()
        Clearing = self.env["alliance.settlement.clearing"]
        for statement in self:
            if statement.stage != "draft":
                raise UserError(self.env._("Only a draft statement can be confirmed (%s).", statement.name))
        for period in self.period_id:
            statements = self.filtered(lambda s, p=period: s.period_id == p)
            merchants = statements.merchant_id
            # One confirmation per merchant at a time: two periods never claim the same entries. In id
            # order: two accountants confirming overlapping selections never wait on each other in a circle.
            self.env.cr.execute(
                SQL("SELECT id FROM alliance_merchant WHERE id = ANY(%s) ORDER BY id FOR UPDATE", merchants.ids)
            )
            fresh = Clearing._build(period, merchants.sorted("id"))
            end = Clearing._period_end(period)
            for statement in statements:
                if statement not in fresh:
                    # The rebuild found nothing unsettled for it (another period settled its entries).
                    raise UserError(
                        self.env._("%s has nothing left to settle: build the period again.", statement.name)
                    )
                locked = statement._alliance_lock_entries(end)
                if locked != statement.entry_count:
                    # Same snapshot as the rebuild just above: a difference is a bug, never a race.
                    raise UserError(self.env._("%s: the entries changed while confirming; try again.", statement.name))
                # The stage is the server's; the role and the figures were checked above.
                statement.sudo().stage = "confirmed"
                statement._alliance_log(self.env._("Confirmed: %s entries locked to this statement.", locked))
                merchant = statement.merchant_id
                if merchant.billing_mode == "postpaid" and merchant.credit_limit:
                    # What this statement bills no longer counts against the merchant's credit.
                    merchant._alliance_reset_credit()
        self.env["alliance.points.entry"].invalidate_model(["settlement_id"])
        return True

    def _alliance_locks(self):
        """[(table, column, condition, counted)]: what a statement locks (its ``column`` set to the statement),
        of the rows where ``condition`` holds (on the merchant ``%(m)s`` and the end ``%(end)s``).
        ``counted``: rows the clearing counts in ``entry_count``."""
        return [
            ("alliance_points_entry", "settlement_id", "merchant_id = %(m)s AND date < %(end)s", True),
            (
                "alliance_quota_entry",
                "settlement_id",
                "entry_type = 'purchase' AND pack_id IS NULL AND merchant_id = %(m)s AND date < %(end)s",
                True,
            ),
            ("alliance_sms_pack", "settlement_id", "merchant_id = %(m)s AND date < %(end)s", True),
            # The messages it used are shown, not billed (the packs were): counted once, on one statement.
            (
                "sms_sms",
                "alliance_settlement_id",
                "alliance_merchant_id = %(m)s AND alliance_quota_taken AND create_date < %(end)s",
                False,
            ),
        ]

    def _alliance_lock_entries(self, end):
        """Lock to the statement what it settles, dated before ``end``; how many rows: a hook.

        Every row counted here is counted in ``entry_count`` by the clearing.
        """
        self.ensure_one()
        locked = 0
        for table, column, condition, counted in self._alliance_locks():
            self.env.cr.execute(
                SQL(
                    "UPDATE %(table)s SET %(column)s = %(st)s WHERE %(column)s IS NULL AND " + condition,
                    table=SQL.identifier(table),
                    column=SQL.identifier(column),
                    st=self.id,
                    m=self.merchant_id.id,
                    end=end,
                )
            )
            locked += self.env.cr.rowcount if counted else 0
        return locked

    def _alliance_unlock_entries(self):
        """Cancelling: what ``_alliance_lock_entries`` locked is unsettled again."""
        self.ensure_one()
        for table, column, _condition, _counted in self._alliance_locks():
            self.env.cr.execute(
                SQL(
                    "UPDATE %(table)s SET %(column)s = NULL WHERE %(column)s = %(st)s",
                    table=SQL.identifier(table),
                    column=SQL.identifier(column),
                    st=self.id,
                )
            )

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
        owed, reimbursed, income = self._alliance_move_lines(operator)
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
                        (self.env._("Points liability released"), operator.alliance_liability_account_id, released),
                        *[(n, a, -x) for n, a, x in income],
                    ],
                    partner,
                )
            )
        return vals

    def _alliance_move_lines(self, operator):
        """(owed, reimbursed, income): [(label, account, amount)] lists, which later addons extend.

        Owed by the merchant and owed to it are positive amounts; income is released from the
        points liability.
        """
        liability = operator.alliance_liability_account_id
        owed = [
            (self.env._("Points bought: %s", self.points_bought), liability, self.amount_bought),
            (self.env._("Points issued: %s", self.points_issued), liability, self.amount_issued),
            (self.env._("Commission on member sales"), operator.alliance_commission_account_id, self.amount_commission),
            (self.env._("SMS packs: %s messages", self.sms_bought), operator.alliance_sms_account_id, self.amount_sms),
        ]
        reimbursed = [(self.env._("Points accepted: %s", self.points_redeemed), liability, self.amount_reimbursed)]
        income = [
            (self.env._("Margin on points accepted"), operator.alliance_margin_account_id, self.amount_margin),
            (self.env._("Breakage: points expired"), operator.alliance_breakage_account_id, self.amount_breakage),
        ]
        return owed, reimbursed, income

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
            end = self.env["alliance.settlement.clearing"]._period_end(self.period_id)
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
            statement._alliance_unlock_entries()
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

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(statement.stage != "draft" for statement in self):
            raise UserError(self.env._("Only draft statements can be deleted; cancel a confirmed one."))
