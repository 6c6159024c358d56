from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers import portal


class AlliancePortal(portal.CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "alliance_card_count" in counters:
            values["alliance_card_count"] = request.env["alliance.card"].search_count(
                [("partner_id", "=", request.env.user.partner_id.id)]
            )
        if "alliance_merchant_count" in counters:
            values["alliance_merchant_count"] = (
                request.env["alliance.merchant"].search_count([])
                if request.env.user.has_group("alliance_member.group_alliance_portal_merchant")
                else 0
            )
        return values

    @http.route(["/my/alliance"], type="http", auth="user", website=True, readonly=True)
    def alliance_my_card(self, **kw):
        card = request.env["alliance.card"].search(
            [("partner_id", "=", request.env.user.partner_id.id)], order="state, id desc", limit=1
        )
        if not card:
            return request.redirect("/my")
        return request.redirect(f"/my/alliance/card/{card.id}")

    @http.route(["/my/alliance/card/<int:card_id>"], type="http", auth="user", website=True, readonly=True)
    def alliance_card_page(self, card_id, **kw):
        try:
            card = self._document_check_access("alliance.card", card_id)
        except (AccessError, MissingError):
            raise request.not_found() from None
        if card.partner_id != request.env.user.partner_id:
            # A merchant manager may read cards it issued; the card page is the member's.
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(card._alliance_portal_values())
        values["page_name"] = "alliance_card"
        return request.render("alliance_member.portal_alliance_card", values)

    @http.route(["/my/alliance/merchant"], type="http", auth="user", website=True, readonly=True)
    def alliance_merchant_page(self, **kw):
        if not request.env.user.has_group("alliance_member.group_alliance_portal_merchant"):
            return request.redirect("/my")
        # The record rule leaves a portal merchant manager its own merchant only.
        merchant = request.env["alliance.merchant"].search([("state", "!=", "draft")], limit=1)
        if not merchant:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(merchant._alliance_portal_values())
        values["page_name"] = "alliance_merchant"
        return request.render("alliance_member.portal_alliance_merchant", values)

    # -- the member's own details, fit for a phone -------------------------------------

    def _alliance_my_member(self):
        partner = request.env.user.partner_id
        return partner if partner.alliance_is_member else partner.browse()

    @http.route(["/my/alliance/profile"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def alliance_my_profile(self, **post):
        partner = self._alliance_my_member()
        if not partner:
            return request.redirect("/my")
        error = saved = False
        if request.httprequest.method == "POST":
            try:
                partner._alliance_update_own_profile(
                    post.get("name"),
                    post.get("birthday") or False,
                    bool(post.get("consent_sms")),
                    bool(post.get("consent_marketing")),
                )
                saved = True
            except UserError as exc:
                error = exc.args[0]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "alliance_profile",
                "member": partner.sudo(),
                "phone": partner.sudo()._alliance_masked_phone(),
                "error": error,
                "saved": saved,
                "post": post if error else {},
            }
        )
        return request.render("alliance_member.portal_alliance_profile", values)
