from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    alliance_operator_company_id = fields.Many2one(
        "res.company",
        string="Alliance Operator",
        config_parameter="alliance_member.operator_company_id",
        help="The company of the operator (HQ) that runs the alliance and clears with the merchants.",
    )
