from odoo import api, fields, models


class AllianceStaffCommissionRule(models.Model):
    """A merchant's pay to its own staff (员工提成) for what they do with members' cards.

    Per event a staff member records (a member's sale, an enrolment, a payment with points): a
    percentage of its amount, or a fixed amount per event. The merchant's own business: its
    managers set the rules and read the report; neither the operator nor other merchants see them.
    """

    _name = "alliance.staff.commission.rule"
    _description = "Alliance Staff Commission Rule"
    _order = "merchant_id, event"

    merchant_id = fields.Many2one(
        "alliance.merchant",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env["alliance.merchant"].browse(
            self.env["alliance.merchant"]._merchant_id_of_company(self.env.company.id)
        ),
    )
    company_id = fields.Many2one(related="merchant_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="merchant_id.currency_id")
    event = fields.Selection(
        [("sale", "Member Sale"), ("enrol", "Enrolment"), ("redeem", "Payment with Points")],
        required=True,
        help="Member sale: what a member paid in money. Payment with points: the points' face value.",
    )
    kind = fields.Selection(
        [("percent", "Percentage of the Amount"), ("fixed", "Fixed Amount per Event")], required=True, default="fixed"
    )
    percent = fields.Float(string="Percentage", digits=(5, 2))
    amount = fields.Monetary(string="Amount per Event", currency_field="currency_id")
    active = fields.Boolean(default=True)

    _percent_range = models.Constraint("CHECK(percent >= 0 AND percent <= 100)", "A percentage is between 0 and 100.")
    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A commission cannot be negative.")

    @api.depends("event", "kind", "percent", "amount")
    def _compute_display_name(self):
        events = dict(self._fields["event"]._description_selection(self.env))
        for rule in self:
            value = f"{rule.percent:g}%" if rule.kind == "percent" else f"{rule.amount:.2f}"
            rule.display_name = f"{events.get(rule.event, '')}: {value}"
