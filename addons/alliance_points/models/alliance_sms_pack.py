"""短信包: SMS a merchant buys from the operator, at its contract's price per message."""

from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class AllianceSmsPack(models.Model):
    _name = "alliance.sms.pack"
    _description = "Alliance SMS Pack"
    _order = "date desc, id desc"

    merchant_id = fields.Many2one("alliance.merchant", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="merchant_id.company_id", store=True, index=True)
    quantity = fields.Integer(string="Messages", required=True)
    price = fields.Float(string="Price per Message", digits=(12, 4), readonly=True)
    amount = fields.Monetary(currency_field="currency_id", readonly=True, help="Charged on the next statement.")
    currency_id = fields.Many2one(related="merchant_id.currency_id", store=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    reference = fields.Char()

    _quantity_positive = models.Constraint("CHECK (quantity > 0)", "A pack has at least one message.")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("alliance_member.group_alliance_operator"):
            raise AccessError(self.env._("Only the operator sells SMS packs."))
        for vals in vals_list:
            quantity = vals.get("quantity")
            if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 < quantity <= 10**7:
                raise UserError(self.env._("An SMS pack is a whole number of messages, 1 to 10,000,000."))
            merchant = self.env["alliance.merchant"].browse(vals["merchant_id"])
            currency = merchant.currency_id
            vals["price"] = merchant.sms_price
            # Exact until the one rounding: the price as written, times a whole number.
            vals["amount"] = currency.round(float(Decimal(str(merchant.sms_price)) * quantity))
        packs = super().create(vals_list)
        packs.merchant_id.invalidate_recordset(["sms_quota"])
        return packs

    def write(self, vals):
        if set(vals) - self._get_writable_fields():
            raise UserError(self.env._("An SMS pack sold cannot be changed."))
        return super().write(vals)

    def _get_writable_fields(self):
        """Hook: the settlement locks a pack to the statement that charges it."""
        return {"reference"}

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("An SMS pack sold cannot be deleted."))
