from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # The settings are the current company's: set them as the operator.
    alliance_liability_account_id = fields.Many2one(related="company_id.alliance_liability_account_id", readonly=False)
    alliance_margin_account_id = fields.Many2one(related="company_id.alliance_margin_account_id", readonly=False)
    alliance_breakage_account_id = fields.Many2one(related="company_id.alliance_breakage_account_id", readonly=False)
    alliance_commission_account_id = fields.Many2one(
        related="company_id.alliance_commission_account_id", readonly=False
    )
    alliance_sale_journal_id = fields.Many2one(related="company_id.alliance_sale_journal_id", readonly=False)
    alliance_purchase_journal_id = fields.Many2one(related="company_id.alliance_purchase_journal_id", readonly=False)
    alliance_misc_journal_id = fields.Many2one(related="company_id.alliance_misc_journal_id", readonly=False)
