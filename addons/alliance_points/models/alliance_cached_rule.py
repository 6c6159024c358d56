from odoo import api, models


class AllianceCachedRule(models.AbstractModel):
    """Rules the engine reads on every earn and keeps in a per-worker cache.

    Any change clears Odoo's cache; the other workers are told at the end of
    the request, as Odoo does for its own cached settings.
    """

    _name = "alliance.cached.rule"
    _description = "Alliance Cached Rule"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
