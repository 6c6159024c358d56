from odoo import api, fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    alliance_card_id = fields.Many2one("alliance.card", index="btree_not_null", readonly=True, ondelete="restrict")


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
