from odoo import api, fields, models


class AlliancePointsEntry(models.Model):
    _inherit = "alliance.points.entry"

    settlement_id = fields.Many2one(
        "alliance.settlement.statement",
        string="Settled By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The confirmed statement that cleared this entry between its merchant and the operator.",
    )

    @api.model
    def _alliance_mutable_fields(self):
        return super()._alliance_mutable_fields() | {"settlement_id"}
