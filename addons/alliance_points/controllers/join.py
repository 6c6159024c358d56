import logging

from odoo import http
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

_logger = logging.getLogger(__name__)

FORM_FIELDS = ("phone", "code", "name", "birthday")


class AllianceJoin(http.Controller):
    """邀请注册: a friend scans a member's invite QR, proves their phone with a texted code and joins.

    The friend becomes a member referred by the inviter (the referral bonus
    starts with their first purchase), holds an electronic card and is signed
    in. The page shows the inviter's name masked, and nothing of any member else.
    """

    def _render(self, inviter, token, post=None, **values):
        post = post or {}
        name = inviter.sudo().name or ""
        operator = request.env["alliance.merchant"].sudo()._get_operator_company()
        values = {
            "token": token,
            "inviter": name[:1] + "*" * min(max(len(name) - 1, 1), 3),
            "alliance": operator.name,
            "sent": False,
            "error": "",
            "consent_sms": bool(post.get("consent_sms")),
            "consent_marketing": bool(post.get("consent_marketing")),
            "terms": bool(post.get("terms")),
            **{key: str(post.get(key) or "")[:64] for key in FORM_FIELDS},
            **values,
        }
        return request.render("alliance_points.alliance_join", values)

    def _inviter(self, token):
        inviter = request.env["res.partner"]._alliance_inviter(token)
        if not inviter:
            raise request.not_found()
        return inviter

    @http.route(
        "/alliance/join/<string:token>", type="http", auth="public", website=True, methods=["GET"], sitemap=False
    )
    def alliance_join_page(self, token, **kw):
        inviter = self._inviter(token)
        if not request.env.user._is_public():
            return request.redirect("/my/alliance/points")
        return self._render(inviter, token)

    @http.route(
        "/alliance/join/<string:token>", type="http", auth="public", website=True, methods=["POST"], sitemap=False
    )
    def alliance_join(self, token, send=None, **post):
        inviter = self._inviter(token)
        Partner = request.env["res.partner"]
        try:
            phone = Partner._alliance_normalize_phone(str(post.get("phone") or "")[:32])
        except UserError as error:
            return self._render(inviter, token, post, error=str(error))
        Code = request.env["alliance.phone.code"].sudo()
        if send:
            return self._send_code(inviter, token, phone, post)
        if not post.get("terms"):
            return self._render(
                inviter, token, post, sent=True, error=request.env._("Please read and accept the membership terms.")
            )
        try:
            # What the form says is checked before the code is spent on it.
            self._check_form(post)
            # Not in the savepoint below: a wrong code's count must stay.
            row = Code._check(phone, "join", str(post.get("code") or "").strip()[:16])
            # A join refused half-way leaves no member without a card behind.
            with request.env.cr.savepoint():
                member = self._join_or_find(inviter, phone, post)
                user = request.env["res.users"].sudo()._alliance_portal_user_for(member)
                ticket = row._issue_ticket()
        except UserError as error:
            return self._render(inviter, token, post, sent=True, error=str(error))
        try:
            request.session.authenticate(
                request.env, {"type": "alliance_phone_ticket", "login": user.login, "ticket": ticket}
            )
        except AccessDenied:
            # The phone is a staff member's: their own sign-in, not a member's code, opens their account.
            _logger.info("A joining phone's code did not sign in user %s", user.id)
            return request.redirect("/web/login")
        return request.redirect("/my/alliance/points")

    def _send_code(self, inviter, token, phone, post):
        Code = request.env["alliance.phone.code"].sudo()
        lang = request.env(context=dict(request.env.context, lang="zh_CN"))
        try:
            Code._send(
                phone,
                "join",
                request.httprequest.remote_addr,
                lang._("join the alliance"),
            )
        except UserError as error:
            return self._render(inviter, token, post, sent=True, error=str(error))
        return self._render(inviter, token, post, sent=True)

    def _check_form(self, post):
        request.env["res.partner"]._alliance_check_own_name(post.get("name"))
        request.env["alliance.card"]._alliance_check_birthday(post.get("birthday") or None)

    def _join_or_find(self, inviter, phone, post):
        """The new member; or, when the phone proven is already a member's, that member (not re-referred)."""
        Partner = request.env["res.partner"].sudo()
        # The phone was just proven by its code: it may find its own member.
        member = Partner.search([("alliance_phone", "=", phone), ("alliance_is_member", "=", True)], limit=1)
        if member:
            if not member.alliance_card_id:
                raise UserError(request.env._("Your card is not active: please ask the alliance's service desk."))
            return member
        card = inviter._alliance_join(
            str(post.get("name") or ""),
            phone,
            post.get("birthday") or None,
            bool(post.get("consent_sms")),
            bool(post.get("consent_marketing")),
        )
        return card.partner_id
