from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    alliance_merchant_ids = fields.One2many("alliance.merchant", "company_id")
    alliance_pos_config_ids = fields.One2many("pos.config", "company_id", string="Alliance Points of Sale")
