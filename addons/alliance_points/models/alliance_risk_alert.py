from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

ALERT_KINDS = [
    ("velocity_card", "Card Velocity"),
    ("velocity_merchant", "Merchant Velocity"),
    ("velocity_cashier", "Cashier Velocity"),
    ("self_dealing", "Self-Dealing"),
    ("refund_loop", "Earn-Refund Loop"),
    ("spend_after_api_earn", "Spend After a Large API Earn"),
    ("large_adjustment", "Large Adjustment"),
    ("points_share", "Points Beyond the Share of a Bill"),
]


class AllianceRiskAlert(models.Model):
    """A pattern of points that looks like fraud, for the operator to review.

    Raised by the points service (large adjustments) and by the daily scan
    (``alliance.risk.scan``). Each alert has a key: a scan run again raises
    nothing twice. A merchant's statement is not posted while it has open
    high-severity alerts.
    """

    _name = "alliance.risk.alert"
    _description = "Alliance Risk Alert"
    _inherit = ["mail.thread"]
    _order = "state_sequence, date desc, id desc"

    name = fields.Char(string="Alert", required=True, readonly=True)
    kind = fields.Selection(ALERT_KINDS, required=True, readonly=True)
    severity = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")], required=True, readonly=True, default="medium"
    )
    state = fields.Selection(
        [("open", "Open"), ("confirmed", "Confirmed Fraud"), ("dismissed", "Dismissed")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    key = fields.Char(required=True, readonly=True, help="What the alert is about; the same key is never raised twice.")
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    merchant_id = fields.Many2one("alliance.merchant", readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="merchant_id.company_id", store=True, index=True)
    card_id = fields.Many2one("alliance.card", readonly=True, ondelete="restrict")
    user_id = fields.Many2one("res.users", string="Cashier", readonly=True, ondelete="restrict")
    entry_id = fields.Many2one("alliance.points.entry", readonly=True, ondelete="restrict", index="btree_not_null")
    value = fields.Integer(string="Measured", readonly=True)
    threshold = fields.Integer(readonly=True)
    detail = fields.Text(readonly=True)
    review_note = fields.Text(tracking=True)
    reviewer_id = fields.Many2one("res.users", readonly=True)
    reviewed_on = fields.Datetime(readonly=True)

    _key_uniq = models.Constraint("UNIQUE(key)", "This alert was already raised.")

    @api.depends("state")
    def _compute_state_sequence(self):
        for alert in self:
            alert.state_sequence = 0 if alert.state == "open" else 1

    @api.model
    def _raise(self, vals_list):
        """Create the alerts whose key is new; returns them."""
        keys = [vals["key"] for vals in vals_list]
        known = set(self.sudo().search([("key", "in", keys)]).mapped("key"))
        fresh = [vals for vals in vals_list if vals["key"] not in known]
        # Alerts are raised by the service and the scan, whoever's call triggered them.
        return self.sudo().create(fresh) if fresh else self.sudo()

    def write(self, vals):
        if set(vals) - {"review_note"} and not self.env.su:
            raise UserError(self.env._("An alert changes only through its review (confirm or dismiss)."))
        return super().write(vals)

    def _review(self, state):
        if not self.env.user.has_group("alliance_member.group_alliance_operator"):
            raise AccessError(self.env._("Only the operator reviews risk alerts."))
        for alert in self:
            if alert.state != "open":
                raise UserError(self.env._("Alert %s was already reviewed.", alert.name))
            if not (alert.review_note or "").strip():
                raise UserError(self.env._("Write what you found in the review note first."))
        # State and reviewer are readonly: set here, once, after the checks above.
        self.sudo().write({"state": state, "reviewer_id": self.env.uid, "reviewed_on": fields.Datetime.now()})

    def action_confirm(self):
        self._review("confirmed")

    def action_dismiss(self):
        self._review("dismissed")

    @api.model
    def _open_high(self, merchants):
        """Open high-severity alerts of these merchants (a statement of theirs waits for the review)."""
        return self.sudo().search(
            [("merchant_id", "in", merchants.ids), ("state", "=", "open"), ("severity", "=", "high")]
        )
