"""Staff commission (员工提成): what each of a merchant's staff earned by its rules, per event.

The staff member is who recorded the event: the POS order's employee when Odoo's ``pos_hr``
is installed (read when the view is built: install ``pos_hr`` first, or update this addon
after), else the user who rang it. A refund takes the commission back from whoever made the
sale it refunds.
"""

from odoo import fields, models, tools
from odoo.tools import SQL
from odoo.tools.sql import column_exists, table_exists


class AllianceReportStaffCommission(models.Model):
    _name = "alliance.report.staff.commission"
    _description = "Alliance Staff Commission"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(readonly=True)
    merchant_id = fields.Many2one("alliance.merchant", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    employee = fields.Char(string="Staff", readonly=True)
    rule_id = fields.Many2one("alliance.staff.commission.rule", readonly=True)
    event = fields.Selection(
        [("sale", "Member Sale"), ("enrol", "Enrolment"), ("redeem", "Payment with Points")], readonly=True
    )
    events = fields.Integer(readonly=True, help="Refunds count −1.")
    base = fields.Monetary(string="Amount", readonly=True, currency_field="currency_id")
    commission = fields.Monetary(readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", readonly=True)

    def _get_employee_join(self):
        """(join, name): who the POS order names, when ``pos_hr`` keeps employees on orders."""
        cr = self.env.cr
        if column_exists(cr, "pos_order", "employee_id") and table_exists(cr, "hr_employee"):
            return (
                SQL(
                    "LEFT JOIN pos_order po ON po.id = ev.pos_order_id "
                    "LEFT JOIN hr_employee emp ON emp.id = po.employee_id"
                ),
                SQL("emp.name"),
            )
        return SQL(), SQL("NULL::varchar")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        join, employee_name = self._get_employee_join()
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS
WITH ev AS (
    SELECT e.id * 4 AS id, e.date, e.merchant_id, e.company_id,
           -- A refund takes the commission back from whoever made the sale (reversals are few: their
           -- original is read for them alone, by primary key).
           CASE WHEN e.reversed_entry_id IS NULL THEN e.user_id
                ELSE (SELECT o.user_id FROM alliance_points_entry o WHERE o.id = e.reversed_entry_id) END AS user_id,
           CASE WHEN e.reversed_entry_id IS NULL THEN e.pos_order_id
                ELSE (SELECT o.pos_order_id FROM alliance_points_entry o WHERE o.id = e.reversed_entry_id)
           END AS pos_order_id,
           COALESCE(e.reversed_type, e.entry_type) AS event,
           CASE WHEN e.entry_type = 'reversal' THEN -1 ELSE 1 END AS events,
           CASE WHEN COALESCE(e.reversed_type, e.entry_type) = 'redeem' THEN ABS(e.amount) * SIGN(-e.points)
                ELSE e.amount END AS base
      FROM alliance_points_entry e
     WHERE e.merchant_id IS NOT NULL AND COALESCE(e.reversed_type, e.entry_type) IN ('earn', 'redeem')
    UNION ALL
    SELECT c.id * 4 + 1, c.create_date, c.issuer_merchant_id, c.company_id, c.create_uid, NULL, 'enrol', 1, 0
      FROM alliance_card c
     WHERE c.issuer_merchant_id IS NOT NULL AND c.replaces_id IS NULL
)
SELECT ev.id::bigint * 1048576 + r.id AS id, ev.date, ev.merchant_id, ev.company_id, m.currency_id, ev.user_id,
       -- By primary key, row by row: joined, a misestimated month made PostgreSQL merge every partner
       -- (a million members) with the users for each row.
       COALESCE(%(employee)s, (SELECT up.name FROM res_users u JOIN res_partner up ON up.id = u.partner_id
                                WHERE u.id = ev.user_id)) AS employee,
       r.id AS rule_id,
       CASE ev.event WHEN 'earn' THEN 'sale' ELSE ev.event END AS event, ev.events, ev.base,
       CASE WHEN r.kind = 'percent' THEN ev.base * r.percent::numeric / 100 ELSE ev.events * r.amount END
           AS commission
  FROM ev
  JOIN alliance_merchant m ON m.id = ev.merchant_id
  JOIN alliance_staff_commission_rule r
    ON r.merchant_id = ev.merchant_id AND r.active
   AND r.event = CASE ev.event WHEN 'earn' THEN 'sale' ELSE ev.event END
  %(join)s""",
                table=SQL.identifier(self._table),
                employee=employee_name,
                join=join,
            )
        )
