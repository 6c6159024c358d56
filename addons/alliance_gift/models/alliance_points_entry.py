from odoo import fields, models


class AlliancePointsEntry(models.Model):
    _inherit = "alliance.points.entry"

    # Uninstalling keeps the ledger whole: a gift's (or coupon's) spend stays, as the operator's adjustment (never a
    # redeem, which the clearing would reimburse to a merchant).
    entry_type = fields.Selection(
        selection_add=[("gift", "Gift"), ("coupon", "E-coupon")],
        ondelete={
            "gift": lambda entries: entries.sudo().write({"entry_type": "adjust"}),
            "coupon": lambda entries: entries.sudo().write({"entry_type": "adjust"}),
        },
    )
