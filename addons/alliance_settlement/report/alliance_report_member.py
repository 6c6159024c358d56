"""Members (会员统计): new, active and dormant members, by tier, card type and enrolling merchant.

One row per member, counted, never named: a merchant sees how many of the members it enrolled
still come (anywhere in the alliance), not who they are.
"""

from odoo import fields, models, tools
from odoo.tools import SQL

DORMANT_DAYS = 90


class AllianceReportMember(models.Model):
    _name = "alliance.report.member"
    _description = "Alliance Members Report"
    _auto = False
    _order = "enrol_date desc"

    enrol_date = fields.Datetime(string="Enrolled On", readonly=True)
    last_visit = fields.Datetime(readonly=True, help="The member's last purchase or payment with points, anywhere.")
    merchant_id = fields.Many2one("alliance.merchant", string="Enrolled At", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    trade_id = fields.Many2one("alliance.trade", readonly=True)
    region = fields.Char(readonly=True)
    agent_id = fields.Many2one("alliance.agent", string="Regional Agent", readonly=True)
    card_type_id = fields.Many2one("alliance.card.type", readonly=True)
    tier_id = fields.Many2one("alliance.tier", readonly=True)
    state = fields.Selection(
        [("active", "Active"), ("dormant", "Dormant")],
        readonly=True,
        help="Dormant: no visit anywhere in the alliance for the days set in the settings (90 by default).",
    )
    visited_elsewhere = fields.Boolean(
        string="Visits Other Merchants", readonly=True, help="Has bought or paid with points at another merchant."
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # One pass over the members and their cards: the ledger is not read, the cards keep their last
        # visit as it posts. Grouped by the merchant's columns too, so that a merchant's rule
        # (company_id) filters the members before they are grouped. The current card is the newest not
        # replaced. The dormancy is read when the report is read: the setting applies without an upgrade.
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS
SELECT p.id, MIN(c.create_date) AS enrol_date, MAX(c.last_visit) AS last_visit, m.id AS merchant_id,
       m.company_id, m.trade_id, m.region, m.agent_id,
       (array_agg(c.type_id ORDER BY c.replaced_by_id IS NULL DESC, c.id DESC))[1] AS card_type_id,
       (array_agg(c.tier_id ORDER BY c.replaced_by_id IS NULL DESC, c.id DESC))[1] AS tier_id,
       CASE WHEN GREATEST(MAX(c.last_visit), MIN(c.create_date)) >= now() AT TIME ZONE 'UTC' - make_interval(days =>
                 COALESCE((SELECT value FROM ir_config_parameter WHERE key = 'alliance_settlement.dormant_days'),
                          %(days)s)::int)
            THEN 'active' ELSE 'dormant' END AS state,
       COALESCE(bool_or(c.visited_elsewhere), FALSE) AS visited_elsewhere
  FROM res_partner p
  JOIN alliance_merchant m ON m.id = p.alliance_enrol_merchant_id
  JOIN alliance_card c ON c.partner_id = p.id
 WHERE p.alliance_is_member
 GROUP BY p.id, m.id, m.company_id, m.trade_id, m.region, m.agent_id""",
                table=SQL.identifier(self._table),
                days=str(DORMANT_DAYS),
            )
        )
