import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    alliance_invite_token = fields.Char(
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="The secret of the member's invite link (邀请码): whoever opens it may join as their referee.",
    )
    alliance_sms_message_ids = fields.One2many(
        "alliance.sms.message", "partner_id", string="Messages Sent", groups="alliance_member.group_alliance_accountant"
    )

    _alliance_invite_token_uniq = models.UniqueIndex(
        "(alliance_invite_token) WHERE alliance_invite_token IS NOT NULL", "An invite link is one member's."
    )

    def write(self, vals):
        if "tz" in vals:
            # The accrual engine keeps the operator's time zone in a per-worker cache.
            self.env.registry.clear_cache()
        return super().write(vals)

    # -- inviting a friend (邀请好友) ------------------------------------------------------

    def _alliance_invite_path(self):
        """The member's invite link (path), its secret made the first time it is shown."""
        self.ensure_one()
        # The token is the server's; the member reaches their own through this method only.
        partner = self.sudo()
        token = partner.alliance_invite_token
        if not token and self.env.cr.readonly:
            # The member's points page is served read-only (a replica's cursor): the token is written
            # on the primary, and read back from there, since a replica may not have it yet.
            self.env.cr.rollback()
            with self.env.registry.cursor() as cr:
                cr.execute(
                    SQL(
                        """UPDATE res_partner SET alliance_invite_token = COALESCE(alliance_invite_token, %s)
                            WHERE id = %s RETURNING alliance_invite_token""",
                        secrets.token_urlsafe(12),
                        partner.id,
                    )
                )
                [(token,)] = cr.fetchall()
        elif not token:
            token = partner.alliance_invite_token = secrets.token_urlsafe(12)
        return f"/alliance/join/{token}"

    @api.model
    def _alliance_inviter(self, token):
        """The member whose invite link carries ``token``, while their card is active; else nothing."""
        if not isinstance(token, str) or not 8 <= len(token) <= 64:
            return self.browse()
        # A public page: the token finds its member here, and nothing else is read.
        partner = self.sudo().search([("alliance_invite_token", "=", token)], limit=1)
        return partner if partner.alliance_card_id else self.browse()

    def _alliance_join(self, name, phone, birthday=None, consent_sms=False, consent_marketing=False):
        """A friend the member invited joins: a new member, referred by this one, with an electronic card.

        ``phone`` is E.164 and proven by a code. The card is issued by the
        merchant that issued the inviter's, from its card numbers, without an
        issue fee (there is no sale to put it on). Returns the new card.
        """
        self.ensure_one()
        inviter_card = self.sudo().alliance_card_id
        if not inviter_card:
            raise UserError(self.env._("This invitation is no longer valid."))
        name = self._alliance_check_own_name(name)
        Card = self.env["alliance.card"]
        birthday = Card._alliance_check_birthday(birthday)
        self._alliance_check_phone_free(phone)
        issuer = inviter_card.issuer_merchant_id
        issuer._check_can_serve()
        # Nobody signed in yet: the member and the card are the server's to create, from the checked values.
        partner = self.sudo().create(
            {
                "name": name,
                "phone": phone,
                "alliance_is_member": True,
                "alliance_consent_sms": bool(consent_sms),
                "alliance_consent_marketing": bool(consent_marketing),
                "alliance_enrol_merchant_id": issuer.id,
                "alliance_birthday": birthday,
                "alliance_referrer_id": self.id,
            }
        )
        return (
            Card.sudo()
            .with_company(issuer.company_id)
            .create({"partner_id": partner.id, "issuer_merchant_id": issuer.id})
        )
