"""The flow matrix (客流互通): members of one merchant spending at another.

For each pair (the merchant where the member's card was issued, the merchant where the member
earned or spent points): members, visits, sales with the card, points earned and accepted, and
what the operator pays for those points. The number that shows merchant C what A's members bring it.

One row per ledger entry, added up by the pivot (members counted distinct): a month's matrix reads
that month's entries through the ledger's date index, as a bare ``GROUP BY`` over them would.
"""

from odoo import fields, models, tools
from odoo.tools import SQL


class AllianceReportFlow(models.Model):
    _name = "alliance.report.flow"
    _description = "Alliance Flow Matrix"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(readonly=True)
    source_merchant_id = fields.Many2one("alliance.merchant", string="Member of", readonly=True)
    dest_merchant_id = fields.Many2one("alliance.merchant", string="Served at", readonly=True)
    # The names, for merchants that may not read one another's records (the flow shows who, never their totals).
    source_name = fields.Char(string="Member of (Name)", readonly=True)
    dest_name = fields.Char(string="Served at (Name)", readonly=True)
    source_company_id = fields.Many2one("res.company", readonly=True)
    dest_company_id = fields.Many2one("res.company", readonly=True)
    source_agent_id = fields.Many2one("alliance.agent", string="Agent of the Member's Merchant", readonly=True)
    dest_agent_id = fields.Many2one("alliance.agent", string="Agent of the Merchant Served", readonly=True)
    trade_id = fields.Many2one("alliance.trade", string="Trade Served", readonly=True)
    region = fields.Char(string="Region Served", readonly=True)
    card_type_id = fields.Many2one("alliance.card.type", readonly=True)
    tier_id = fields.Many2one("alliance.tier", readonly=True)
    # The member's id, only ever counted (distinct): no name, no contact.
    members = fields.Integer(readonly=True, aggregator="count_distinct")
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
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS
SELECT e.id, e.date, c.issuer_merchant_id AS source_merchant_id, e.merchant_id AS dest_merchant_id,
       sm.name AS source_name, dm.name AS dest_name, sm.company_id AS source_company_id,
       e.company_id AS dest_company_id, sm.agent_id AS source_agent_id, dm.agent_id AS dest_agent_id,
       dm.currency_id, dm.trade_id, dm.region, c.type_id AS card_type_id, c.tier_id,
       CASE WHEN e.entry_type IN ('earn', 'redeem') THEN c.partner_id END AS members,
       (e.entry_type = 'earn')::int AS visits,
       CASE WHEN e.kind = 'earn' THEN e.amount ELSE 0 END AS sales,
       CASE WHEN e.kind = 'earn' THEN e.points ELSE 0 END AS points_earned,
       CASE WHEN e.kind = 'redeem' THEN -e.points ELSE 0 END AS points_accepted,
       CASE WHEN e.kind = 'redeem' THEN -e.points * dm.reimburse_price / 1000 ELSE 0 END AS amount_reimbursed,
       c.issuer_merchant_id = e.merchant_id AS local
  FROM (SELECT e.*, COALESCE(e.reversed_type, e.entry_type) AS kind
          FROM alliance_points_entry e
         -- Every entry at a merchant: those that are neither a purchase nor a payment with points (nor
         -- their reversal) add nothing up; filtering them out would cost more than they do.
         WHERE e.merchant_id IS NOT NULL) e
  JOIN alliance_card c ON c.id = e.card_id
  JOIN alliance_merchant sm ON sm.id = c.issuer_merchant_id
  JOIN alliance_merchant dm ON dm.id = e.merchant_id""",
                table=SQL.identifier(self._table),
            )
        )
