import uuid

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers import portal


class AllianceGiftPortal(portal.CustomerPortal):
    """礼品兑换 on the member's phone: the catalogue, ordering with the PIN or a texted code, the orders."""

    def _alliance_gift_card(self):
        """The member's own active card, through the portal's record rules."""
        return request.env["alliance.card"].search(
            [("partner_id", "=", request.env.user.partner_id.id), ("state", "=", "active")], limit=1
        )

    def _alliance_gifts(self, card):
        """What the catalogue offers today, with what the member may order of it."""
        today = fields.Date.context_today(request.env.user)
        # The catalogue is public to members: gifts only, read for display.
        gifts = (
            request.env["product.template"]
            .sudo()
            .search(
                [
                    ("alliance_is_gift", "=", True),
                    "|",
                    ("alliance_gift_date_from", "=", False),
                    ("alliance_gift_date_from", "<=", today),
                    "|",
                    ("alliance_gift_date_to", "=", False),
                    ("alliance_gift_date_to", ">=", today),
                ],
                order="alliance_points_price, id",
            )
        )
        Order = request.env["alliance.gift.order"]
        rows = []
        for gift in gifts:
            warehouse = Order.sudo()._get_warehouse(gift.alliance_gift_sponsor_id)
            free = int(max(gift.product_variant_id.with_context(warehouse_id=warehouse.id).free_qty, 0))
            for_tier = not gift.alliance_gift_tier_ids or card.tier_id in gift.alliance_gift_tier_ids
            rows.append(
                {
                    "gift": gift,
                    "free": free,
                    "for_tier": for_tier,
                    "affordable": card.balance >= gift.alliance_points_price,
                    "tiers": "、".join(gift.alliance_gift_tier_ids.mapped("name")),
                }
            )
        return rows

    @http.route(["/my/alliance/gifts"], type="http", auth="user", website=True, readonly=True)
    def alliance_gift_catalogue(self, **kw):
        card = self._alliance_gift_card()
        if not card:
            return request.redirect("/my/alliance")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "alliance_gifts", "card": card, "rows": self._alliance_gifts(card)})
        return request.render("alliance_gift.portal_gift_catalogue", values)

    @http.route(["/my/alliance/gifts/<int:gift_id>"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def alliance_gift_order_page(self, gift_id, **post):
        card = self._alliance_gift_card()
        if not card:
            return request.redirect("/my/alliance")
        row = next((r for r in self._alliance_gifts(card) if r["gift"].id == gift_id), None)
        if not row:
            raise request.not_found()
        gift = row["gift"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "alliance_gifts",
                "card": card,
                "row": row,
                "gift": gift,
                # The operator's gifts are collected at any active merchant; a sponsor's at the sponsor.
                "pickups": gift.alliance_gift_sponsor_id
                or request.env["alliance.merchant"].sudo().search([("state", "=", "active")], order="name"),
                "reference": post.get("reference") or uuid.uuid4().hex,
                "qty": post.get("qty") or "1",
                "pickup_id": post.get("pickup_id") or "",
                "address": post.get("address") or "",
            }
        )
        if request.httprequest.method == "POST":
            try:
                if post.get("send_code"):
                    auth = request.env["alliance.card.auth"]._get_for(card.sudo())
                    auth._send_sms_code(purpose="gift")
                    values["sent_to"] = card.partner_id.sudo()._alliance_masked_phone()
                else:
                    order = self._alliance_place_from_form(card, gift, post)
                    return request.redirect(f"/my/alliance/gift-orders/{order.id}")
            except (UserError, AccessError) as error:
                values["error"] = str(error)
        return request.render("alliance_gift.portal_gift_order_form", values)

    def _alliance_place_from_form(self, card, gift, post):
        try:
            qty = int(post.get("qty") or 0)
            pickup_id = int(post.get("pickup_id") or 0) or False
        except ValueError:
            raise UserError(request.env._("A gift's quantity is a whole number from 1 to %s.", 99)) from None
        proof = {"pin": post.get("pin") or ""} if post.get("pin") else {"sms": post.get("sms_code") or ""}
        address = (post.get("address") or "").strip() or None
        # A refused order holds nothing; a wrong PIN's count is kept in a transaction of its own.
        with request.env.cr.savepoint():
            return request.env["alliance.gift.order"]._alliance_place(
                card,
                [{"product_id": gift.id, "qty": qty}],
                pickup_id,
                proof,
                str(post.get("reference") or "")[:64],
                address=address,
            )

    @http.route(["/my/alliance/gift-orders"], type="http", auth="user", website=True, readonly=True)
    def alliance_gift_orders(self, **kw):
        values = self._prepare_portal_layout_values()
        orders = request.env["alliance.gift.order"].search([("partner_id", "=", request.env.user.partner_id.id)])
        # Found through the rules above; read whole for display (gift and merchant names).
        values.update({"page_name": "alliance_gift_orders", "orders": orders.sudo()})
        return request.render("alliance_gift.portal_gift_orders", values)

    @http.route(
        ["/my/alliance/gift-orders/<int:order_id>"], type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def alliance_gift_order(self, order_id, **post):
        try:
            order = self._document_check_access("alliance.gift.order", order_id)
        except (AccessError, MissingError):
            raise request.not_found() from None
        values = self._prepare_portal_layout_values()
        if request.httprequest.method == "POST" and post.get("cancel"):
            try:
                order.action_alliance_cancel()
            except (UserError, AccessError) as error:
                values["error"] = str(error)
        values.update({"page_name": "alliance_gift_orders", "order": order})
        return request.render("alliance_gift.portal_gift_order", values)


class AllianceCouponPortal(AllianceGiftPortal):
    """电子券 on the member's phone: their coupons as QR codes, and coupons to buy with points."""

    def _alliance_coupon_offers(self, card):
        today = request.env["alliance.coupon"]._today()
        # The coupons on offer are public to members: read for display.
        templates = (
            request.env["alliance.coupon.template"]
            .sudo()
            .search(
                [
                    ("issue_mode", "=", "points"),
                    "|",
                    ("date_from", "=", False),
                    ("date_from", "<=", today),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", today),
                ],
                order="points_price, id",
            )
        )
        return templates.filtered(lambda t: not t.tier_ids or card.tier_id in t.tier_ids)

    @http.route(["/my/alliance/coupons"], type="http", auth="user", website=True, readonly=True)
    def alliance_coupons(self, **kw):
        card = self._alliance_gift_card()
        if not card:
            return request.redirect("/my/alliance")
        coupons = request.env["alliance.coupon"].search(
            [("partner_id", "=", request.env.user.partner_id.id)], order="state, date_expire, id"
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "alliance_coupons",
                "card": card,
                # The member's own, found through the rules; read whole for the template and merchant names.
                "available": coupons.filtered(lambda c: c.state == "available").sudo(),
                "past": coupons.filtered(lambda c: c.state != "available")[:20].sudo(),
                "offers": self._alliance_coupon_offers(card),
            }
        )
        return request.render("alliance_gift.portal_coupons", values)

    @http.route(
        ["/my/alliance/coupons/buy/<int:template_id>"], type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def alliance_coupon_buy(self, template_id, **post):
        card = self._alliance_gift_card()
        if not card:
            return request.redirect("/my/alliance")
        template = self._alliance_coupon_offers(card).filtered(lambda t: t.id == template_id)
        if not template:
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "alliance_coupons",
                "card": card,
                "template": template,
                "reference": post.get("reference") or uuid.uuid4().hex,
            }
        )
        if request.httprequest.method == "POST":
            try:
                if post.get("send_code"):
                    auth = request.env["alliance.card.auth"]._get_for(card.sudo())
                    auth._send_sms_code(purpose="gift")
                    values["sent_to"] = card.partner_id.sudo()._alliance_masked_phone()
                else:
                    proof = {"pin": post.get("pin") or ""} if post.get("pin") else {"sms": post.get("sms_code") or ""}
                    # A refused purchase holds nothing; a wrong PIN's count is kept in a transaction of its own.
                    with request.env.cr.savepoint():
                        request.env["alliance.coupon"]._alliance_buy(
                            card, template.id, proof, str(post.get("reference") or "")[:64]
                        )
                    return request.redirect("/my/alliance/coupons")
            except (UserError, AccessError) as error:
                values["error"] = str(error)
        return request.render("alliance_gift.portal_coupon_buy", values)
