"""Merchant activity (商家经营统计): what each merchant did with the alliance, by day, month or range.

One row per event: a ledger entry, a POS order with a card, a card issued, a pack of points or
of messages bought. Pivots add the rows up; members served are counted distinct over any range
(the ``member`` column carries the member's id, aggregated with ``count_distinct``: no name, no
contact, only a count).

Money follows the statements: points issued at the merchant's issue price (billed when
postpaid), points accepted at its reimbursement price, commission on the sales that earned
points; ``amount_due`` is what the statement of those rows would net.
"""

from odoo import fields, models, tools
from odoo.tools import SQL


class AllianceReportMerchant(models.Model):
    _name = "alliance.report.merchant"
    _description = "Alliance Merchant Activity"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(readonly=True)
    merchant_id = fields.Many2one("alliance.merchant", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    trade_id = fields.Many2one("alliance.trade", readonly=True)
    region = fields.Char(readonly=True)
    agent_id = fields.Many2one("alliance.agent", string="Regional Agent", readonly=True)
    card_type_id = fields.Many2one("alliance.card.type", readonly=True)
    tier_id = fields.Many2one("alliance.tier", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    member = fields.Integer(string="Members Served", readonly=True, aggregator="count_distinct")
    orders = fields.Integer(string="Purchases", readonly=True, help="Purchases with the card.")
    refunds = fields.Integer(readonly=True)
    sales = fields.Monetary(string="Sales with the Card", readonly=True, help="What members paid, refunds deducted.")
    gross_amount = fields.Monetary(string="Sales before Discounts", readonly=True)
    discount_amount = fields.Monetary(string="Member Discounts", readonly=True)
    sales_points = fields.Monetary(
        string="Sales Earning Points", readonly=True, help="What members paid in money: the commission's base."
    )
    new_members = fields.Integer(readonly=True, help="Cards issued here to new members (replacements left out).")
    points_issued = fields.Integer(readonly=True)
    points_accepted = fields.Integer(readonly=True)
    points_expired = fields.Integer(readonly=True, help="Points this merchant issued that expired unspent.")
    points_net = fields.Integer(
        string="Points Outstanding (Change)",
        readonly=True,
        help="Issued less accepted and expired: cumulated over time, the points members still hold.",
    )
    value_issued = fields.Monetary(string="Points Issued (Value)", readonly=True)
    amount_reimbursed = fields.Monetary(readonly=True)
    amount_commission = fields.Monetary(string="Commission", readonly=True)
    amount_bought = fields.Monetary(string="Packs Bought", readonly=True, help="Points and messages bought.")
    amount_due = fields.Monetary(
        string="Net Due",
        readonly=True,
        help="Positive: the merchant owes the operator. Negative: the operator owes the merchant.",
    )

    def _get_branches(self):
        """The events, one SELECT each, all with the same columns (see ``init``): a hook.

        Each gives its own table's merchant and company: a merchant's filter (its record rule) then
        reaches each table's indexes instead of every row of the month."""
        return [
            # The ledger: points, and the sales of purchases made through the API (POS orders come below).
            SQL(
                """
SELECT e.id * 8 AS id, e.date, e.merchant_id, e.company_id, c.type_id AS card_type_id, c.tier_id,
       CASE WHEN e.entry_type IN ('earn', 'redeem') THEN e.partner_id END AS member,
       (e.entry_type = 'earn' AND e.pos_order_id IS NULL)::int AS orders,
       (e.entry_type = 'reversal' AND r.kind = 'earn' AND e.pos_order_id IS NULL)::int AS refunds,
       CASE WHEN r.kind = 'earn' AND e.pos_order_id IS NULL THEN e.amount ELSE 0 END AS sales,
       CASE WHEN r.kind = 'earn' AND e.pos_order_id IS NULL THEN e.amount ELSE 0 END AS gross_amount,
       0 AS discount_amount,
       CASE WHEN r.kind = 'earn' THEN e.amount ELSE 0 END AS sales_points,
       0 AS new_members,
       CASE WHEN r.kind IN ('earn', 'referral') THEN e.points ELSE 0 END AS points_issued,
       CASE WHEN r.kind = 'redeem' THEN -e.points ELSE 0 END AS points_accepted,
       CASE WHEN r.kind IN ('expire', 'debt') THEN -e.points ELSE 0 END AS points_expired,
       0 AS amount_bought
  FROM alliance_points_entry e
  JOIN alliance_card c ON c.id = e.card_id
  CROSS JOIN LATERAL (SELECT COALESCE(e.reversed_type, e.entry_type) AS kind) r
 WHERE e.merchant_id IS NOT NULL"""
            ),
            # Purchases at the counter with a card: the sale as rung, before and after the member's discount.
            SQL(
                """
SELECT o.id * 8 + 1, o.date_order, m.id, o.company_id, c.type_id, c.tier_id, c.partner_id,
       (o.amount_total >= 0)::int, (o.amount_total < 0)::int,
       o.amount_total, COALESCE(o.alliance_gross_amount, o.amount_total), COALESCE(o.alliance_discount_amount, 0),
       0, 0, 0, 0, 0, 0
  FROM pos_order o
  JOIN alliance_card c ON c.id = o.alliance_card_id
  JOIN alliance_merchant m ON m.company_id = o.company_id
 WHERE o.state IN ('paid', 'done')"""
            ),
            SQL(
                """
SELECT c.id * 8 + 2, c.create_date, c.issuer_merchant_id, c.company_id, c.type_id, c.tier_id, NULL,
       0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0
  FROM alliance_card c
 WHERE c.issuer_merchant_id IS NOT NULL AND c.replaces_id IS NULL"""
            ),
            # What the statements bill for packs: points bought outside the point packs (invoiced at sale), messages.
            SQL(
                """
SELECT q.id * 8 + 3, q.date, q.merchant_id, q.company_id, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, q.amount
  FROM alliance_quota_entry q
 WHERE q.entry_type = 'purchase' AND q.pack_id IS NULL"""
            ),
            SQL(
                """
SELECT s.id * 8 + 4, s.date, s.merchant_id, s.company_id, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, s.amount
  FROM alliance_sms_pack s"""
            ),
        ]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS
SELECT b.id, b.date, b.merchant_id, b.company_id, m.trade_id, m.region, m.agent_id, m.currency_id,
       b.card_type_id, b.tier_id, b.member, b.orders, b.refunds, b.sales, b.gross_amount, b.discount_amount,
       b.sales_points, b.new_members, b.points_issued, b.points_accepted, b.points_expired,
       b.points_issued - b.points_accepted - b.points_expired AS points_net,
       b.points_issued * m.issue_price / 1000 AS value_issued,
       b.points_accepted * m.reimburse_price / 1000 AS amount_reimbursed,
       b.sales_points * COALESCE(m.commission_rate, 0)::numeric / 100 AS amount_commission,
       b.amount_bought,
       b.amount_bought
           + CASE WHEN m.billing_mode = 'postpaid' THEN b.points_issued * m.issue_price / 1000 ELSE 0 END
           + b.sales_points * COALESCE(m.commission_rate, 0)::numeric / 100
           - b.points_accepted * m.reimburse_price / 1000 AS amount_due
  FROM (%(branches)s) b (id, date, merchant_id, company_id, card_type_id, tier_id, member, orders, refunds, sales,
                        gross_amount, discount_amount, sales_points, new_members, points_issued,
                        points_accepted, points_expired, amount_bought)
  JOIN alliance_merchant m ON m.id = b.merchant_id""",
                table=SQL.identifier(self._table),
                branches=SQL("\nUNION ALL\n").join(self._get_branches()),
            )
        )
