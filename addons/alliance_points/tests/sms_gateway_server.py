"""A real HTTP server on this machine that plays the SMS gateway: it records each request, checks its
signature as the gateway's documentation computes it, and answers what the test scripts."""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote


def gateway_signature(params, secret):
    """The gateway's own recipe (not the addon's code): sorted, percent-encoded, HMAC-SHA1, base64."""

    def enc(value):
        return quote(value, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")

    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    to_sign = "POST&" + enc("/") + "&" + enc(query)
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class GatewayServer:
    """``answers``: a list of (HTTP status, JSON body[, seconds to wait]) served in turn; then success."""

    def __init__(self, secret):
        self.secret = secret
        self.requests = []
        self.answers = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # The answer in one segment, at once (no 40 ms wait for the client's delayed ACK).
            disable_nagle_algorithm = True
            wbufsize = 65536

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                params = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                with server.lock:
                    signature = params.pop("Signature", "")
                    params["_signed"] = hmac.compare_digest(signature, gateway_signature(params, server.secret))
                    server.requests.append(params)
                    answer = server.answers.pop(0) if server.answers else (200, None)
                status, body = answer[:2]
                if len(answer) > 2:
                    time.sleep(answer[2])  # a gateway slower than the client waits
                if body is None:
                    body = {"Code": "OK", "Message": "OK", "BizId": f"biz-{len(server.requests)}", "RequestId": "r"}
                if not params["_signed"]:
                    status, body = (
                        400,
                        {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"},
                    )
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def messages(self, template_code=None):
        """Every message the gateway took, a batch request counted per number: (phone, parameters) pairs."""
        found = []
        for r in self.requests:
            if template_code and r["TemplateCode"] != template_code:
                continue
            if r["Action"] == "SendBatchSms":
                found += zip(json.loads(r["PhoneNumberJson"]), json.loads(r["TemplateParamJson"]), strict=True)
            else:
                found.append((r["PhoneNumbers"], json.loads(r["TemplateParam"])))
        return found

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def configure_gateway(env, gateway, secret, key_id="LTAI-test-key"):
    """The alliance's settings pointing at ``gateway``; no quiet hours unless a test sets them."""
    ICP = env["ir.config_parameter"].sudo()
    for key, value in {
        "sms_gateway_url": gateway.url,
        "sms_key_id": key_id,
        "sms_secret": secret,
        "sms_sign_name": "星城商家联盟",
        "sms_quiet_start": "0",
        "sms_quiet_end": "0",
    }.items():
        ICP.set_param(f"alliance_points.{key}", value)


class GatewayMixin:
    """A test class with its own gateway, the alliance pointing at it; card A's member accepts SMS."""

    SECRET = "testsecret-0123456789"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = GatewayServer(cls.SECRET).__enter__()
        cls.addClassCleanup(cls.gateway.__exit__, None, None, None)
        configure_gateway(cls.env, cls.gateway, cls.SECRET)
        cls.card_a.partner_id.alliance_consent_sms = True
        # The demo's own texts (its members earned at install) are not this test's to send.
        cls.env.flush_all()
        cls.env.cr.execute("UPDATE sms_sms SET state = 'canceled' WHERE state IN ('outgoing', 'alliance_wait')")
        cls.env["sms.sms"].invalidate_model(["state"])

    def setUp(self):
        super().setUp()
        self.gateway.requests.clear()
        self.gateway.answers.clear()
