import io

import xlsxwriter

from odoo import api, models


class AllianceSettlementXlsx(models.AbstractModel):
    """Statements as a spreadsheet: a summary row per statement, then every line."""

    _name = "alliance.settlement.xlsx"
    _description = "Alliance Settlement Statements (XLSX)"

    XLSX_COLUMNS = (
        "period_id",
        "merchant_id",
        "state",
        "points_bought",
        "amount_bought",
        "points_issued",
        "amount_issued",
        "points_redeemed",
        "amount_reimbursed",
        "amount_commission",
        "points_expired",
        "sms_bought",
        "amount_sms",
        "sms_used",
        "amount_net",
    )

    @api.model
    def _write(self, statements):
        """The statements as a workbook: one summary row each, then every line."""
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        formats = {
            "bold": book.add_format({"bold": True}),
            "money": book.add_format({"num_format": "#,##0.00"}),
            "total_money": book.add_format({"num_format": "#,##0.00", "bold": True, "top": 1}),
            "total": book.add_format({"bold": True, "top": 1}),
        }
        self._write_summary(statements, book.add_worksheet(self.env._("Statements")), formats)
        self._write_lines(statements, book.add_worksheet(self.env._("Lines")), formats)
        book.close()
        return buffer.getvalue()

    @api.model
    def _get_columns(self):
        """Hook: the statement fields of the summary sheet, in order (the net amount last)."""
        return self.XLSX_COLUMNS

    @api.model
    def _cell(self, statement, name):
        """What a summary cell shows: a name for relations and states, the number otherwise."""
        value = statement[name]
        field = statement._fields[name]
        if field.type == "many2one":
            return value.display_name
        if field.type == "selection":
            return dict(field._description_selection(self.env))[value]
        return value

    @api.model
    def _write_summary(self, statements, sheet, formats):
        columns = self._get_columns()
        fields_ = statements._fields
        for col, name in enumerate(columns):
            sheet.write(0, col, fields_[name]._description_string(self.env), formats["bold"])
        for row, statement in enumerate(statements, start=1):
            for col, name in enumerate(columns):
                money = fields_[name].type == "monetary"
                sheet.write(row, col, self._cell(statement, name), formats["money"] if money else None)
        # Totals as numbers, not formulas: whoever reads the file gets them without recalculating.
        last = len(statements) + 1
        sheet.write(last, 0, self.env._("Total"), formats["bold"])
        currency = statements[:1].currency_id
        for col, name in enumerate(columns[3:], start=3):
            if fields_[name].type == "monetary":
                sheet.write_number(last, col, currency.round(sum(statements.mapped(name))), formats["total_money"])
            else:
                sheet.write_number(last, col, sum(statements.mapped(name)), formats["total"])
        sheet.set_column(0, 1, 24)
        sheet.set_column(2, len(columns), 14)

    @api.model
    def _write_lines(self, statements, sheet, formats):
        Line = self.env["alliance.settlement.line"]
        for col, name in enumerate(["statement_id", "kind", "points", "price", "base", "rate", "amount"]):
            sheet.write(0, col, Line._fields[name]._description_string(self.env), formats["bold"])
        kinds = dict(Line._fields["kind"]._description_selection(self.env))
        row = 1
        for line in statements.line_ids:
            sheet.write_row(row, 0, [line.statement_id.name, kinds[line.kind], line.points])
            for col, value in ((3, line.price), (4, line.base), (6, line.amount)):
                sheet.write_number(row, col, value, formats["money"])
            sheet.write_number(row, 5, line.rate)
            row += 1
        sheet.set_column(0, 1, 28)
        sheet.set_column(2, 6, 16)
