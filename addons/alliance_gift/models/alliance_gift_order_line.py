from odoo import fields, models


class AllianceGiftOrderLine(models.Model):
    _name = "alliance.gift.order.line"
    _description = "Alliance Gift Order Line"

    order_id = fields.Many2one("alliance.gift.order", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", string="Gift", required=True, readonly=True, ondelete="restrict")
    qty = fields.Integer(string="Quantity", required=True, readonly=True)
    points = fields.Integer(string="Points each", readonly=True, help="The gift's points price when ordered.")
    points_subtotal = fields.Integer(string="Points", readonly=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    copay_subtotal = fields.Monetary(string="Co-pay", readonly=True)

    _qty_positive = models.Constraint("CHECK(qty > 0)", "A gift is ordered one or more at a time.")
