from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    alliance_coupon_account_id = fields.Many2one(related="company_id.alliance_coupon_account_id", readonly=False)
    alliance_marketing_account_id = fields.Many2one(related="company_id.alliance_marketing_account_id", readonly=False)
    alliance_gift_cost_account_id = fields.Many2one(related="company_id.alliance_gift_cost_account_id", readonly=False)
