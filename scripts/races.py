"""Races on the real database: 20 members order the last 10 units of a gift at the same instant, and
20 counters scan the same e-coupon for 20 orders at the same instant.

Each member is its own thread with its own cursor (as Odoo's threaded server runs requests); a
serialization failure is replayed as Odoo's HTTP layer replays it. Then:

- exactly 10 orders succeed, the 10 others are refused as out of stock and hold nothing (a member whose
  order ended in Odoo's "try again" after its 5 replays taps again, with the same key);
- the gift's stock is never negative and exactly 10 units are reserved;
- every card's balance equals the sum of its entries and the points left in its lots;
- the coupon is held for exactly one order; the 19 others are told it is on another order.

Usage: PYTHONPATH=ODOO_SRC python scripts/races.py CONFIG DB
Prints one JSON line; exit status 1 when anything above does not hold.
"""

import json
import random
import sys
import threading
import time
import uuid

from psycopg2.errors import SerializationFailure

import odoo
from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tools import config

MEMBERS = 20
UNITS = 10
PRICE = 1000
PIN = "246810"


def setup(registry, run):
    """A gift with the last 10 units, and 20 members with points, a PIN and a portal user; committed."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        merchant = env["alliance.merchant"].search([("state", "=", "active")], limit=1)
        gift = env["product.template"].create(
            {
                "name": f"抢兑礼品 {run}",
                "alliance_is_gift": True,
                "alliance_points_price": PRICE,
                "is_storable": True,
                "type": "consu",
            }
        )
        warehouse = env["alliance.gift.order"]._ensure_gift_warehouse()
        env["stock.quant"]._update_available_quantity(gift.product_variant_id, warehouse.lot_stock_id, UNITS)
        portal = env.ref("base.group_portal")
        users = []
        for i in range(MEMBERS):
            phone = f"+86137{random.randrange(10**8):08d}"
            partner = env["res.partner"].create(
                {"name": f"抢兑会员{i + 1}", "phone": phone, "alliance_is_member": True}
            )
            card = (
                env["alliance.card"]
                .with_company(merchant.company_id)
                .create({"partner_id": partner.id, "issuer_merchant_id": merchant.id})
            )
            env["alliance.points.service"]._adjust(card, PRICE * 5, "抢兑测试积分")
            env["alliance.card.auth"]._get_for(card)._set_pin(PIN)
            user = env["res.users"].create(
                {
                    "name": partner.name,
                    "login": f"race-{run}-{i}",
                    "partner_id": partner.id,
                    "group_ids": [(6, 0, portal.ids)],
                }
            )
            users.append((user.id, card.id))
        cr.commit()
        return gift.id, warehouse.id, merchant.id, users


def order(registry, uid, card_id, gift_id, merchant_id, barrier, results, reference=None):
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        card = env["alliance.card"].sudo().browse(card_id)
        items = [{"product_id": gift_id, "qty": 1}]
        reference = reference or uuid.uuid4().hex
        if barrier:
            barrier.wait()
        try:
            placed = retrying(
                lambda: env["alliance.gift.order"]._alliance_place(card, items, merchant_id, {"pin": PIN}, reference),
                env,
            )
            cr.commit()
            results.append(("ok", placed.id, uid, card_id, reference))
        except UserError as error:
            cr.rollback()
            results.append(("refused", str(error), uid, card_id, reference))
        except SerializationFailure as error:
            # Odoo's HTTP layer replays a request 5 times, then answers "try again".
            cr.rollback()
            results.append(("busy", repr(error), uid, card_id, reference))
        except Exception as error:  # any other failure is reported, not hidden
            cr.rollback()
            results.append(("error", repr(error), uid, card_id, reference))


def check(registry, gift_id, warehouse_id, users):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        warehouse = env["stock.warehouse"].browse(warehouse_id)
        variant = env["product.template"].browse(gift_id).product_variant_id
        quants = env["stock.quant"].search(
            [("product_id", "=", variant.id), ("location_id", "child_of", warehouse.lot_stock_id.id)]
        )
        negative = sum(1 for q in quants if q.quantity < 0 or q.reserved_quantity > q.quantity)
        reserved = sum(quants.mapped("reserved_quantity"))
        mismatches = 0
        for _uid, card_id in users:
            card = env["alliance.card"].browse(card_id)
            entries = env["alliance.points.entry"].search([("card_id", "=", card_id)])
            lots = env["alliance.points.lot"].search([("card_id", "=", card_id)])
            if not card.balance == sum(entries.mapped("points")) == sum(lots.mapped("remaining")):
                mismatches += 1
        orders = env["alliance.gift.order"].search_count([("line_ids.product_id", "=", variant.id)])
        return {"negative_quants": negative, "reserved": reserved, "orders": orders, "ledger_mismatches": mismatches}


def coupon_setup(registry, run):
    """One coupon of a member, and the accepting merchant's cashier; committed."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cashier = env.ref("alliance_member.user_merchant_b_cashier_demo")
        template = env["alliance.coupon.template"].create(
            {"name": f"抢用电子券 {run}", "amount": 10.0, "points_price": 100}
        )
        card = env["alliance.card"].search([("state", "=", "active")], limit=1)
        coupon = env["alliance.coupon"]._issue(template, card, f"race/{run}")
        cr.commit()
        return cashier.id, cashier.company_id.id, coupon.id, coupon.code


