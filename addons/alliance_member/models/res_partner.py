import hashlib
import hmac

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.phone_validation.tools import phone_validation


class ResPartner(models.Model):
    """Members of the alliance are partners with a card."""

    _inherit = "res.partner"

    alliance_is_member = fields.Boolean(string="Alliance Member", index=True)
    alliance_phone = fields.Char(
        string="Member Phone (E.164)",
        compute="_compute_alliance_phone",
        store=True,
        index=True,
        help="The member's phone normalised to E.164: the key for lookups at the counter.",
    )
    # Not needed to serve a member: the operator's and the member's own (PIPL).
    alliance_gender = fields.Selection(
        [("female", "Female"), ("male", "Male"), ("other", "Other")],
        string="Gender",
        groups="alliance_member.group_alliance_accountant,base.group_portal",
    )
    alliance_birthday = fields.Date(
        string="Birthday", groups="alliance_member.group_alliance_accountant,base.group_portal"
    )
    # The ID number is never stored readable: what is typed is kept as a keyed hash (to find the
    # member again by it) and a masked form (to recognise it); a database dump reveals neither.
    alliance_id_number = fields.Char(
        string="ID Number",
        compute="_compute_alliance_id_number",
        inverse="_inverse_alliance_id_number",
        groups="alliance_member.group_alliance_operator",
        help="Typed by the operator; kept only as a keyed hash and a masked form.",
    )
    alliance_id_number_hash = fields.Char(
        copy=False, index="btree_not_null", groups="base.group_system", help="HMAC-SHA256 of the ID number."
    )
    alliance_id_number_masked = fields.Char(string="ID Number (masked)", copy=False, readonly=True)
    alliance_consent_sms = fields.Boolean(string="Accepts SMS")
    alliance_consent_marketing = fields.Boolean(string="Accepts Marketing")
    alliance_referrer_id = fields.Many2one(
        "res.partner", string="Referred By", index=True, ondelete="set null", domain=[("alliance_is_member", "=", True)]
    )
    alliance_referral_ids = fields.One2many("res.partner", "alliance_referrer_id", string="Referrals")
    alliance_enrol_merchant_id = fields.Many2one("alliance.merchant", string="Enrolled At", readonly=True, index=True)
    alliance_card_ids = fields.One2many("alliance.card", "partner_id", string="Alliance Cards")
    alliance_card_id = fields.Many2one("alliance.card", string="Active Card", compute="_compute_alliance_card")
    alliance_tier_id = fields.Many2one("alliance.tier", string="Tier", compute="_compute_alliance_card")
    alliance_balance = fields.Integer(string="Points", compute="_compute_alliance_card")

    _alliance_phone_uniq = models.UniqueIndex(
        "(alliance_phone) WHERE alliance_is_member AND active AND alliance_phone IS NOT NULL",
        "Another member already has this phone number.",
    )

    @api.depends("phone", "alliance_is_member")
    def _compute_alliance_phone(self):
        for partner in self:
            partner.alliance_phone = (
                partner._alliance_normalize_phone(partner.phone, raise_exception=False)
                if partner.alliance_is_member and partner.phone
                else False
            )

    @api.depends("alliance_id_number_masked")
    def _compute_alliance_id_number(self):
        # Nothing to show but the masked form: the number itself was never kept.
        for partner in self:
            partner.alliance_id_number = partner.alliance_id_number_masked

    def _inverse_alliance_id_number(self):
        for partner in self:
            number = (partner.alliance_id_number or "").strip().upper()
            if number == (partner.alliance_id_number_masked or ""):
                continue
            # Hash and mask are the server's; the operator's right to set the number was checked.
            partner.sudo().write(
                {
                    "alliance_id_number_hash": self._alliance_id_number_hash(number) if number else False,
                    "alliance_id_number_masked": self._alliance_mask_id_number(number) if number else False,
                }
            )

    @api.model
    def _alliance_id_number_hash(self, number):
        """HMAC-SHA256 of an ID number under a key kept outside the database.

        The key is ``alliance_id_key`` in Odoo's configuration file; without
        it, the database's own secret (weaker: it travels with a dump).
        """
        key = tools.config.get("alliance_id_key") or self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return hmac.new(key.encode(), number.strip().upper().encode(), hashlib.sha256).hexdigest()

    @api.model
    def _alliance_mask_id_number(self, number):
        """What a screen may show of an ID number: its first and last characters (4****************4)."""
        number = number.strip()
        return number[:1] + "*" * max(len(number) - 2, 0) + number[-1:] if len(number) > 2 else "*" * len(number)

    @api.model
    def _alliance_find_by_id_number(self, number):
        """The member with this ID number (the operator's de-duplication), through its hash."""
        return self.sudo().search([("alliance_id_number_hash", "=", self._alliance_id_number_hash(number))], limit=1)

    def _alliance_masked_phone(self):
        """The phone as a counter may show it (139****9001): enough for the member to recognise."""
        self.ensure_one()
        digits = (self.phone or "").replace("+86", "").replace(" ", "")
        return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else ""

    def _compute_alliance_card(self):
        cards = self.env["alliance.card"].search([("partner_id", "in", self.ids), ("state", "=", "active")])
        by_partner = {c.partner_id.id: c for c in cards}
        for partner in self:
            card = by_partner.get(partner.id, cards.browse())
            partner.alliance_card_id = card
            partner.alliance_tier_id = card.tier_id
            partner.alliance_balance = card.balance

    @api.constrains("phone", "alliance_is_member")
    def _check_alliance_phone(self):
        for partner in self.filtered("alliance_is_member"):
            if not partner.phone:
                raise ValidationError(self.env._("Member %s needs a mobile phone number.", partner.name))
            e164 = partner._alliance_normalize_phone(partner.phone)
            other = self.sudo().search(
                [("alliance_phone", "=", e164), ("alliance_is_member", "=", True), ("id", "!=", partner.id)], limit=1
            )
            if other:
                raise ValidationError(
                    self.env._("Phone %(phone)s already belongs to member %(name)s.", phone=e164, name=other.name)
                )

    @api.constrains("alliance_referrer_id")
    def _check_alliance_referrer(self):
        if self._has_cycle("alliance_referrer_id"):
            raise ValidationError(self.env._("A member cannot be referred, directly or through others, by themselves."))

    @api.model
    @tools.ormcache()
    def _alliance_default_country_codes(self):
        """(ISO code, phone code) of the operator's country, mainland China by default.

        Cached: every phone lookup at a counter needs it. Changing the operator
        setting clears Odoo's caches (ir.config_parameter.set_param).
        """
        operator = self.env["alliance.merchant"]._get_operator_company()
        country = operator.country_id or self.env.ref("base.cn")
        return country.code, country.phone_code

    @api.model
    def _alliance_normalize_phone(self, number, raise_exception=True):
        """E.164 form of a phone typed in any common way (mainland China by default)."""
        number = (number or "").strip()
        country_code, phone_code = self._alliance_default_country_codes()
        try:
            if not number:
                raise UserError(self.env._("A phone number is required."))
            e164 = phone_validation.phone_format(
                number, country_code, phone_code, force_format="E164", raise_exception=True
            )
        except UserError as exc:
            if not raise_exception:
                return False
            raise ValidationError(
                self.env._("%(number)s is not a valid phone number: %(reason)s", number=number, reason=exc)
            ) from exc
        return e164

    @api.model
    def _alliance_check_phone_free(self, e164, exclude=None):
        domain = [("alliance_phone", "=", e164), ("alliance_is_member", "=", True)]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        other = self.sudo().search(domain, limit=1)
        if other:
            raise ValidationError(
                self.env._("Phone %(phone)s already belongs to member %(name)s.", phone=e164, name=other.name)
            )

    @api.model
    def _alliance_check_own_name(self, name):
        """The name a member gives for themselves: required text, at most 64 characters; returned stripped."""
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > 64:
            raise UserError(self.env._("Your name is required, at most 64 characters."))
        return name.strip()

    def _alliance_update_own_profile(self, name, birthday, consent_sms, consent_marketing):
        """The member changes their own name, birthday and consents (portal); nothing else.

        The phone is the member's identity and where their codes go: it changes with the operator.
        """
        self.ensure_one()
        if self != self.env.user.partner_id or not self.alliance_is_member:
            raise AccessError(self.env._("Members change their own details only."))
        name = self._alliance_check_own_name(name)
        birthday = self.env["alliance.card"]._alliance_check_birthday(birthday)
        # Portal users write no contact; this is their own record, with the fields checked above only.
        self.sudo().write(
            {
                "name": name,
                "alliance_birthday": birthday,
                "alliance_consent_sms": bool(consent_sms),
                "alliance_consent_marketing": bool(consent_marketing),
            }
        )

    @api.model_create_multi
    def create(self, vals_list):
        # Checked before the insert so that a duplicate phone is a clear
        # message, not a unique index violation.
        for vals in vals_list:
            if vals.get("alliance_is_member") and vals.get("phone"):
                vals["phone"] = self._alliance_normalize_phone(vals["phone"])
                self._alliance_check_phone_free(vals["phone"])
        return super().create(vals_list)

    def write(self, vals):
        if "phone" in vals or vals.get("alliance_is_member"):
            for partner in self:
                if not (vals.get("alliance_is_member") or partner.alliance_is_member):
                    continue
                phone = vals.get("phone", partner.phone)
                if phone:
                    e164 = self._alliance_normalize_phone(phone)
                    self._alliance_check_phone_free(e164, exclude=self)
                    if "phone" in vals:
                        vals["phone"] = e164
        return super().write(vals)
