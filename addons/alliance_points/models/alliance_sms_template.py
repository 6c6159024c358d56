"""短信模板: what the alliance texts its members, as the gateway knows it (a template code and its parameters)."""

import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


class AllianceSmsTemplate(models.Model):
    _name = "alliance.sms.template"
    _description = "Alliance SMS Template"
    _order = "kind, name"

    name = fields.Char(required=True, translate=True)
    key = fields.Char(
        required=True, help="What the server sends it for (points_earned, auth_code…); campaigns have their own."
    )
    gateway_code = fields.Char(
        string="Gateway Template Code",
        help="The template's code at the SMS gateway (e.g. SMS_476001), where its text was approved.",
    )
    body = fields.Text(
        required=True,
        help="The approved text, with its parameters as ${name}: what members and the operator see here.",
    )
    kind = fields.Selection(
        [("code", "Verification Code"), ("transactional", "Notification"), ("marketing", "Marketing")],
        required=True,
        default="transactional",
        help="Codes go at any hour, whatever the member's consents; notifications need the member's consent "
        "to SMS, marketing the consent to marketing; neither goes between the quiet hours.",
    )
    secret_params = fields.Char(
        help="Parameters never shown once queued (comma separated): the code itself, a pick-up code.",
    )
    active = fields.Boolean(default=True)

    _key_uniq = models.UniqueIndex("(key) WHERE active", "One active template per purpose.")

    @api.constrains("body", "secret_params")
    def _check_body(self):
        for template in self:
            if not PLACEHOLDER.search(template.body or "") and template.kind == "code":
                raise ValidationError(self.env._("A code's template shows the code: ${code}."))

    @api.model
    def _get(self, key):
        """The active template for ``key``, or an empty recordset (the operator switched it off)."""
        return self.sudo().search([("key", "=", key), ("active", "=", True)], limit=1)

    def _secret_names(self):
        self.ensure_one()
        return {name.strip() for name in (self.secret_params or "").split(",") if name.strip()}

    def _render(self, params, masked=False):
        """The text with ``params``; ``masked``: the secret ones as ****** (what is kept to show)."""
        self.ensure_one()
        secret = self._secret_names()

        def value(match):
            name = match.group(1)
            if masked and name in secret:
                return "******"
            return str(params.get(name, ""))

        return PLACEHOLDER.sub(value, self.body)
