"""The gateway's delivery reports (SmsReport): it POSTs what the carriers said of each message."""

import hmac
import json
import logging

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)


class AllianceSmsReport(http.Controller):
    @http.route(
        "/alliance/sms/report/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def alliance_sms_report(self, token, **kw):
        """``[{"out_id", "biz_id", "phone_number", "success", "err_code", "err_msg"}, …]``; answers ``{"code": 0}``.

        The gateway signs nothing here: the URL's secret token (a system parameter) is the proof.
        """
        # The token is the operator's secret: read by the server alone.
        expected = request.env["ir.config_parameter"].sudo().get_param("alliance_points.sms_report_token") or ""
        if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
            return request.make_json_response({"code": 1, "msg": "forbidden"}, status=403)
        try:
            reports = json.loads(request.httprequest.get_data() or b"[]")
        except ValueError:
            reports = None
        if not isinstance(reports, list) or len(reports) > 1000:
            return request.make_json_response({"code": 1, "msg": "a JSON list of reports"}, status=400)
        # The server's own record of its messages, matched by the ids the gateway gave back.
        updated = request.env["sms.sms"].sudo()._alliance_apply_reports(reports)
        _logger.info("SMS delivery reports: %s received, %s applied", len(reports), updated)
        return request.make_json_response({"code": 0, "msg": "成功"})
