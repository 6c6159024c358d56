"""The settlement contract of API.md over the wire: build a period, read statements, by role."""

import datetime
import uuid
import xmlrpc.client
import zoneinfo

import pytest
from test_points_api import _new_member


def _this_month(client):
    """This month's period: the demo's, or one the accountant opens.

    The alliance's month (Asia/Shanghai, as periods are): from 16:00 UTC it is already tomorrow there.
    """
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date()
    periods = client.call(
        "alliance.settlement.period",
        "search_read",
        [("date_from", "<=", today.isoformat()), ("date_to", ">=", today.isoformat())],
        fields=["id"],
    )
    if periods:
        return periods[0]["id"]
    first = today.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return client.call(
        "alliance.settlement.period",
        "create",
        {"name": first.strftime("%Y-%m"), "date_from": first.isoformat(), "date_to": last.isoformat()},
    )


def test_accountant_builds_and_each_merchant_reads_its_own(login):
    accountant = login("alliance_accountant")
    period = _this_month(accountant)
    fields = ["merchant_id", "points_issued", "amount_issued", "amount_net", "state"]
    domain = [("period_id", "=", period), ("state", "!=", "cancel")]
    accountant.call("alliance.settlement.period", "action_build", [period])
    before = {
        s["merchant_id"][1]: s
        for s in accountant.call("alliance.settlement.statement", "search_read", domain, fields=fields)
    }
    card = _new_member(login, "结算会员")["card"]
    earned = login("merchant_b_cashier").call("alliance.card", "alliance_earn", card, 300.0, uuid.uuid4().hex)
    # Building again is harmless: the drafts are recomputed from the ledger.
    accountant.call("alliance.settlement.period", "action_build", [period])
    after = {
        s["merchant_id"][1]: s
        for s in accountant.call("alliance.settlement.statement", "search_read", domain, fields=fields)
    }
    # B (悦容美业, postpaid at ¥10 per 1,000) now bills the points it just gave.
    issued_before = before.get("悦容美业", {}).get("points_issued", 0)
    assert after["悦容美业"]["points_issued"] == issued_before + earned["points"]
    assert after["悦容美业"]["state"] == "draft"
    # A's manager sees A's statement and no other.
    mine = login("merchant_a_manager").call("alliance.settlement.statement", "search_read", domain, fields=fields)
    assert {s["merchant_id"][1] for s in mine} <= {"星城川味小馆"}
    # A cashier sees no statement at all, and only the operator's accountants build.
    with pytest.raises(xmlrpc.client.Fault):
        login("merchant_a_cashier").call("alliance.settlement.statement", "search_read", domain, fields=fields)
    with pytest.raises(xmlrpc.client.Fault):
        login("merchant_a_manager").call("alliance.settlement.period", "action_build", [period])
