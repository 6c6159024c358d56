"""Members (会员统计): new, active and dormant members, by tier, card type and enrolling merchant.

One row per member, counted, never named: a merchant sees how many of the members it enrolled
still come (anywhere in the alliance), not who they are.
"""

from odoo import api, fields, models, tools
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

    # A row per member, each with a few index probes: PostgreSQL costs the whole alliance high enough
    # to compile the plan (JIT), which took 25 s of a 10 s read at 100,000 members. Off for the grouped
    # reads (pivot, graph, list groups); the setting ends with the transaction (a read-only one, on a
    # replica, allows it too).
    @api.model
    def _read_group(self, *args, **kwargs):
        self.env.cr.execute("SET LOCAL jit = off")
        return super()._read_group(*args, **kwargs)

    @api.model
    def _read_grouping_sets(self, *args, **kwargs):
        self.env.cr.execute("SET LOCAL jit = off")
        return super()._read_grouping_sets(*args, **kwargs)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # The dormancy is read when the report is read: the setting applies without an upgrade.
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS
SELECT p.id, first.create_date AS enrol_date, last.date AS last_visit, m.id AS merchant_id, m.company_id,
       m.trade_id, m.region, m.agent_id, cur.type_id AS card_type_id, cur.tier_id,
       CASE WHEN GREATEST(last.date, first.create_date) >= now() AT TIME ZONE 'UTC' - make_interval(days =>
                 COALESCE((SELECT value FROM ir_config_parameter WHERE key = 'alliance_settlement.dormant_days'),
                          %(days)s)::int)
            THEN 'active' ELSE 'dormant' END AS state,
       EXISTS (SELECT 1 FROM alliance_card c JOIN alliance_points_entry e ON e.card_id = c.id
                WHERE c.partner_id = p.id AND e.merchant_id <> m.id AND e.entry_type IN ('earn', 'redeem'))
           AS visited_elsewhere
  FROM res_partner p
  JOIN alliance_merchant m ON m.id = p.alliance_enrol_merchant_id
  CROSS JOIN LATERAL (SELECT c.create_date FROM alliance_card c WHERE c.partner_id = p.id
                       ORDER BY c.id LIMIT 1) first
  CROSS JOIN LATERAL (SELECT c.type_id, c.tier_id FROM alliance_card c WHERE c.partner_id = p.id
                       ORDER BY c.replaced_by_id IS NULL DESC, c.id DESC LIMIT 1) cur
  LEFT JOIN LATERAL (SELECT MAX(e.date) AS date FROM alliance_card c
                       JOIN alliance_points_entry e ON e.card_id = c.id
                      WHERE c.partner_id = p.id AND e.entry_type IN ('earn', 'redeem')) last ON TRUE
 WHERE p.alliance_is_member""",
                table=SQL.identifier(self._table),
                days=str(DORMANT_DAYS),
            )
        )
