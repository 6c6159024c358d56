from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.portal.controllers import portal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class AlliancePointsPortal(portal.CustomerPortal):
    def _alliance_my_active_card(self):
        """The member's own active card, through the portal's record rules."""
        return request.env["alliance.card"].search(
            [("partner_id", "=", request.env.user.partner_id.id), ("state", "=", "active")], limit=1
        )

    @http.route(
        ["/my/alliance/points", "/my/alliance/points/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def alliance_my_points(self, page=1, **kw):
        partner = request.env.user.partner_id
        Entry = request.env["alliance.points.entry"]
        domain = [("partner_id", "=", partner.id)]
        total = Entry.search_count(domain)
        pager = portal_pager(url="/my/alliance/points", total=total, page=page, step=self._items_per_page)
        entries = Entry.search(domain, order="date desc, id desc", limit=self._items_per_page, offset=pager["offset"])
        card = self._alliance_my_active_card()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "alliance_points",
                "card": card,
                "entries": entries,
                "pager": pager,
                # Read through the member's own card, which the record rules let it see.
                "expiring": card.sudo()._alliance_expiring(30) if card else [],
                "next_expiry": card.sudo()._alliance_next_expiry() if card else {},
            }
        )
        if card:
            url = request.env["ir.config_parameter"].sudo().get_param("web.base.url") + partner._alliance_invite_path()
            values.update(
                invite_url=url,
                invite_qr="/report/barcode/?"
                + urlencode({"barcode_type": "QR", "value": url, "width": 240, "height": 240}),
                invite_pct=request.env["alliance.points.engine"]._get_referral_levels()[0],
            )
        return request.render("alliance_points.portal_my_points", values)

    @http.route(
        ["/my/alliance/messages", "/my/alliance/messages/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def alliance_my_messages(self, page=1, **kw):
        """The texts the alliance sent the member (their own, by the record rules), codes masked."""
        partner = request.env.user.partner_id
        Message = request.env["alliance.sms.message"]
        domain = [("partner_id", "=", partner.id)]
        pager = portal_pager(
            url="/my/alliance/messages", total=Message.search_count(domain), page=page, step=self._items_per_page
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "alliance_messages",
                "messages": Message.search(domain, limit=self._items_per_page, offset=pager["offset"]),
                "pager": pager,
                "consent_sms": partner.alliance_consent_sms,
                "consent_marketing": partner.alliance_consent_marketing,
            }
        )
        return request.render("alliance_points.portal_my_messages", values)

    # -- the dynamic payment code (动态付款码) ---------------------------------------------

    @http.route(["/my/alliance/paycode"], type="http", auth="user", website=True)
    def alliance_paycode_page(self, **kw):
        card = self._alliance_my_active_card()
        if not card:
            return request.redirect("/my/alliance")
        values = self._prepare_portal_layout_values()
        # The member's own card (found above through the rules); its secrets are the server's.
        auth = request.env["alliance.card.auth"]._get_for(card.sudo())
        available = card.balance - request.env["alliance.points.trust"]._pending_points(card)
        values.update(
            {"page_name": "alliance_paycode", "card": card, "code": auth._issue_payment_code(), "available": available}
        )
        return request.render("alliance_points.portal_my_paycode", values)

    @http.route(["/my/alliance/paycode/next"], type="jsonrpc", auth="user", methods=["POST"])
    def alliance_paycode_next(self, **kw):
        """A fresh payment code for the member's phone (every few seconds, and after each use)."""
        card = self._alliance_my_active_card()
        if not card:
            return {"error": request.env._("You have no active alliance card.")}
        return {"code": request.env["alliance.card.auth"]._get_for(card.sudo())._issue_payment_code()}

    # -- the card's PIN (支付密码) -------------------------------------------------------

    @http.route(["/my/alliance/pin"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def alliance_pin_page(self, **post):
        card = self._alliance_my_active_card()
        if not card:
            return request.redirect("/my/alliance")
        # The member's own card; its secrets are reached through the server's methods only.
        auth = request.env["alliance.card.auth"]._get_for(card.sudo())
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "alliance_pin", "card": card, "has_pin": bool(auth.pin_hash)})
        if request.httprequest.method == "POST":
            try:
                if post.get("send_code"):
                    auth._send_sms_code()
                    values["sent_to"] = card.partner_id._alliance_masked_phone()
                else:
                    pin, again = post.get("pin", ""), post.get("pin_again", "")
                    if pin != again:
                        raise UserError(request.env._("The two PINs differ: type the same 6 digits twice."))
                    auth._check_pin_format(pin)
                    auth._check_sms_code(post.get("sms_code", "").strip())
                    auth._set_pin(pin)
                    values.update(done=True, has_pin=True)
            except UserError as error:
                values["error"] = str(error)
        return request.render("alliance_points.portal_my_pin", values)
