from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    alliance_no_discount = fields.Boolean(
        string="No Member Discount",
        help="不参与会员折扣: an alliance card gets no discount on this product (tobacco, gift cards, the card fee).",
    )

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "alliance_no_discount"]
