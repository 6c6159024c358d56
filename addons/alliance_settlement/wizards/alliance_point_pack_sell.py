from odoo import api, fields, models


class AlliancePointPackSell(models.TransientModel):
    """The operator sells a prepaid merchant a pack: the invoice is made and posted at once."""

    _name = "alliance.point.pack.sell"
    _description = "Sell a Point Pack"

    merchant_id = fields.Many2one("alliance.merchant", required=True, readonly=True)
    points = fields.Integer(required=True, default=100_000)
    currency_id = fields.Many2one(related="merchant_id.currency_id")
    amount = fields.Monetary(compute="_compute_amount", string="Price", help="The merchant's contract price.")

    @api.depends("merchant_id", "points")
    def _compute_amount(self):
        Pack = self.env["alliance.point.pack"]
        for wizard in self:
            positive = wizard.merchant_id and 0 < wizard.points <= 100_000_000
            wizard.amount = Pack._price(wizard.merchant_id, wizard.points) if positive else 0.0

    def action_sell(self):
        self.ensure_one()
        pack = self.env["alliance.point.pack"]._sell(self.merchant_id, self.points)
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": pack.invoice_id.id,
            "view_mode": "form",
            "target": "current",
        }
