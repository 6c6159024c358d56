"""alliance_earn / alliance_redeem / alliance_reverse over the wire, concurrency included."""

import random
import uuid
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

from conftest import Client

USER_ERROR = 2


def _new_member(login, name):
    phone = f"1390734{random.randint(0, 9999):04d}"
    return login("merchant_b_cashier").call("alliance.card", "alliance_enrol", name, phone)


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
    spent = login("merchant_c_cashier").call("alliance.card", "alliance_redeem", card, 400, ref)
    assert (spent["points"], spent["value"], spent["balance"]) == (400, 4.0, points - 400)
    undone = login("merchant_c_cashier").call("alliance.card", "alliance_reverse", ref)
    assert undone["balance"] == points
    # C cannot undo B's earn: the merchant is the caller's company, whatever the reference.
    again = login("merchant_c_cashier").call("alliance.card", "alliance_reverse", ref)
    assert again == undone
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
        login("merchant_c_cashier").call("alliance.card", "alliance_redeem", card, 1, uuid.uuid4().hex)
    except xmlrpc.client.Fault as fault:
        assert fault.faultCode == USER_ERROR
    else:
        raise AssertionError("a redemption without points was accepted")


def test_twenty_parallel_redemptions_against_ten_points(server, login):
    """20 counters redeem 1 point each at once from a card holding 10."""
    info = _new_member(login, "并发会员")
    card = info["card"]
    seed = login("merchant_b_cashier").call("alliance.card", "alliance_earn", card, 10.0, uuid.uuid4().hex)
    if seed["points"] > 10:
        # The demo's promotions may have added points: bring the balance to exactly 10.
        excess = seed["points"] - 10
        login("merchant_b_cashier").call("alliance.card", "alliance_redeem", card, excess, uuid.uuid4().hex)
    tag = uuid.uuid4().hex

    def redeem(i):
        # One connection per call: each request is its own server thread and cursor.
        client = Client(*server, "merchant_c_cashier", "merchant_c_cashier")
        try:
            client.call("alliance.card", "alliance_redeem", card, 1, f"{tag}-{i}")
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
    spent = call("alliance_redeem", card=card, points=100, reference=ref)
    assert spent["balance"] == earned["points"] - 100
    try:
        call("alliance_redeem", card=card, points=10**6, reference=uuid.uuid4().hex)
    except urllib.error.HTTPError as error:
        assert error.code == 422
        assert json.load(error)["name"] == "odoo.exceptions.UserError"
    else:
        raise AssertionError("an overspend was accepted over JSON-2")
    admin = login("admin")
    entries = admin.call("alliance.points.entry", "search_read", [("reference", "=", ref)], fields=["merchant_id"])
    assert {e["merchant_id"][1] for e in entries} == {"惠家生活超市"}
