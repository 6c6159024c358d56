from odoo import api, models
from odoo.exceptions import UserError

DEFAULT_POINTS_PER_UNIT = 100


class ResCurrency(models.Model):
    _inherit = "res.currency"

    @api.model
    def _alliance_points_per_unit(self):
        value = self.env["ir.config_parameter"].sudo().get_param("alliance_points.points_per_unit")
        per_unit = int(value) if value else DEFAULT_POINTS_PER_UNIT
        if per_unit <= 0:
            raise UserError(self.env._("The face value of points must be a positive number of points per unit."))
        return per_unit

    def _alliance_points_value(self, points):
        """Face value of ``points`` in this currency, rounded down to the cent.

        Integer arithmetic on points and minor units: a member is never paid a
        fraction of a cent more than the points are worth.
        """
        self.ensure_one()
        if not isinstance(points, int):
            raise UserError(self.env._("Points are whole numbers."))
        # Only what the value and the entry's Monetary read: not the whole currency row.
        self.fetch(["decimal_places", "rounding"])
        minor = 10**self.decimal_places
        minor_units = points * minor // self._alliance_points_per_unit()
        return self.round(minor_units / minor)
