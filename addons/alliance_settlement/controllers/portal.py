from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal


class AllianceSettlementPortal(CustomerPortal):
    @http.route("/my/alliance/statement/<int:statement_id>/pdf", type="http", auth="user", website=True, readonly=True)
    def alliance_statement_pdf(self, statement_id, **kw):
        statement = request.env["alliance.settlement.statement"].browse(statement_id)
        try:
            # The user's own rules decide; the report then renders as Odoo's portal reports do.
            statement.check_access("read")
            statement.ensure_one()
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._show_report(
            model=statement.sudo(),
            report_type="pdf",
            report_ref="alliance_settlement.action_report_statement",
            download=True,
        )

    @http.route("/my/alliance/dashboard", type="http", auth="user", website=True, readonly=True)
    def alliance_merchant_dashboard(self, **kw):
        """The merchant's month on a phone: its own merchant, as the record rule leaves it to its portal manager."""
        if not request.env.user.has_group("alliance_member.group_alliance_portal_merchant"):
            return request.redirect("/my")
        merchant = request.env["alliance.merchant"].search([("state", "!=", "draft")], limit=1)
        if not merchant:
            return request.redirect("/my")
        figures = request.env["alliance.dashboard"]._get_merchant_figures(merchant)
        top = max([sales for _name, _members, sales in figures["sources"]] or [0]) or 1
        values = self._prepare_portal_layout_values()
        values.update(merchant=merchant, fig=figures, top_sales=top, page_name="alliance_dashboard")
        return request.render("alliance_settlement.portal_alliance_dashboard", values)

    @http.route("/my/alliance/dashboard/pdf", type="http", auth="user", website=True, readonly=True)
    def alliance_merchant_month_pdf(self, **kw):
        """Last month's report of the portal manager's own merchant, as a PDF."""
        if not request.env.user.has_group("alliance_member.group_alliance_portal_merchant"):
            return request.redirect("/my")
        merchant = request.env["alliance.merchant"].search([("state", "!=", "draft")], limit=1)
        if not merchant:
            return request.redirect("/my")
        # The merchant is the one its rules leave the user; the report checks it can read it.
        pdf, _type = request.env["ir.actions.report"]._render_qweb_pdf(
            "alliance_settlement.action_report_merchant_month", merchant.ids
        )
        filename = f"{merchant.name} {request.env._('Monthly Report')}.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