def coupon_apply(registry, uid, company_id, code, barrier, results):
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {"allowed_company_ids": [company_id]})
        order_uuid = str(uuid.uuid4())
        barrier.wait()
        try:
            done = retrying(lambda: env["alliance.coupon"].alliance_coupon_apply(code, order_uuid, 120.0), env)
            cr.commit()
            results.append(("ok", order_uuid, done["discount"]))
        except UserError as error:
            cr.rollback()
            results.append(("refused", str(error), None))
        except Exception as error:  # any other failure is reported, not hidden
            cr.rollback()
            results.append(("error", repr(error), None))


def coupon_race(registry, run):
    uid, company_id, coupon_id, code = coupon_setup(registry, run)
    barrier = threading.Barrier(MEMBERS)
    results = []
    threads = [
        threading.Thread(target=coupon_apply, args=(registry, uid, company_id, code, barrier, results))
        for _i in range(MEMBERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        coupon = env["alliance.coupon"].browse(coupon_id)
        winners = [r for r in results if r[0] == "ok"]
        return {
            "coupon_scans": MEMBERS,
            "coupon_held": len(winners),
            "coupon_on_another_order": sum(1 for r in results if r[0] == "refused" and "another order" in r[1]),
            "coupon_errors": [r[1] for r in results if r[0] == "error"],
            "coupon_holder_matches": bool(winners) and coupon.state == "held" and coupon.order_uuid == winners[0][1],
        }


def main():
    conf, db = sys.argv[1], sys.argv[2]
    config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    run = uuid.uuid4().hex[:8]
    gift_id, warehouse_id, merchant_id, users = setup(registry, run)
    barrier = threading.Barrier(MEMBERS)
    results = []
    threads = [
        threading.Thread(target=order, args=(registry, uid, card_id, gift_id, merchant_id, barrier, results))
        for uid, card_id in users
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # A member told "try again" taps again, with the same key: one order at most, whatever happened.
    busy = [r for r in results if r[0] == "busy"]
    results = [r for r in results if r[0] != "busy"]
    for _kind, _msg, uid, card_id, reference in busy:
        order(registry, uid, card_id, gift_id, merchant_id, None, results, reference)
    seconds = time.perf_counter() - started
    outcome = check(registry, gift_id, warehouse_id, users)
    coupons = coupon_race(registry, run)
    ok = sum(1 for r in results if r[0] == "ok")
    refused = [r[1] for r in results if r[0] == "refused"]
    errors = [r[1] for r in results if r[0] in ("error", "busy")]
    summary = {
        "members": MEMBERS,
        "tried_again": len(busy),
        "units": UNITS,
        "succeeded": ok,
        "refused_out_of_stock": sum(1 for msg in refused if "stock" in msg or "left" in msg),
        "other_refusals": [msg for msg in refused if not ("stock" in msg or "left" in msg)],
        "errors": errors,
        "seconds": round(seconds, 2),
        **outcome,
        **coupons,
    }
    print(json.dumps(summary, ensure_ascii=False))
    good = (
        ok == UNITS
        and summary["refused_out_of_stock"] == MEMBERS - UNITS
        and not errors
        and outcome["negative_quants"] == 0
        and outcome["reserved"] == UNITS
        and outcome["orders"] == UNITS
        and outcome["ledger_mismatches"] == 0
        and coupons["coupon_held"] == 1
        and coupons["coupon_on_another_order"] == MEMBERS - 1
        and not coupons["coupon_errors"]
        and coupons["coupon_holder_matches"]
    )
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
