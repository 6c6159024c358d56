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
    pack_id = fields.Many2one(
        "alliance.point.pack",
        string="Point Pack",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Sold with its own invoice, paid before it was credited: no statement bills it again.",
    )
