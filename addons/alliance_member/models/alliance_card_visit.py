from odoo import fields, models


class AllianceCardVisit(models.Model):
    """One visit used on a count-based card (计次卡) at one merchant, or given back by a refund."""

    _name = "alliance.card.visit"
    _description = "Alliance Card Visit"
    _order = "date desc, id desc"

    card_id = fields.Many2one("alliance.card", required=True, index=True, ondelete="restrict", readonly=True)
    merchant_id = fields.Many2one("alliance.merchant", required=True, ondelete="restrict", readonly=True)
    company_id = fields.Many2one(related="merchant_id.company_id", store=True, index=True)
    reference = fields.Char(required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    visits = fields.Integer(readonly=True, default=-1, help="-1: a visit used; +1: a visit given back.")
    visits_left = fields.Integer(readonly=True)
    pos_order_id = fields.Many2one("pos.order", string="POS Order", readonly=True, index="btree_not_null")
    given_back_id = fields.Many2one(
        "alliance.card.visit", string="Given Back By", readonly=True, index="btree_not_null", copy=False
    )
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)

    _reference_uniq = models.UniqueIndex("(merchant_id, reference)", "This visit was already recorded.")
