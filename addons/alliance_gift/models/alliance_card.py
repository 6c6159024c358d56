from odoo import api, models


class AllianceCard(models.Model):
    _inherit = "alliance.card"

    @api.model_create_multi
    def create(self, vals_list):
        cards = super().create(vals_list)
        # The welcome coupons are the operator's gift to a new member: issued by the server.
        self.env["alliance.coupon.campaign"].sudo()._issue_welcome(cards.sudo())
        return cards
