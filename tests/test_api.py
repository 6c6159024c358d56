"""The public contract of API.md, exercised from outside the server."""

import random
import xmlrpc.client

import pytest

# Odoo's XML-RPC fault codes (addons/rpc/controllers/xmlrpc.py).
USER_ERROR = 2
ACCESS_ERROR = 4
LOOKUP_KEYS = {"card", "member", "tier", "state", "balance", "expiring"}


def _new_phone():
    return f"1390732{random.randint(0, 9999):04d}"


def test_server_runs_odoo_19_with_the_suite(server, login):
    url, _db = server
    version = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
    assert version["server_version"].startswith("19.0")
    admin = login("admin")
    installed = admin.call(
        "ir.module.module",
        "search_read",
        [("name", "like", "alliance_%"), ("state", "=", "installed")],
        fields=["name"],
    )
    assert {m["name"] for m in installed} == {
        "alliance_member",
        "alliance_points",
        "alliance_settlement",
        "alliance_gift",
    }


def test_lookup_by_phone_at_another_merchant(login):
    admin = login("admin")
    [member] = admin.call("res.partner", "search_read", [("alliance_phone", "=", "+8613907310001")], fields=["name"])
    [card] = admin.call(
        "alliance.card", "search_read", [("partner_id", "=", member["id"]), ("state", "=", "active")], fields=["code"]
    )
    cashier_b = login("merchant_b_cashier")
    info = cashier_b.call("alliance.card", "alliance_lookup", "139 0731 0001")
    assert set(info) >= LOOKUP_KEYS
    assert info["card"] == card["code"]
    assert info["member"] == member["name"]
    assert info["state"] == "active"
    # Nothing personal beyond the name.
    assert not {"phone", "birthday", "email", "id_number"} & set(info)
    same = cashier_b.call("alliance.card", "alliance_lookup", card["code"])
    assert same["card_id"] == info["card_id"]


def test_merchant_sees_only_its_own_merchant(login):
    cashier_b = login("merchant_b_cashier")
    merchants = cashier_b.call("alliance.merchant", "search_read", [], fields=["name", "company_id"])
    assert [m["name"] for m in merchants] == ["悦容美业"]
    admin = login("admin")
    [a] = admin.call("alliance.merchant", "search", [("name", "=", "星城川味小馆")])
    with pytest.raises(xmlrpc.client.Fault) as fault:
        cashier_b.call("alliance.merchant", "read", [a], fields=["issue_price"])
    assert fault.value.faultCode == ACCESS_ERROR


def test_enrol_issuer_is_the_callers_company(login):
    cashier_c = login("merchant_c_cashier")
    phone = _new_phone()
    info = cashier_c.call("alliance.card", "alliance_enrol", "接口新会员", phone, consent_sms=True)
    admin = login("admin")
    [card] = admin.call("alliance.card", "read", [info["card_id"]], fields=["issuer_merchant_id", "partner_id", "code"])
    assert card["issuer_merchant_id"][1] == "惠家生活超市"
    assert card["code"] == info["card"]
    # Creating a card directly, claiming another merchant as issuer, still issues as the caller.
    [merchant_a] = admin.call("alliance.merchant", "search", [("name", "=", "星城川味小馆")])
    # The contract: the contact first (not yet a member), then the card, which makes it one.
    partner = admin.call("res.partner", "create", {"name": "接口会员二", "phone": _new_phone()})
    card_id = cashier_c.call("alliance.card", "create", {"partner_id": partner, "issuer_merchant_id": merchant_a})
    [created] = admin.call("alliance.card", "read", [card_id], fields=["issuer_merchant_id"])
    assert created["issuer_merchant_id"][1] == "惠家生活超市"


def test_bad_input_is_refused_and_changes_nothing(login):
    cashier_a = login("merchant_a_cashier")
    admin = login("admin")
    before = admin.call("res.partner", "search_count", [("alliance_is_member", "=", True)])
    for bad_query in ("123", "1000000010", ""):
        with pytest.raises(xmlrpc.client.Fault):
            cashier_a.call("alliance.card", "alliance_lookup", bad_query)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        cashier_a.call("alliance.card", "alliance_enrol", "坏号码", "12345")
    assert fault.value.faultCode == USER_ERROR
    assert "12345" in fault.value.faultString
    with pytest.raises(xmlrpc.client.Fault):
        cashier_a.call("alliance.card", "alliance_enrol", "重复", "13907310001")
    assert admin.call("res.partner", "search_count", [("alliance_is_member", "=", True)]) == before


def test_portal_member_cannot_use_the_counter_api(login):
    member = login("member_portal")
    with pytest.raises(xmlrpc.client.Fault) as fault:
        member.call("alliance.card", "alliance_lookup", "13907310002")
    assert fault.value.faultCode == ACCESS_ERROR
