from odoo import models


class AllianceTier(models.Model):
    """Tiers are read by the accrual engine from a per-worker cache (``_tier_spec``)."""

    _name = "alliance.tier"
    _inherit = ["alliance.tier", "alliance.cached.rule"]
