from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL


class AllianceSettlementPeriod(models.Model):
    """A clearing period: one statement per merchant with activity in it."""

    _name = "alliance.settlement.period"
    _description = "Alliance Settlement Period"
    _order = "date_from desc"

    name = fields.Char(required=True)
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    statement_ids = fields.One2many("alliance.settlement.statement", "period_id", string="Statements")
    agent_statement_ids = fields.One2many("alliance.agent.statement", "period_id", string="Agent Statements")
    statement_count = fields.Integer(compute="_compute_totals")
    amount_net = fields.Monetary(compute="_compute_totals", currency_field="currency_id")
    points_issued = fields.Integer(compute="_compute_totals")
    points_redeemed = fields.Integer(string="Points Accepted", compute="_compute_totals")
    points_expired = fields.Integer(compute="_compute_totals")
    # The operator's figures (its margin, breakage, the whole alliance's points and liability): its
    # accountants only, in views, RPC and reports alike.
    amount_margin = fields.Monetary(
        string="Operator Margin",
        compute="_compute_totals",
        currency_field="currency_id",
        groups="alliance_member.group_alliance_accountant",
    )
    amount_breakage = fields.Monetary(
        string="Breakage",
        compute="_compute_totals",
        currency_field="currency_id",
        groups="alliance_member.group_alliance_accountant",
    )
    outstanding_points = fields.Integer(
        compute="_compute_outstanding",
        groups="alliance_member.group_alliance_accountant",
        help="Points members held at the end of the period, over the whole alliance.",
    )
    outstanding_value = fields.Monetary(
        string="Liability",
        compute="_compute_outstanding",
        currency_field="currency_id",
        groups="alliance_member.group_alliance_accountant",
        help="What the points members held at the end of the period had been sold for: each lot at its issuer's price.",
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env["alliance.merchant"]._get_operator_company().currency_id
    )
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        compute="_compute_state",
        help="Closed: every statement is confirmed or further.",
    )

    _dates = models.Constraint("CHECK(date_from <= date_to)", "A period cannot end before it starts.")

    @api.constrains("date_from", "date_to")
    def _check_overlap(self):
        for period in self:
            if self.search_count(
                [("id", "!=", period.id), ("date_from", "<=", period.date_to), ("date_to", ">=", period.date_from)]
            ):
                raise ValidationError(self.env._("Settlement periods cannot overlap."))

    def _compute_totals(self):
        for period in self:
            statements = period.statement_ids.filtered(lambda s: s.state != "cancel")
            period.statement_count = len(statements)
            period.amount_net = sum(statements.mapped("amount_net"))
            period.points_issued = sum(statements.mapped("points_issued"))
            period.points_redeemed = sum(statements.mapped("points_redeemed"))
            period.points_expired = sum(statements.mapped("points_expired"))
            # The operator's figures: its accountants only read them (field groups on the statement).
            sudo = statements.sudo()
            period.amount_margin = sum(sudo.mapped("amount_margin"))
            period.amount_breakage = sum(sudo.mapped("amount_breakage"))

    def _compute_outstanding(self):
        """Points members held at the end of the period, and what they had been sold for.

        From the lots: credited before the end, less what entries dated before
        the end took from them (uses and expiries), each lot at its issuer's price.
        """
        for model in ("alliance.points.lot", "alliance.points.lot.move", "alliance.points.entry"):
            self.env[model].flush_model()
        for period in self:
            end = self.env["alliance.settlement.clearing"]._period_end(period)
            [(points, value_k)] = self.env.execute_query(
                SQL(
                    """
WITH lots AS (
    SELECT l.id, l.points, COALESCE(m.issue_price, 0) AS price
      FROM alliance_points_lot l LEFT JOIN alliance_merchant m ON m.id = l.merchant_id
     WHERE l.date < %(end)s
), taken AS (
    SELECT mv.lot_id, mv.points FROM alliance_points_lot_move mv
      JOIN alliance_points_entry e ON e.id = mv.entry_id WHERE e.date < %(end)s
    UNION ALL
    SELECT l.id, -e.points FROM alliance_points_lot l
      JOIN alliance_points_entry e ON e.id = l.expire_entry_id WHERE e.date < %(end)s
)
SELECT COALESCE(SUM(q.points), 0), COALESCE(SUM(q.points * q.price), 0)
  FROM (SELECT points, price FROM lots
        UNION ALL
        SELECT -t.points, lots.price FROM taken t JOIN lots ON lots.id = t.lot_id) q""",
                    end=end,
                )
            )
            period.outstanding_points = points
            period.outstanding_value = period.currency_id.round(float(value_k) / 1000)

    @api.depends("statement_ids.state")
    def _compute_state(self):
        for period in self:
            draft = period.statement_ids.filtered(lambda s: s.state == "draft")
            period.state = "open" if draft or not period.statement_ids else "closed"

    @api.model
    def _month_of(self, day):
        """The monthly period holding ``day``, created when missing (monthly is the default cycle)."""
        first = day.replace(day=1)
        period = self.search([("date_from", "<=", day), ("date_to", ">=", day)], limit=1)
        if period:
            return period
        return self.create(
            {"name": first.strftime("%Y-%m"), "date_from": first, "date_to": first + relativedelta(months=1, days=-1)}
        )

    @api.model
    def _utc_midnight_after(self, day):
        """The UTC instant the operator's day after ``day`` begins: ledger dates are UTC."""
        tz = pytz.timezone(self.env["alliance.points.engine"]._get_tz())
        local = tz.localize(datetime.combine(day + relativedelta(days=1), time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _cron_build_last_month(self, commit=True):
        """Monthly: last month's statements, drafts for the accountants to check and confirm.

        ``commit``: after each batch of merchants (the cron; a test cannot commit).
        """
        first = self.env["alliance.points.engine"]._today().replace(day=1) - relativedelta(months=1)
        self.env["alliance.settlement.clearing"]._build_period(self._month_of(first), commit=commit)

    @api.model
    def _demo_build(self):
        """Demo: this month's statements, drafts, so that the menus have something to show."""
        self.env["alliance.settlement.clearing"]._build_period(
            self._month_of(self.env["alliance.points.engine"]._today())
        )

    def action_build(self):
        """Build (or rebuild, while draft) one statement per merchant with unsettled activity."""
        self._check_settlement_access()
        for period in self:
            self.env["alliance.settlement.clearing"]._build_period(period)
        return True

    def action_build_agents(self):
        """The agents' statements, from the merchant statements confirmed so far (drafts rebuilt)."""
        self._check_settlement_access()
        for period in self:
            self.env["alliance.agent.statement"]._build_period(period)
        return self.action_open_agent_statements()

    def action_open_agent_statements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("alliance_settlement.alliance_agent_statement_action")
        action["domain"] = [("period_id", "=", self.id)]
        return action

    def action_confirm_all(self):
        self._check_settlement_access()
        self.statement_ids.filtered(lambda s: s.state == "draft").action_confirm()
        return True

    def _check_settlement_access(self):
        if not self.env.user.has_group("alliance_member.group_alliance_accountant"):
            raise UserError(self.env._("Only the operator's accountants build and confirm statements."))

    def action_download_xlsx(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/alliance/settlement/period/{self.id}/xlsx",
            "target": "download",
        }

    def action_open_statements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "alliance_settlement.alliance_settlement_statement_action"
        )
        action["domain"] = [("period_id", "=", self.id)]
        action["context"] = {"default_period_id": self.id}
        return action
