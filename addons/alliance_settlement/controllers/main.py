from odoo import http
from odoo.http import content_disposition, request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AllianceSettlementController(http.Controller):
    """Statements as spreadsheets, for whoever may read them (record rules decide)."""

    def _xlsx_response(self, statements, filename):
        content = request.env["alliance.settlement.xlsx"]._write(statements)
        return request.make_response(
            content, headers=[("Content-Type", XLSX), ("Content-Disposition", content_disposition(filename))]
        )

    @http.route("/alliance/settlement/statement/<int:statement_id>/xlsx", type="http", auth="user", readonly=True)
    def statement_xlsx(self, statement_id):
        statement = request.env["alliance.settlement.statement"].browse(statement_id).exists()
        if not statement:
            raise request.not_found()
        statement.check_access("read")
        return self._xlsx_response(statement, f"{statement.name}.xlsx")

    @http.route("/alliance/settlement/period/<int:period_id>/xlsx", type="http", auth="user", readonly=True)
    def period_xlsx(self, period_id):
        period = request.env["alliance.settlement.period"].browse(period_id).exists()
        if not period:
            raise request.not_found()
        period.check_access("read")
        # Through the user's rules: a merchant's manager gets its own statement only.
        statements = period.statement_ids.filtered(lambda s: s.state != "cancel")
        return self._xlsx_response(statements, f"{period.name}.xlsx")
