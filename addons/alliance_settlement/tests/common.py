from datetime import datetime

import pytz
from dateutil.relativedelta import relativedelta

from odoo.addons.alliance_points.tests.common import PointsCase, PointsHttpCase


class SettlementMixin:
    """Two months: the one of today, where the API's entries are dated, and the next."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Period = cls.env["alliance.settlement.period"]
        # The alliance's day, which periods follow (Asia/Shanghai): from 16:00 UTC it is already tomorrow.
        tz = pytz.timezone(cls.env["alliance.points.engine"]._get_tz())
        cls.today = datetime.now(tz).date()
        first = cls.today.replace(day=1)
        cls.this_month = Period._month_of(first)
        cls.next_month = Period._month_of(first + relativedelta(months=1))

    def _statement(self, period, merchant):
        return self.env["alliance.settlement.statement"].search(
            [("period_id", "=", period.id), ("merchant_id", "=", merchant.id), ("state", "!=", "cancel")]
        )

    def _build(self, period):
        period.with_user(self.user_accountant).action_build()
        return period.statement_ids.filtered(lambda s: s.state != "cancel")

    def _lines(self, statement):
        return {line.kind: (line.points, line.amount) for line in statement.line_ids}


class SettlementCase(SettlementMixin, PointsCase):
    pass


class SettlementHttpCase(SettlementMixin, PointsHttpCase):
    pass
