from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        if "tz" in vals:
            # The accrual engine keeps the operator's time zone in a per-worker cache.
            self.env.registry.clear_cache()
        return super().write(vals)
