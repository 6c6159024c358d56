"""alliance_earn / alliance_redeem / alliance_reverse over the wire, concurrency included."""

import http.cookiejar
import json
import random
import re
import urllib.request
import uuid
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import Client

USER_ERROR = 2


@pytest.fixture(autouse=True)
def operator_settings(login):
    """The operator's settings these tests run under; whatever a test changes is put back."""
    admin = login("admin")
    keys = ("alliance_points.api_pending_hours", "alliance_points.card_only_points")
    before = {key: admin.call("ir.config_parameter", "get_param", key) for key in keys}
    admin.call("ir.config_parameter", "set_param", "alliance_points.api_pending_hours", "0")
    yield admin
    for key, value in before.items():
        admin.call("ir.config_parameter", "set_param", key, value or "")


def _new_member(login, name):
    phone = f"1390734{random.randint(0, 9999):04d}"
    return login("merchant_b_cashier").call("alliance.card", "alliance_enrol", name, phone)


def _sms_proof(login, cashier, card, points=None):
    """Ask the server to text the member a code; read it where the member would (the SMS queue)."""
    sent = login(cashier).call("alliance.card", "alliance_send_code", card, points)
    assert sent["sent"] and "****" in sent["phone"]
    [sms] = login("admin").call(
        "sms.sms",
        "search_read",
        [("alliance_template_id.key", "=", "auth_pay")],
        fields=["body"],
        order="id desc",
        limit=1,
    )
    # The code opens the text: "验证码123456：…".
    return {"sms": re.search(r"(\d{6})", sms["body"]).group(1)}


def test_earn_at_b_redeem_at_c_reverse(login):
    card = _new_member(login, "跨店会员")["card"]
    ref = uuid.uuid4().hex
    earned = login("merchant_b_cashier").call("alliance.card", "alliance_earn", card, 1000.0, ref)
    # At least one point per yuan; the demo's promotions may add more, depending on the day.
    points = earned["points"]
    assert points >= 1000
    assert earned["balance"] == points
    # The same reference again credits nothing and answers the same.
    assert login("merchant_b_cashier").call("alliance.card", "alliance_earn", card, 1000.0, ref) == earned
    # Without the member, no spend; with the code texted to the member's phone, the spend goes through.
    with pytest.raises(xmlrpc.client.Fault) as refused:
        login("merchant_c_cashier").call("alliance.card", "alliance_redeem", card, 400, ref)
    assert refused.value.faultCode == USER_ERROR
    proof = _sms_proof(login, "merchant_c_cashier", card, 400)
    spent = login("merchant_c_cashier").call("alliance.card", "alliance_redeem", card, 400, ref, proof)
    assert (spent["points"], spent["value"], spent["balance"]) == (400, 4.0, points - 400)
    undone = login("merchant_c_cashier").call("alliance.card", "alliance_reverse", ref)
    assert undone["balance"] == points
    # C cannot undo B's earn: the merchant is the caller's company, whatever the reference.
    again = login("merchant_c_cashier").call("alliance.card", "alliance_reverse", ref)
    assert again == undone
    # The SMS code paid once: it does not pay again.
    with pytest.raises(xmlrpc.client.Fault, match="No valid SMS code"):
        login("merchant_c_cashier").call("alliance.card", "alliance_redeem", card, 400, uuid.uuid4().hex, proof)
    admin = login("admin")
    entries = admin.call(
        "alliance.points.entry", "search_read", [("reference", "=", ref)], fields=["merchant_id", "entry_type"]
    )
    assert sorted((e["merchant_id"][1], e["entry_type"]) for e in entries) == [
        ("悦容美业", "earn"),
        ("惠家生活超市", "redeem"),
    ]


def test_insufficient_points_refused(login):
    card = _new_member(login, "余额不足")["card"]
    try:
        proof = {"card": card}
        login("merchant_c_cashier").call("alliance.card", "alliance_redeem", card, 1, uuid.uuid4().hex, proof)
    except xmlrpc.client.Fault as fault:
        assert fault.faultCode == USER_ERROR
    else:
        raise AssertionError("a redemption without points was accepted")


