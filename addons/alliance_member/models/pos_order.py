from odoo import api, fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    alliance_card_id = fields.Many2one("alliance.card", index="btree_not_null", readonly=True, ondelete="restrict")

    def _process_saved_order(self, draft):
        order_id = super()._process_saved_order(draft)
        if not draft and self.state in ("paid", "done"):
            self._alliance_process_visits()
        return order_id

    def _alliance_process_visits(self):
        """The count card's visit used at the counter belongs to the order; a refund gives it back."""
        # Visits are the server's (no user writes them); the order is the caller's own, just saved.
        Visit = self.env["alliance.card.visit"].sudo()
        merchant = self.env["alliance.merchant"].sudo().search([("company_id", "=", self.company_id.id)], limit=1)
        if not merchant:
            return
        Visit.search([("merchant_id", "=", merchant.id), ("reference", "=", f"pos/{self.uuid}")]).pos_order_id = self
        original = self.refunded_order_id
        if original:
            used = Visit.search(
                [("merchant_id", "=", merchant.id), ("reference", "=", f"pos/{original.uuid}"), ("visits", "<", 0)]
            )
            for visit in used:
                visit.card_id._alliance_give_back_visit(visit, f"refund/{visit.id}", pos_order=self)


class PosSession(models.Model):
    _inherit = "pos.session"

    @api.model
    def _load_pos_data_models(self, config):
        return [*super()._load_pos_data_models(config), "alliance.card"]


class AllianceCardPos(models.Model):
    """Cards reach the POS one at a time, after a server lookup: none is preloaded."""

    _name = "alliance.card"
    _inherit = ["alliance.card", "pos.load.mixin"]

    # The merchants that served a card read it (record rules).
    pos_order_ids = fields.One2many("pos.order", "alliance_card_id", string="POS Orders")

    @api.model
    def _load_pos_data_domain(self, data, config):
        return False

    @api.model
    def _load_pos_data_fields(self, config):
        return ["code", "state", "balance", "write_date"]
