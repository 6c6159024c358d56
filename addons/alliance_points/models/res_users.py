from odoo import api, models
from odoo.exceptions import AccessDenied, UserError


class ResUsers(models.Model):
    _inherit = "res.users"

    def _check_credentials(self, credential, env):
        """A member signs in with a code texted to their phone (``{"type": "alliance_sms", "login", "code"}``).

        A friend who just joined by an invite is signed in with the one-time
        ticket the server issued when their phone's code was accepted
        (``{"type": "alliance_phone_ticket", "login", "ticket"}``); it never leaves the server.
        """
        if credential.get("type") == "alliance_phone_ticket":
            return self._alliance_check_phone_ticket(credential)
        if credential.get("type") != "alliance_sms":
            return super()._check_credentials(credential, env)
        user = self.env.user
        card = user.partner_id.sudo().alliance_card_id
        if not card or not user._is_portal():
            raise AccessDenied()
        try:
            # The code's failures are counted in a transaction of their own, as every code's are.
            self.env["alliance.card.auth"].sudo()._get_for(card, create=False)._check_sms_code(
                credential.get("code") or "", purpose="login"
            )
        except UserError as error:
            raise AccessDenied(str(error)) from None
        return {"uid": user.id, "auth_method": "alliance_sms", "mfa": "default"}

    def _alliance_check_phone_ticket(self, credential):
        user = self.env.user
        phone = user.partner_id.sudo().alliance_phone
        if not phone or not user._is_portal():
            raise AccessDenied()
        if not self.env["alliance.phone.code"].sudo()._use_ticket(phone, "join", credential.get("ticket")):
            raise AccessDenied()
        return {"uid": user.id, "auth_method": "alliance_sms", "mfa": "default"}

    @api.model
    def _alliance_portal_user_for(self, partner):
        """The member's portal user, created the first time they sign in with their phone (login: the phone)."""
        user = partner.with_context(active_test=False).user_ids[:1]
        if user:
            return user
        operator = self.env["alliance.merchant"]._get_operator_company()
        # A member signing up for themselves: only the portal group, in the operator's company.
        return (
            self.sudo()
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": partner.alliance_phone,
                    "partner_id": partner.id,
                    "company_id": operator.id,
                    "company_ids": [(6, 0, operator.ids)],
                    "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
                }
            )
        )
