from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class AllianceSettlementPortal(CustomerPortal):
    @http.route("/my/alliance/statement/<int:statement_id>/pdf", type="http", auth="user", website=True)
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
