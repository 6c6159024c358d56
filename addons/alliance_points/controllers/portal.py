from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers import portal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class AlliancePointsPortal(portal.CustomerPortal):
    @http.route(["/my/alliance/points", "/my/alliance/points/page/<int:page>"], type="http", auth="user", website=True)
    def alliance_my_points(self, page=1, **kw):
        partner = request.env.user.partner_id
        Entry = request.env["alliance.points.entry"]
        domain = [("partner_id", "=", partner.id)]
        total = Entry.search_count(domain)
        pager = portal_pager(url="/my/alliance/points", total=total, page=page, step=self._items_per_page)
        entries = Entry.search(domain, order="date desc, id desc", limit=self._items_per_page, offset=pager["offset"])
        card = request.env["alliance.card"].search([("partner_id", "=", partner.id), ("state", "=", "active")], limit=1)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "alliance_points",
                "card": card,
                "entries": entries,
                "pager": pager,
                # Read through the member's own card, which the record rules let it see.
                "expiring": card.sudo()._alliance_expiring(30) if card else [],
            }
        )
        return request.render("alliance_points.portal_my_points", values)
