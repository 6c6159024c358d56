from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .alliance_card import SERIAL_MAX, code_from_serial


class AllianceCardRange(models.Model):
    """A batch of card numbers handed to one merchant.

    Numbers are serials; the printed card code is the serial followed by its
    Luhn check digit. Enrolment at the counter takes the next free serial.
    """

    _name = "alliance.card.range"
    _description = "Alliance Card Number Range"
    _order = "number_from"

    name = fields.Char(compute="_compute_name", store=True)
    merchant_id = fields.Many2one("alliance.merchant", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(related="merchant_id.company_id", store=True, index=True)
    card_type_id = fields.Many2one("alliance.card.type", required=True)
    number_from = fields.Integer(required=True)
    number_to = fields.Integer(required=True)
    next_number = fields.Integer(readonly=True, copy=False)
    active = fields.Boolean(default=True)
    card_count = fields.Integer(string="Issued", compute="_compute_stock")
    stock_count = fields.Integer(string="In Stock", compute="_compute_stock")

    _bounds = models.Constraint(
        f"CHECK(number_from > 0 AND number_from <= number_to AND number_to <= {SERIAL_MAX})",
        "A range goes from a positive serial to a larger one of at most 9 digits.",
    )

    @api.depends("number_from", "number_to", "merchant_id")
    def _compute_name(self):
        for rng in self:
            first = code_from_serial(rng.number_from) if rng.number_from else ""
            last = code_from_serial(rng.number_to) if rng.number_to else ""
            rng.name = f"{rng.merchant_id.code or rng.merchant_id.name or ''} {first}–{last}"

    def _compute_stock(self):
        counts = dict(
            self.env["alliance.card"].sudo()._read_group([("range_id", "in", self.ids)], ["range_id"], ["__count"])
        )
        for rng in self:
            issued = counts.get(rng, 0)
            rng.card_count = issued
            rng.stock_count = rng.number_to - rng.number_from + 1 - issued

    @api.constrains("number_from", "number_to")
    def _check_overlap(self):
        for rng in self:
            overlap = self.sudo().search(
                [
                    ("id", "!=", rng.id),
                    ("number_from", "<=", rng.number_to),
                    ("number_to", ">=", rng.number_from),
                    ("active", "in", (True, False)),
                ],
                limit=1,
            )
            if overlap:
                raise ValidationError(
                    self.env._("Card range %(new)s overlaps range %(old)s.", new=rng.name, old=overlap.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("next_number", vals.get("number_from"))
        return super().create(vals_list)

    @api.model
    def _find_for_serial(self, serial):
        return self.sudo().search(
            [("number_from", "<=", serial), ("number_to", ">=", serial), ("active", "in", (True, False))], limit=1
        )

    def _take_next_serial(self):
        """Reserve the next free serial of the range, under a row lock.

        Two counters enrolling at once wait for each other here instead of
        handing out the same number.
        """
        self.ensure_one()
        self.env.cr.execute(
            SQL("SELECT next_number FROM %s WHERE id = %s FOR UPDATE", SQL.identifier(self._table), self.id)
        )
        serial = self.env.cr.fetchone()[0]
        Card = self.env["alliance.card"].sudo()
        while serial <= self.number_to and Card.with_context(active_test=False).search_count(
            [("serial", "=", serial)], limit=1
        ):
            serial += 1
        if serial > self.number_to:
            raise UserError(
                self.env._("Card range %s has no free number left; ask the operator for a new range.", self.name)
            )
        self.sudo().write({"next_number": serial + 1})
        return serial
