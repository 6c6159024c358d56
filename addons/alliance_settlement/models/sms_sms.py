from odoo import fields, models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    alliance_settlement_id = fields.Many2one(
        "alliance.settlement.statement",
        string="Counted By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The merchant's statement that shows this message among the SMS it used.",
    )
