import logging

from odoo import http
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

_logger = logging.getLogger(__name__)


class AllianceLogin(http.Controller):
    """手机验证码登录: a member enrolled at a counter signs in with their phone and a texted code.

    The page answers the same whether the phone is a member's or not (no
    enumeration of members); the code is the card's, limited like every code
    (one a minute, five an hour, three tries, five minutes), and only for
    signing in. The member's portal user is created at the first sign-in.
    """

    def _render(self, phone="", sent=False, error=""):
        return request.render("alliance_points.alliance_login", {"phone": phone, "sent": sent, "error": error})

    def _member(self, phone):
        """The member with this phone (E.164), or an empty recordset; never says which."""
        Partner = request.env["res.partner"].sudo()
        try:
            normalized = Partner._alliance_normalize_phone(phone)
        except UserError:
            return Partner
        # Public page: the phone typed finds its member here only, to text them.
        return Partner.search([("alliance_phone", "=", normalized), ("alliance_is_member", "=", True)], limit=1)

    @http.route("/alliance/login", type="http", auth="public", website=True, methods=["GET"], sitemap=False)
    def alliance_login_page(self, phone="", **kw):
        if not request.env.user._is_public():
            return request.redirect("/my/alliance/points")
        return self._render(phone=phone if isinstance(phone, str) else "")

    @http.route("/alliance/login", type="http", auth="public", website=True, methods=["POST"], sitemap=False)
    def alliance_login(self, phone="", code="", send=None, **kw):
        phone = (phone or "").strip()[:32]
        member = self._member(phone) if phone else request.env["res.partner"]
        card = member.alliance_card_id
        if send:
            if card:
                try:
                    request.env["alliance.card.auth"].sudo()._get_for(card)._send_sms_code(purpose="login")
                except UserError as error:
                    # Too soon, too many: said to no one, or the page would tell a member's phone from a stranger's.
                    _logger.info("No sign-in code sent to card %s: %s", card.code, error)
            return self._render(phone=phone, sent=True)
        if not card:
            return self._render(phone=phone, sent=True, error=request.env._("Wrong phone number or code."))
        existing = member.with_context(active_test=False).user_ids[:1]
        user = existing or request.env["res.users"].sudo()._alliance_portal_user_for(member)
        credential = {"type": "alliance_sms", "login": user.login, "code": (code or "").strip()[:16]}
        try:
            request.session.authenticate(request.env, credential)
        except AccessDenied as error:
            _logger.info("Sign-in by phone code refused for card %s: %s", card.code, error)
            if not existing:
                # A wrong code leaves nothing behind. Not a savepoint: the wrong code's count must stay.
                user.unlink()
            # The same words as for a stranger's phone: the page does not tell members apart.
            return self._render(phone=phone, sent=True, error=request.env._("Wrong phone number or code."))
        return request.redirect("/my/alliance/points")
