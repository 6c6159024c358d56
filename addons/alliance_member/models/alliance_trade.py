from odoo import fields, models


class AllianceTrade(models.Model):
    _name = "alliance.trade"
    _description = "Alliance Trade"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
