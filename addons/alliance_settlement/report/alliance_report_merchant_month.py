"""The merchant's monthly report (经营月报) as a PDF: the month against the one before, by day, and
where its customers came from, with its charts drawn as SVG for wkhtmltopdf."""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.exceptions import UserError

CHART_WIDTH, CHART_HEIGHT = 640, 160


class ReportAllianceMerchantMonth(models.AbstractModel):
    _name = "report.alliance_settlement.report_merchant_month"
    _description = "Alliance Merchant Monthly Report"

    @api.model
    def _get_month(self, data):
        """The month reported: ``data['month']`` (YYYY-MM), else the last whole month."""
        text = (data or {}).get("month")
        if not text:
            return self.env["alliance.points.engine"]._today().replace(day=1) - relativedelta(months=1)
        try:
            year, month = (int(part) for part in str(text).split("-"))
            return date(year, month, 1)
        except ValueError:
            raise UserError(self.env._("A month is written YYYY-MM, not %s.", text)) from None

    @api.model
    def _get_day_bars(self, month, days):
        """The month's bars: one per day, scaled to the best day."""
        length = ((month + relativedelta(months=1)) - month).days
        by_day = dict(days)
        top = max([float(sales or 0) for sales in by_day.values()] or [0]) or 1.0
        width = CHART_WIDTH / length
        bars = []
        for index in range(length):
            day = month + relativedelta(days=index)
            sales = float(by_day.get(day) or 0)
            height = round(CHART_HEIGHT * max(sales, 0) / top, 1)
            bars.append(
                {
                    "x": round(index * width + 1, 1),
                    "y": round(CHART_HEIGHT - height, 1),
                    "w": round(width - 2, 1),
                    "h": height,
                    "label": day.day,
                    "sales": sales,
                }
            )
        return bars

    @api.model
    def _get_report_values(self, docids, data=None):
        merchants = self.env["alliance.merchant"].browse(docids)
        # The figures are read with the server's rights: the merchants are first the caller's to read.
        merchants.check_access("read")
        month = self._get_month(data)
        Board = self.env["alliance.dashboard"]
        figures = {}
        for merchant in merchants:
            fig = Board._get_merchant_figures(merchant, month)
            top = max([float(sales or 0) for _n, _m, sales in fig["sources"]] or [0]) or 1.0
            fig["bars"] = self._get_day_bars(month, fig["days"])
            fig["source_bars"] = [
                {"name": name, "members": members, "sales": sales, "pct": int(100 * float(sales or 0) / top)}
                for name, members, sales in fig["sources"]
            ]
            figures[merchant.id] = fig
        return {
            "doc_ids": docids,
            "doc_model": "alliance.merchant",
            "docs": merchants,
            "figures": figures,
            "month": month,
            "chart_width": CHART_WIDTH,
            "chart_height": CHART_HEIGHT,
        }
