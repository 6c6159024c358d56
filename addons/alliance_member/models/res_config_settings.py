from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    alliance_operator_company_id = fields.Many2one(
        "res.company",
        string="Alliance Operator",
        config_parameter="alliance_member.operator_company_id",
        help="The company of the operator (HQ) that runs the alliance and clears with the merchants.",
    )
    alliance_lookup_per_minute = fields.Integer(
        string="Lookups per Minute per User",
        config_parameter="alliance_member.lookup_per_minute",
        default=30,
        help="A counter looks up at most this many members a minute (card numbers typed one after another find "
        "no one); 0: no limit.",
    )

    def _alliance_zero_params(self):
        """Integer settings whose 0 means something (here: no limit), not "unset"."""
        return ["alliance_lookup_per_minute"]

    def set_values(self):
        res = super().set_values()
        # Odoo stores an integer setting of 0 as no parameter at all, and the code then reads its
        # default: 0 is written as such.
        ICP = self.env["ir.config_parameter"].sudo()
        for name in self._alliance_zero_params():
            if self[name] == 0:
                ICP.set_param(self._fields[name].config_parameter, "0")
        return res
