from odoo import fields, models


class AllianceSmsPack(models.Model):
    _inherit = "alliance.sms.pack"

    settlement_id = fields.Many2one(
        "alliance.settlement.statement",
        string="Charged By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )

    def _get_writable_fields(self):
        return super()._get_writable_fields() | {"settlement_id"}
