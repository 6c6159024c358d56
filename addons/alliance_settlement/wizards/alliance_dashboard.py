"""The dashboards (经营看板): the operator's and a merchant's, in the backend and on the portal.

Figures come from the reports' SQL views, aggregated by PostgreSQL (``_read_group``), never
from Python loops over the ledger. A merchant's figures are always the caller's own merchant,
never one named by a client.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, html_escape

MERCHANT_MEASURES = ["sales", "member", "new_members", "points_issued", "points_accepted", "amount_due"]
QUOTA_LOW_POINTS = 1000


class AllianceDashboard(models.TransientModel):
    _name = "alliance.dashboard"
    _description = "Alliance Dashboard"

    scope = fields.Selection([("operator", "Operator"), ("merchant", "Merchant")], required=True, readonly=True)
    merchant_id = fields.Many2one("alliance.merchant", readonly=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_figures")
    # The operator's.
    liability_points = fields.Integer(string="Points Outstanding", compute="_compute_figures")
    liability_value = fields.Monetary(string="Points Liability", compute="_compute_figures")
    cash_received = fields.Monetary(string="Cash Received for Points", compute="_compute_figures")
    coverage_pct = fields.Float(string="Coverage (%)", digits=(16, 1), compute="_compute_figures")
    breakage_pct = fields.Float(string="Breakage Rate (%)", digits=(16, 1), compute="_compute_figures")
    margin_month = fields.Monetary(string="Operator Margin (this month)", compute="_compute_figures")
    risk_alerts = fields.Integer(string="Open Risk Alerts", compute="_compute_figures")
    quota_low = fields.Integer(string="Merchants Low on Quota", compute="_compute_figures")
    top_html = fields.Html(string="Top Merchants", compute="_compute_figures", sanitize=False)
    # The merchant's: this month and last.
    sales_this = fields.Monetary(string="Sales with Members", compute="_compute_figures")
    sales_last = fields.Monetary(string="Sales with Members (last month)", compute="_compute_figures")
    members_this = fields.Integer(string="Members Served", compute="_compute_figures")
    members_last = fields.Integer(string="Members Served (last month)", compute="_compute_figures")
    new_this = fields.Integer(string="New Members", compute="_compute_figures")
    new_last = fields.Integer(string="New Members (last month)", compute="_compute_figures")
    issued_this = fields.Integer(string="Points Issued", compute="_compute_figures")
    issued_last = fields.Integer(string="Points Issued (last month)", compute="_compute_figures")
    accepted_this = fields.Integer(string="Points Accepted", compute="_compute_figures")
    accepted_last = fields.Integer(string="Points Accepted (last month)", compute="_compute_figures")
    quota_left = fields.Integer(compute="_compute_figures")
    net_due = fields.Monetary(compute="_compute_figures", help="Positive: owed to the operator. Negative: owed to you.")
    sources_html = fields.Html(string="Where Customers Come From", compute="_compute_figures", sanitize=False)

    @api.model_create_multi
    def create(self, vals_list):
        # Its figures are read with the server's rights: whose they are is decided here, never by the client.
        own = self.env["alliance.merchant"]._merchant_id_of_company(self.env.company.id)
        for vals in vals_list:
            if vals.get("scope") == "operator":
                self.env["alliance.settlement.period"]._check_settlement_access()
            elif vals.get("merchant_id") != own or not own:
                raise AccessError(self.env._("A merchant's dashboard is its own managers' only."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("A dashboard's figures are the server's."))
        return super().write(vals)

    # -- the figures ---------------------------------------------------------------------

    @api.model
    def _get_month_starts(self, month=None):
        """UTC instants: the start of the month before ``month`` (this month by default), of ``month``
        and of the month after, in the alliance's time zone."""
        Period = self.env["alliance.settlement.period"]
        first = (month or self.env["alliance.points.engine"]._today()).replace(day=1)
        return [
            Period._utc_midnight_after(day - relativedelta(days=1))
            for day in (first - relativedelta(months=1), first, first + relativedelta(months=1))
        ]

    @api.model
    def _get_merchant_figures(self, merchant, month=None):
        """{this: {...}, last: {...}, quota_left, net_due, sources: [(name, members, sales)], days: [(day, sales)]}
        of ``merchant`` for ``month`` (its first day; this month by default) and the month before.

        The merchant is the caller's own (the backend's company, the portal user's merchant): read
        with the server's rights so that a portal manager, who reads no report, sees its own figures.
        """
        last_start, this_start, next_start = self._get_month_starts(month)
        tz = self.env["alliance.points.engine"]._get_tz()
        Report = self.env["alliance.report.merchant"].sudo().with_context(tz=tz)
        # The merchant's rows by its company, as its rule reads them: each table's (company, date) index
        # reads the merchant's own period, not the whole alliance's.
        mine = [("company_id", "=", merchant.company_id.id)]
        # Both months in one read, by month in the alliance's time zone.
        months = Report._read_group(
            [*mine, ("date", ">=", last_start), ("date", "<", next_start)],
            ["date:month"],
            [f"{name}:{Report._fields[name].aggregator}" for name in MERCHANT_MEASURES],
        )
        by_month = {start.date(): values for start, *values in months}
        first = (month or self.env["alliance.points.engine"]._today()).replace(day=1)
        empty = [0] * len(MERCHANT_MEASURES)
        figures = {
            key: dict(zip(MERCHANT_MEASURES, by_month.get(day) or empty, strict=True))
            for key, day in (("this", first), ("last", first - relativedelta(months=1)))
        }
        Flow = self.env["alliance.report.flow"].sudo()
        sources = Flow._read_group(
            [
                # By the merchant's company, as the ledger's (company_id, date) index has it: by merchant,
                # PostgreSQL reads the whole alliance's month through the date index and keeps one merchant's.
                ("dest_company_id", "=", merchant.company_id.id),
                ("date", ">=", this_start),
                ("date", "<", next_start),
                ("local", "=", False),
            ],
            ["source_name"],
            ["members:count_distinct", "sales:sum"],
            order="sales:sum desc",
            limit=5,
        )
        statements = (
            self.env["alliance.settlement.statement"]
            .sudo()
            ._read_group(
                [("merchant_id", "=", merchant.id), ("state", "in", ("confirmed", "posted"))], [], ["amount_net:sum"]
            )
        )
        # By day in the alliance's time zone (the report's dates are UTC): the month's chart.
        days = Report._read_group(
            [*mine, ("date", ">=", this_start), ("date", "<", next_start)],
            ["date:day"],
            ["sales:sum"],
            order="date:day",
        )
        figures.update(
            month=first,
            days=[(day.date(), sales) for day, sales in days],
            quota_left=merchant.sudo().quota_balance,
            net_due=statements[0][0],
            sources=sources,
            currency=merchant.currency_id,
        )
        return figures

    @api.model
    def _get_operator_figures(self):
        """The alliance's figures for the operator: liability, coverage, breakage, margin, top merchants, risks."""
        for model in ("alliance.points.lot", "alliance.settlement.statement"):
            self.env[model].flush_model()
        [(points, value_k)] = self.env.execute_query(
            SQL(
                """SELECT COALESCE(SUM(l.remaining), 0), COALESCE(SUM(l.remaining * m.issue_price), 0)
                     FROM alliance_points_lot l LEFT JOIN alliance_merchant m ON m.id = l.merchant_id
                    WHERE l.remaining > 0"""
            )
        )
        Statement = self.env["alliance.settlement.statement"].sudo()
        paid = Statement._read_group([("state", "=", "paid")], [], ["amount_bought:sum", "amount_issued:sum"])[0]
        _last_start, this_start, next_start = self._get_month_starts()
        [(issued, _accepted, expired)] = self._get_points_moved(this_start - relativedelta(months=11), next_start)
        top = self._get_points_moved(this_start, next_start, by_merchant=True, limit=5)
        Merchant = self.env["alliance.merchant"].sudo()
        top = [(Merchant.browse(merchant_id), issued_m, accepted_m) for merchant_id, issued_m, accepted_m, _e in top]
        this_period = self.env["alliance.settlement.period"].search(
            [("date_from", "<=", fields.Date.to_date(self.env["alliance.points.engine"]._today()))],
            order="date_from desc",
            limit=1,
        )
        margin = Statement._read_group(
            [("period_id", "=", this_period.id), ("state", "!=", "cancel")],
            [],
            ["amount_margin:sum", "amount_breakage:sum"],
        )[0]
        currency = self.env["alliance.merchant"]._get_operator_company().currency_id
        liability = currency.round(float(value_k) / 1000)
        received = currency.round((paid[0] or 0.0) + (paid[1] or 0.0))
        return {
            "currency": currency,
            "liability_points": points,
            "liability_value": liability,
            "cash_received": received,
            "coverage_pct": round(100.0 * received / liability, 1) if liability else 0.0,
            "breakage_pct": round(100.0 * expired / issued, 1) if issued else 0.0,
            "margin_month": currency.round((margin[0] or 0.0) + (margin[1] or 0.0)),
            "risk_alerts": self.env["alliance.risk.alert"].sudo().search_count([("state", "=", "open")]),
            "quota_low": self.env["alliance.merchant"]
            .sudo()
            .search_count(
                [("state", "=", "active"), ("billing_mode", "=", "prepaid"), ("quota_balance", "<", QUOTA_LOW_POINTS)]
            ),
            "top": top,
        }

    @api.model
    def _get_points_moved(self, start, end, by_merchant=False, limit=None):
        """[([merchant id,] issued, accepted, expired)] between two UTC instants, as the statements count
        them (a reversal counts as what it reverses): one aggregate over the ledger's date index."""
        self.env["alliance.points.entry"].flush_model()
        return self.env.execute_query(
            SQL(
                """
SELECT %(key)s COALESCE(SUM(e.points) FILTER (WHERE e.kind IN ('earn', 'referral')), 0),
       COALESCE(-SUM(e.points) FILTER (WHERE e.kind = 'redeem'), 0),
       COALESCE(-SUM(e.points) FILTER (WHERE e.kind IN ('expire', 'debt')), 0)
  FROM (SELECT e.merchant_id, e.points, COALESCE(e.reversed_type, e.entry_type) AS kind
          FROM alliance_points_entry e
         WHERE e.date >= %(start)s AND e.date < %(end)s AND e.merchant_id IS NOT NULL) e
 %(group)s""",
                key=SQL("e.merchant_id,") if by_merchant else SQL(),
                start=start,
                end=end,
                group=SQL("GROUP BY e.merchant_id ORDER BY 2 DESC LIMIT %s", limit) if by_merchant else SQL(),
            )
        )

    # -- the backend's dashboard -----------------------------------------------------------

    @api.depends("scope", "merchant_id")
    def _compute_figures(self):
        for board in self:
            zero = dict.fromkeys(
                [name for name, field in self._fields.items() if field.compute == "_compute_figures"], False
            )
            board.update(zero)
            if board.scope == "operator":
                board._fill_operator(self._get_operator_figures())
            elif board.scope == "merchant" and board.merchant_id:
                board._fill_merchant(self._get_merchant_figures(board.merchant_id))

    def _fill_operator(self, fig):
        rows = "".join(
            f"<tr><td>{html_escape(merchant.name)}</td>"
            f"<td class='text-end'>{issued}</td><td class='text-end'>{accepted}</td></tr>"
            for merchant, issued, accepted in fig["top"]
        )
        self.update(
            {
                **{
                    key: fig[key]
                    for key in (
                        "liability_points",
                        "liability_value",
                        "cash_received",
                        "coverage_pct",
                        "breakage_pct",
                        "margin_month",
                        "risk_alerts",
                        "quota_low",
                    )
                },
                "currency_id": fig["currency"].id,
                "top_html": self._html_table(
                    [self.env._("Merchant"), self.env._("Points Issued"), self.env._("Points Accepted")], rows
                ),
            }
        )

    def _fill_merchant(self, fig):
        this, last = fig["this"], fig["last"]
        rows = "".join(
            f"<tr><td>{html_escape(name)}</td>"
            f"<td class='text-end'>{members}</td><td class='text-end'>{sales:.2f}</td></tr>"
            for name, members, sales in fig["sources"]
        )
        self.update(
            {
                "currency_id": fig["currency"].id,
                "sales_this": this["sales"],
                "sales_last": last["sales"],
                "members_this": this["member"],
                "members_last": last["member"],
                "new_this": this["new_members"],
                "new_last": last["new_members"],
                "issued_this": this["points_issued"],
                "issued_last": last["points_issued"],
                "accepted_this": this["points_accepted"],
                "accepted_last": last["points_accepted"],
                "quota_left": fig["quota_left"],
                "net_due": fig["net_due"],
                "sources_html": self._html_table(
                    [self.env._("Member of"), self.env._("Members"), self.env._("Sales")], rows
                ),
            }
        )

    @api.model
    def _html_table(self, headers, rows):
        head = "".join(f"<th>{html_escape(header)}</th>" for header in headers)
        body = rows or f"<tr><td colspan='{len(headers)}' class='text-muted'>{self.env._('Nothing yet')}</td></tr>"
        return f"<table class='table table-sm o_alliance_dashboard_table'><tr>{head}</tr>{body}</table>"

    @api.model
    def action_open(self, scope):
        """The dashboard of ``scope``: the operator's (its accountants), or the caller's merchant's."""
        if scope == "operator":
            self.env["alliance.settlement.period"]._check_settlement_access()
            vals = {"scope": "operator"}
        else:
            merchant_id = self.env["alliance.merchant"]._merchant_id_of_company(self.env.company.id)
            vals = {"scope": "merchant", "merchant_id": merchant_id}
        board = self.create(vals)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dashboard"),
            "res_model": self._name,
            "res_id": board.id,
            "view_mode": "form",
            "views": [(self.env.ref(f"alliance_settlement.alliance_dashboard_view_form_{scope}").id, "form")],
            "target": "current",
        }

    def action_open_report(self):
        """The month's activity as a graph: the merchant's own, or every merchant's for the operator."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("alliance_settlement.alliance_report_merchant_action")
        action["views"] = [(False, "graph"), (False, "pivot"), (False, "list")]
        if self.scope == "merchant":
            action["domain"] = [("merchant_id", "=", self.merchant_id.id)]
        return action

    def action_open_liability_trend(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("alliance_settlement.alliance_report_merchant_action")
        action["views"] = [
            (self.env.ref("alliance_settlement.alliance_report_merchant_view_graph_liability").id, "graph")
        ]
        action["context"] = {}
        return action

    def action_open_flow(self):
        self.ensure_one()
        return self.env["ir.actions.act_window"]._for_xml_id("alliance_settlement.alliance_report_flow_action")
