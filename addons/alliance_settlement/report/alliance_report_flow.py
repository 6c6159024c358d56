"""The flow matrix (客流互通): members of one merchant spending at another.

For each month and each pair (the merchant where the member's card was issued, the merchant
where the member earned or spent points): members, visits, sales with the card, points earned
and points accepted. The number that shows merchant C what A's members bring it.
"""

from odoo import fields, models, tools
from odoo.tools import SQL


class AllianceReportFlow(models.Model):
    _name = "alliance.report.flow"
    _description = "Alliance Flow Matrix"
    _auto = False
    _order = "month desc, source_merchant_id, dest_merchant_id"

    month = fields.Date(readonly=True, help="The month, in the alliance's time zone.")
    source_merchant_id = fields.Many2one("alliance.merchant", string="Member of", readonly=True)
    dest_merchant_id = fields.Many2one("alliance.merchant", string="Served at", readonly=True)
    # The names, for merchants that may not read one another's records (the flow shows who, never their totals).
    source_name = fields.Char(string="Member of (Name)", readonly=True)
    dest_name = fields.Char(string="Served at (Name)", readonly=True)
    source_company_id = fields.Many2one("res.company", readonly=True)
    dest_company_id = fields.Many2one("res.company", readonly=True)
    source_agent_id = fields.Many2one("alliance.agent", string="Agent of the Member's Merchant", readonly=True)
    dest_agent_id = fields.Many2one("alliance.agent", string="Agent of the Merchant Served", readonly=True)
    members = fields.Integer(string="Members (in the month)", readonly=True)
    visits = fields.Integer(readonly=True, help="Purchases with the card.")
    sales = fields.Monetary(string="Sales with the Card", readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", readonly=True)
    points_earned = fields.Integer(readonly=True)
    points_accepted = fields.Integer(readonly=True, help="Points the members paid with there.")
    amount_reimbursed = fields.Monetary(
        string="Paid for Points",
        readonly=True,
        currency_field="currency_id",
        help="What the operator pays the merchant served for the points the members paid with there.",
    )
    local = fields.Boolean(string="Own Members", readonly=True, help="The merchant's own members, at home.")

    def init(self):
        tz = self.env["alliance.points.engine"]._get_tz()
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS
SELECT f.id, f.month, f.source_merchant_id, f.dest_merchant_id, sm.name AS source_name, dm.name AS dest_name,
       sm.company_id AS source_company_id, dm.company_id AS dest_company_id, dm.currency_id,
       sm.agent_id AS source_agent_id, dm.agent_id AS dest_agent_id,
       f.members, f.visits, f.sales, f.points_earned, f.points_accepted,
       f.points_accepted * dm.reimburse_price / 1000 AS amount_reimbursed,
       f.source_merchant_id = f.dest_merchant_id AS local
  FROM (SELECT MIN(e.id) AS id,
               date_trunc('month', e.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS month,
               c.issuer_merchant_id AS source_merchant_id, e.merchant_id AS dest_merchant_id,
               COUNT(DISTINCT c.partner_id) FILTER (WHERE e.entry_type IN ('earn', 'redeem')) AS members,
               COUNT(*) FILTER (WHERE e.entry_type = 'earn') AS visits,
               COALESCE(SUM(e.amount) FILTER (WHERE COALESCE(o.entry_type, e.entry_type) = 'earn'), 0) AS sales,
               COALESCE(SUM(e.points) FILTER (WHERE COALESCE(o.entry_type, e.entry_type) = 'earn'), 0)
                   AS points_earned,
               COALESCE(-SUM(e.points) FILTER (WHERE COALESCE(o.entry_type, e.entry_type) = 'redeem'), 0)
                   AS points_accepted
          FROM alliance_points_entry e
          JOIN alliance_card c ON c.id = e.card_id
          LEFT JOIN alliance_points_entry o ON o.id = e.reversed_entry_id
         WHERE e.merchant_id IS NOT NULL AND c.issuer_merchant_id IS NOT NULL
           AND (e.entry_type IN ('earn', 'redeem') OR o.entry_type IN ('earn', 'redeem'))
      GROUP BY 2, 3, 4) f
  JOIN alliance_merchant sm ON sm.id = f.source_merchant_id
  JOIN alliance_merchant dm ON dm.id = f.dest_merchant_id""",
                table=SQL.identifier(self._table),
                tz=tz,
            )
        )
