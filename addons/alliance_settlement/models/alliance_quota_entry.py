from odoo import fields, models


class AllianceQuotaEntry(models.Model):
    _inherit = "alliance.quota.entry"

    settlement_id = fields.Many2one(
        "alliance.settlement.statement",
        string="Settled By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
