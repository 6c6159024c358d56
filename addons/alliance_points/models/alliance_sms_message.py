"""The alliance's messages as the member and the operator see them: Odoo's SMS queue, codes masked."""

from odoo import fields, models, tools
from odoo.tools import SQL


class AllianceSmsMessage(models.Model):
    _name = "alliance.sms.message"
    _description = "Alliance SMS Message"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "text"

    date = fields.Datetime(string="Queued", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Member", readonly=True)
    number = fields.Char(readonly=True)
    template_id = fields.Many2one("alliance.sms.template", readonly=True)
    kind = fields.Selection(
        [("code", "Verification Code"), ("transactional", "Notification"), ("marketing", "Marketing")],
        readonly=True,
    )
    text = fields.Text(readonly=True)
    state = fields.Selection(
        [
            ("outgoing", "In Queue"),
            ("alliance_wait", "Scheduled"),
            ("process", "Processing"),
            ("pending", "Sent"),
            ("sent", "Delivered"),
            ("error", "Failed"),
            ("canceled", "Cancelled"),
        ],
        readonly=True,
    )
    failure = fields.Char(string="Gateway's Answer", readonly=True)
    attempts = fields.Integer(readonly=True)
    send_after = fields.Datetime(string="Scheduled For", readonly=True)
    sent_at = fields.Datetime(readonly=True)
    merchant_id = fields.Many2one("alliance.merchant", string="Paid by Merchant", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %s AS
                   SELECT s.id, s.create_date AS date, s.partner_id, s.number, s.alliance_template_id AS template_id,
                          t.kind, s.alliance_text AS text, s.state, s.alliance_failure AS failure,
                          s.alliance_attempts AS attempts, s.alliance_send_after AS send_after,
                          s.alliance_sent_at AS sent_at, s.alliance_merchant_id AS merchant_id
                     FROM sms_sms s JOIN alliance_sms_template t ON t.id = s.alliance_template_id""",
                SQL.identifier(self._table),
            )
        )
