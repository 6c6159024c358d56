from odoo import fields, models


class BarcodeRule(models.Model):
    """Alliance cards scanned like any barcode (as Odoo's loyalty does for its coupons)."""

    _inherit = "barcode.rule"

    type = fields.Selection(
        selection_add=[("alliance_card", "Alliance Card")], ondelete={"alliance_card": "set default"}
    )
