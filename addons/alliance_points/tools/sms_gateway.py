"""The alliance's SMS gateway: a template-based HTTP API of the kind Chinese operators use (Aliyun SMS style).

A request names a signature (签名), an approved template code and its parameters; it is signed
with HMAC-SHA1 over the sorted, percent-encoded parameters, with the account's secret. Free
text is not sent: carriers in China only deliver approved templates.
"""

import base64
import hashlib
import hmac
import json
import logging
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import requests

from odoo.tools import config, split_every

from odoo.addons.sms.tools.sms_api import SmsApiBase

_logger = logging.getLogger(__name__)

# The gateway's answers that a later try may cure: its throttling, its own errors.
# The account's balance too: the operator tops it up, and the messages go then (within the retries' hours).
TRANSIENT_CODES = {
    "isv.BUSINESS_LIMIT_CONTROL",
    "isp.SYSTEM_ERROR",
    "Throttling",
    "ServiceUnavailable",
    "isv.AMOUNT_NOT_ENOUGH",
    "isv.OUT_OF_SERVICE",
}
# Its answers that name the problem: the number, the account, the template. Trying again changes nothing.
PERMANENT_CODES = {
    "isv.MOBILE_NUMBER_ILLEGAL": "wrong_number_format",
    "isv.MOBILE_COUNT_OVER_LIMIT": "wrong_number_format",
    "isv.ACCOUNT_NOT_EXISTS": "alliance_account",
    "InvalidAccessKeyId.NotFound": "alliance_account",
    "SignatureDoesNotMatch": "alliance_account",
    "isv.SMS_SIGNATURE_ILLEGAL": "alliance_template",
    "isv.SMS_TEMPLATE_ILLEGAL": "alliance_template",
    "isv.TEMPLATE_MISSING_PARAMETERS": "alliance_template",
    "isv.TEMPLATE_PARAMS_ILLEGAL": "alliance_template",
}


def percent_encode(value):
    """RFC 3986, as the gateway signs: spaces as %20, ``~`` kept, ``*`` encoded."""
    return quote(str(value), safe="~")


