from odoo import fields, models


class AllianceCardVisit(models.Model):
    """One visit used on a count-based card (计次卡), at one merchant."""

    _name = "alliance.card.visit"
    _description = "Alliance Card Visit"
    _order = "date desc, id desc"

    card_id = fields.Many2one("alliance.card", required=True, index=True, ondelete="restrict", readonly=True)
    merchant_id = fields.Many2one("alliance.merchant", required=True, ondelete="restrict", readonly=True)
    company_id = fields.Many2one(related="merchant_id.company_id", store=True, index=True)
    reference = fields.Char(required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    visits_left = fields.Integer(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)

    _reference_uniq = models.UniqueIndex("(merchant_id, reference)", "This visit was already recorded.")
