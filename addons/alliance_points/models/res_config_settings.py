from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    alliance_points_per_unit = fields.Integer(
        string="Points per Currency Unit",
        config_parameter="alliance_points.points_per_unit",
        default=100,
        help="Face value of points at redemption: this many points pay 1.00 of a bill.",
    )
