from odoo import models


class AllianceCard(models.Model):
    _inherit = "alliance.card"

    # The reports count the cards issued in a month (新会员): by date, not by reading every card; a merchant's
    # own month is this index and its company's together.
    _issued_date_idx = models.Index("(create_date) WHERE issuer_merchant_id IS NOT NULL AND replaces_id IS NULL")
