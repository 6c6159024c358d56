from odoo import fields, models

LINE_KINDS = [
    ("pack", "Points Bought"),
    ("issue", "Points Issued"),
    ("issue_prepaid", "Points Issued from Quota"),
    ("redeem", "Points Accepted"),
    ("commission", "Commission"),
    ("expire", "Points Expired"),
    ("sms_pack", "SMS Packs Bought"),
    ("sms_used", "SMS Sent"),
]


class AllianceSettlementLine(models.Model):
    _name = "alliance.settlement.line"
    _description = "Alliance Settlement Statement Line"
    _order = "statement_id, id"

    statement_id = fields.Many2one("alliance.settlement.statement", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="statement_id.company_id", store=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    kind = fields.Selection(LINE_KINDS, string="Item", required=True)
    points = fields.Integer()
    price = fields.Monetary(string="Price per 1,000 Points")
    base = fields.Monetary(string="Sales Base", help="Commission: the member sales it is a share of.")
    rate = fields.Float(string="Commission (%)", digits=(5, 2))
    amount = fields.Monetary(help="Positive: owed by the merchant. Negative: owed to the merchant.")

    def _alliance_shows_points(self):
        """Hook: whether the line's ``points`` are points (the documents' points column)."""
        self.ensure_one()
        return self.kind not in ("commission", "sms_pack", "sms_used")

    def _alliance_count_label(self):
        """Hook: what the line counts when that is not points (coupons, gifts), for the documents."""
        self.ensure_one()
        if self.kind in ("sms_pack", "sms_used"):
            return self.env._("%s SMS", self.points)
        return ""