def sign(params, secret, method="POST"):
    """The request's signature: HMAC-SHA1 of METHOD&%2F&<sorted encoded parameters>, key ``secret&``."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in sorted(params))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class SmsApiAlliance(SmsApiBase):
    """Sends the alliance's templated messages, one request per message (each has its own parameters)."""

    PROVIDER_TO_SMS_FAILURE_TYPE = SmsApiBase.PROVIDER_TO_SMS_FAILURE_TYPE | {
        "wrong_number_format": "sms_number_format",
        "alliance_account": "sms_acc",
        "alliance_template": "alliance_template",
        "alliance_unconfigured": "alliance_unconfigured",
        "alliance_transient": "sms_server",
        "alliance_unknown": "alliance_unknown",
    }
    TIMEOUT = 5
    BATCH = 100

    def _get_settings(self):
        """URL, key id, secret and signature: the secret from Odoo's configuration file first (never in a
        database dump), else from a system parameter only administrators read."""
        params = self.env["ir.config_parameter"].sudo()
        return {
            "url": params.get_param("alliance_points.sms_gateway_url"),
            "key_id": config.get("alliance_sms_access_key_id") or params.get_param("alliance_points.sms_key_id"),
            "secret": config.get("alliance_sms_access_key_secret") or params.get_param("alliance_points.sms_secret"),
            "sign_name": params.get_param("alliance_points.sms_sign_name") or "商家联盟",
        }

    def _prepare_request(self, settings, sms):
        """Hook: the parameters of one message (``sms``: an ``sms.sms``, its template and parameters)."""
        return {
            "Action": "SendSms",
            "OutId": sms.uuid,
            "PhoneNumbers": sms._alliance_gateway_number(),
            "SignName": settings["sign_name"],
            "TemplateCode": sms.alliance_template_id.gateway_code or "",
            "TemplateParam": json.dumps(sms._alliance_params(), ensure_ascii=False, sort_keys=True),
        }

    def _prepare_batch_request(self, settings, messages):
        """Hook: up to ``BATCH`` messages of one template in one request (SendBatchSms), each its own parameters."""
        return {
            "Action": "SendBatchSms",
            "PhoneNumberJson": json.dumps([sms._alliance_gateway_number() for sms in messages]),
            "SignNameJson": json.dumps([settings["sign_name"]] * len(messages), ensure_ascii=False),
            "TemplateCode": messages[0].alliance_template_id.gateway_code or "",
            "TemplateParamJson": json.dumps(
                [sms._alliance_params() for sms in messages], ensure_ascii=False, sort_keys=True
            ),
        }

    def _sign(self, settings, params):
        """The common parameters, and the signature over all of them."""
        params = {
            **params,
            "AccessKeyId": settings["key_id"],
            "Format": "JSON",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        params["Signature"] = sign(params, settings["secret"])
        return params

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        """See ``sms.tools.sms_api``: one result per number, ``state`` 'success' or a failure.

        A code goes alone, at once; a reminder run or a campaign goes ``BATCH`` messages of one
        template per request: 10,000 members are 100 requests, not 10,000 round trips.
        """
        uuids = [number["uuid"] for message in messages for number in message["numbers"]]
        records = self.env["sms.sms"].sudo().search([("uuid", "in", uuids)], order="id")
        settings = self._get_settings()
        if not (settings["url"] and settings["key_id"] and settings["secret"]):
            reason = self.env._("The SMS gateway is not configured (URL, key and secret).")
            return [{"uuid": u, "state": "alliance_unconfigured", "failure_reason": reason} for u in uuids]
        results = []
        with requests.Session() as session:
            for _template, group in records.grouped("alliance_template_id").items():
                if len(group) == 1:
                    params = self._prepare_request(settings, group)
                    results.append({"uuid": group.uuid, **self._post(session, settings, params)})
                    continue
                for chunk in split_every(self.BATCH, group.ids, group.browse):
                    answer = self._post(session, settings, self._prepare_batch_request(settings, chunk))
                    if answer["state"] == "wrong_number_format":
                        # One bad number refuses the whole request: each goes alone, and only it fails.
                        for sms in chunk:
                            params = self._prepare_request(settings, sms)
                            results.append({"uuid": sms.uuid, **self._post(session, settings, params)})
                        continue
                    results += [{"uuid": sms.uuid, **answer} for sms in chunk]
        return results

    def _post(self, session, settings, params):
        try:
            response = session.post(settings["url"], data=self._sign(settings, params), timeout=self.TIMEOUT)
        except requests.exceptions.ConnectionError as e:
            # Not connected: the request never reached the gateway, and trying again sends it once.
            _logger.warning("SMS gateway unreachable: %s", e)
            return {"state": "alliance_transient", "failure_reason": self.env._("Gateway unreachable: %s", e)}
        except requests.exceptions.RequestException as e:
            # Sent, and no answer: the gateway may have taken it, and it has no way to refuse a repeat.
            _logger.warning("SMS gateway did not answer: %s", e)
            return {
                "state": "alliance_unknown",
                "failure_reason": self.env._("No answer from the gateway: the message may have gone; not sent again."),
            }
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        code = answer.get("Code") or ""
        if response.ok and code == "OK":
            return {"state": "success", "gateway_id": answer.get("BizId")}
        reason = f"{code or response.status_code}: {answer.get('Message') or response.reason}"
        if code in PERMANENT_CODES:
            return {"state": PERMANENT_CODES[code], "failure_reason": reason}
        if code in TRANSIENT_CODES or response.status_code >= 500 or response.status_code == 429:
            return {"state": "alliance_transient", "failure_reason": reason}
        _logger.warning("SMS gateway answered an unknown error: %s", reason)
        return {"state": "alliance_template", "failure_reason": reason}
