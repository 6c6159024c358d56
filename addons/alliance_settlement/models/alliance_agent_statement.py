"""What the operator owes a regional agent (加盟商) for a period, and the vendor bill that pays it.

Built from the period's merchant statements once the accountants have confirmed them: the agent's
share of what the operator earned on its merchants (redemption margin, breakage, commission) and
its fees (per active merchant, per member enrolled). A draft is rebuilt from scratch; a posted one
stays as billed.
"""

from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class AllianceAgentStatement(models.Model):
    _name = "alliance.agent.statement"
    _description = "Alliance Agent Statement"
    _inherit = ["mail.thread"]
    _order = "date_from desc, agent_id"

    name = fields.Char(compute="_compute_name", store=True)
    period_id = fields.Many2one("alliance.settlement.period", required=True, ondelete="restrict", index=True)
    agent_id = fields.Many2one("alliance.agent", required=True, ondelete="restrict", index=True)
    partner_id = fields.Many2one(related="agent_id.partner_id")
    date_from = fields.Date(related="period_id.date_from", store=True)
    date_to = fields.Date(related="period_id.date_to", store=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    share_rate = fields.Float(string="Share (%)", digits=(5, 2), readonly=True)
    line_ids = fields.One2many("alliance.agent.statement.line", "statement_id", string="Merchants", readonly=True)
    amount_base = fields.Monetary(string="Operator Income", readonly=True)
    amount_share = fields.Monetary(string="Share", readonly=True)
    amount_fees = fields.Monetary(string="Fees", readonly=True)
    amount_total = fields.Monetary(string="Total Due to the Agent", readonly=True)
    move_id = fields.Many2one("account.move", string="Vendor Bill", readonly=True, copy=False)

    _one_per_agent = models.UniqueIndex(
        "(period_id, agent_id) WHERE state != 'cancel'", "An agent has one statement per period."
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(self.env._("Agent statements are built from the merchants' statements, not by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and any(not key.startswith(("message_", "activity_")) for key in vals):
            raise UserError(self.env._("An agent statement changes only through its actions: %s.", self[:1].name))
        return super().write(vals)

    @api.depends("period_id.name", "agent_id.name")
    def _compute_name(self):
        for statement in self:
            statement.name = f"{statement.period_id.name} / {statement.agent_id.name}"

    # -- building ------------------------------------------------------------------------

    @api.model
    def _build_period(self, period):
        """(Re)build the draft agent statements of ``period``; posted ones stay as billed."""
        Statement = self.sudo()
        existing = Statement.search([("period_id", "=", period.id), ("state", "!=", "cancel")])
        posted = existing.filtered(lambda s: s.state == "posted")
        existing.filtered(lambda s: s.state == "draft").unlink()
        agents = self.env["alliance.agent"].sudo().search([("merchant_ids", "!=", False)]) - posted.agent_id
        merchant_statements = (
            self.env["alliance.settlement.statement"]
            .sudo()
            .search(
                [
                    ("period_id", "=", period.id),
                    ("merchant_id.agent_id", "in", agents.ids),
                    ("stage", "in", ("confirmed", "posted")),
                ]
            )
        )
        new_members = self._get_new_members(period, agents.merchant_ids)
        built = Statement
        for agent in agents:
            lines = [
                self._prepare_line(agent, statement, new_members.get(statement.merchant_id.id, 0))
                for statement in merchant_statements.filtered(lambda s, a=agent: s.merchant_id.agent_id == a)
            ]
            if not lines:
                continue
            built |= Statement.create(self._prepare_statement(period, agent, lines))
        return built

    @api.model
    def _get_new_members(self, period, merchants):
        """{merchant id: members it enrolled in ``period``} (replacement cards are not new members)."""
        Period = self.env["alliance.settlement.period"]
        start = Period._utc_midnight_after(period.date_from - relativedelta(days=1))
        end = Period._utc_midnight_after(period.date_to)
        self.env["alliance.card"].flush_model()
        return dict(
            self.env.execute_query(
                SQL(
                    """SELECT issuer_merchant_id, COUNT(*) FROM alliance_card
                        WHERE issuer_merchant_id = ANY(%s) AND replaces_id IS NULL
                          AND create_date >= %s AND create_date < %s
                     GROUP BY issuer_merchant_id""",
                    merchants.ids,
                    start,
                    end,
                )
            )
        )

    @api.model
    def _prepare_line(self, agent, statement, new_members):
        """A merchant's line: what the operator earned on it, the agent's share and fees (a hook)."""
        currency = agent.currency_id
        base = Decimal(str(statement.amount_margin)) + Decimal(str(statement.amount_breakage))
        base += Decimal(str(statement.amount_commission))
        share = currency.round(float(base * Decimal(str(agent.share_rate)) / 100))
        active = bool(statement.entry_count)
        fees = Decimal(str(agent.fee_per_merchant)) * active + Decimal(str(agent.fee_per_member)) * new_members
        fees = currency.round(float(fees))
        return {
            "merchant_id": statement.merchant_id.id,
            "merchant_statement_id": statement.id,
            "amount_margin": statement.amount_margin,
            "amount_breakage": statement.amount_breakage,
            "amount_commission": statement.amount_commission,
            "amount_base": currency.round(float(base)),
            "amount_share": share,
            "merchant_active": active,
            "new_members": new_members,
            "amount_fees": fees,
            "amount_total": currency.round(share + fees),
        }

    @api.model
    def _prepare_statement(self, period, agent, lines):
        currency = agent.currency_id

        def total(key):
            return currency.round(float(sum(Decimal(str(line[key])) for line in lines)))

        return {
            "period_id": period.id,
            "agent_id": agent.id,
            "currency_id": currency.id,
            "share_rate": agent.share_rate,
            "amount_base": total("amount_base"),
            "amount_share": total("amount_share"),
            "amount_fees": total("amount_fees"),
            "amount_total": total("amount_total"),
            "line_ids": [fields.Command.create(line) for line in lines],
        }

    # -- the books ---------------------------------------------------------------------------

    def action_post(self):
        """A vendor bill to the agent in the operator's books: the agents' commissions are a selling expense."""
        self.env["alliance.settlement.period"]._check_settlement_access()
        operator = self.env["alliance.merchant"]._get_operator_company()
        operator._alliance_ensure_settlement_books()
        Move = self.env["account.move"].with_company(operator)
        if operator not in self.env.companies and operator.id in self.env.user.company_ids.ids:
            Move = Move.with_context(allowed_company_ids=[*self.env.companies.ids, operator.id])
        for statement in self:
            if statement.state != "draft":
                raise UserError(self.env._("Only a draft agent statement can be posted (%s).", statement.name))
            if not statement.agent_id.partner_id:
                raise UserError(
                    self.env._("%s has no contact to bill: set the agent's contact first.", statement.agent_id.name)
                )
            if statement.currency_id.is_zero(statement.amount_total):
                raise UserError(self.env._("%s owes the agent nothing: there is nothing to bill.", statement.name))
            move = Move.create(statement._prepare_bill_vals(operator))
            move.action_post()
            # The bill and the state are the server's; the role was checked above.
            statement.sudo().write({"move_id": move.id, "state": "posted"})
            statement.sudo().message_post(
                body=self.env._("Billed in the operator's books: %s.", move.name), author_id=self.env.user.partner_id.id
            )
        return True

    def _prepare_bill_vals(self, operator):
        self.ensure_one()
        account = operator.alliance_agent_account_id
        # Reversals can leave the agent owing: a refund, its lines the other way round.
        sign = 1 if self.amount_total > 0 else -1
        lines = [
            fields.Command.create(
                {
                    "name": self.env._(
                        "%(merchant)s: share %(share)s, fees %(fees)s",
                        merchant=line.merchant_id.name,
                        share=line.amount_share,
                        fees=line.amount_fees,
                    ),
                    "account_id": account.id,
                    "quantity": 1,
                    "price_unit": sign * line.amount_total,
                    "tax_ids": [],
                }
            )
            for line in self.line_ids
            if not self.currency_id.is_zero(line.amount_total)
        ]
        return {
            "move_type": "in_invoice" if sign > 0 else "in_refund",
            "partner_id": self.agent_id.partner_id.id,
            "journal_id": operator.alliance_purchase_journal_id.id,
            "invoice_date": self.date_to,
            "date": self.date_to,
            "currency_id": self.currency_id.id,
            "ref": self.name,
            "invoice_line_ids": lines,
        }

    def action_cancel(self):
        self.env["alliance.settlement.period"]._check_settlement_access()
        for statement in self:
            if statement.move_id.state == "posted":
                raise UserError(
                    self.env._("%s is in the books: reverse its vendor bill first, then cancel it.", statement.name)
                )
            statement.sudo().state = "cancel"
        return True