def test_twenty_parallel_redemptions_against_ten_points(server, login, operator_settings):
    """20 counters redeem 1 point each at once from a card holding 10 (the card scanned pays small amounts)."""
    operator_settings.call("ir.config_parameter", "set_param", "alliance_points.card_only_points", "1000")
    info = _new_member(login, "并发会员")
    card = info["card"]
    proof = {"card": card}
    seed = login("merchant_b_cashier").call("alliance.card", "alliance_earn", card, 10.0, uuid.uuid4().hex)
    if seed["points"] > 10:
        # The demo's promotions may have added points: bring the balance to exactly 10.
        excess = seed["points"] - 10
        login("merchant_b_cashier").call("alliance.card", "alliance_redeem", card, excess, uuid.uuid4().hex, proof)
    tag = uuid.uuid4().hex

    def redeem(i):
        # One connection per call: each request is its own server thread and cursor.
        client = Client(*server, "merchant_c_cashier", "merchant_c_cashier")
        try:
            client.call("alliance.card", "alliance_redeem", card, 1, f"{tag}-{i}", proof)
            return "ok"
        except xmlrpc.client.Fault as fault:
            return "refused" if fault.faultCode == USER_ERROR else fault.faultString

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(redeem, range(20)))
    assert sorted(results) == ["ok"] * 10 + ["refused"] * 10, results
    admin = login("admin")
    [state] = admin.call("alliance.card", "read", [info["card_id"]], fields=["balance"])
    entries = admin.call("alliance.points.entry", "search_read", [("card_id", "=", info["card_id"])], fields=["points"])
    assert state["balance"] == 0
    assert sum(e["points"] for e in entries) == 0


def test_json2_with_an_api_key(server, login):
    """API.md's integration path: JSON-2, a merchant user's API key, the caller's company as merchant."""
    import json
    import os
    import urllib.error
    import urllib.request

    url, db = server
    key = os.environ.get("ALLIANCE_API_KEY")
    assert key, "scripts/test.sh provides ALLIANCE_API_KEY"

    def call(method, **body):
        request = urllib.request.Request(
            f"{url}/json/2/alliance.card/{method}",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"bearer {key}", "Content-Type": "application/json", "X-Odoo-Database": db},
        )
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    card = _new_member(login, "接口卡")["card"]
    ref = uuid.uuid4().hex
    earned = call("alliance_earn", card=card, amount=100.0, reference=ref)
    assert earned["points"] >= 100
    proof = _sms_proof(login, "merchant_c_cashier", card, 100)
    spent = call("alliance_redeem", card=card, points=100, reference=ref, proof=proof)
    assert spent["balance"] == earned["points"] - 100
    try:
        call("alliance_redeem", card=card, points=10**6, reference=uuid.uuid4().hex, proof={"card": card})
    except urllib.error.HTTPError as error:
        assert error.code == 422
        assert json.load(error)["name"] == "odoo.exceptions.UserError"
    else:
        raise AssertionError("an overspend was accepted over JSON-2")
    admin = login("admin")
    entries = admin.call("alliance.points.entry", "search_read", [("reference", "=", ref)], fields=["merchant_id"])
    assert {e["merchant_id"][1] for e in entries} == {"惠家生活超市"}


def test_points_earned_through_the_api_are_pending(login, operator_settings):
    operator_settings.call("ir.config_parameter", "set_param", "alliance_points.api_pending_hours", "24")
    operator_settings.call("ir.config_parameter", "set_param", "alliance_points.card_only_points", "1000")
    card = _new_member(login, "待生效")["card"]
    earned = login("merchant_b_cashier").call("alliance.card", "alliance_earn", card, 50.0, uuid.uuid4().hex)
    assert earned["pending"] == earned["points"] >= 50
    assert earned["available_at"]
    looked = login("merchant_c_cashier").call("alliance.card", "alliance_lookup", card)
    assert (looked["balance"], looked["available"]) == (earned["points"], 0)
    proof = {"card": card}
    with pytest.raises(xmlrpc.client.Fault, match="0 points to spend"):
        login("merchant_c_cashier").call("alliance.card", "alliance_redeem", card, 10, uuid.uuid4().hex, proof)


def test_the_members_phone_shows_a_payment_code_the_counter_scans(server, login):
    """The member opens the portal on their phone; the cashier scans the code shown there."""
    url, db = server
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def jsonrpc(path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(f"{url}{path}", data=body, headers={"Content-Type": "application/json"})
        with opener.open(request) as response:
            return json.load(response)["result"]

    jsonrpc("/web/session/authenticate", {"db": db, "login": "member_portal", "password": "member_portal"})
    code = jsonrpc("/my/alliance/paycode/next", {})["code"]
    cashier = login("merchant_c_cashier")
    card = cashier.call("alliance.card", "alliance_lookup", code)
    assert code.startswith("68" + card["card"])
    if card["available"] < 1:
        login("merchant_b_cashier").call("alliance.card", "alliance_earn", card["card"], 10.0, uuid.uuid4().hex)
    spent = cashier.call("alliance.card", "alliance_redeem", code, 1, uuid.uuid4().hex, {"code": code})
    assert spent["points"] == 1
    with pytest.raises(xmlrpc.client.Fault, match="already used"):
        cashier.call("alliance.card", "alliance_redeem", code, 1, uuid.uuid4().hex, {"code": code})
