"""Faults under load: earn, redeem and reverse over JSON-2 while the server is killed and restarted.

Clients call the points API from several threads against a server of 2 workers; the server's whole
process group is killed with SIGKILL and restarted, more than once. A client whose call got no answer
retries it with the same reference until it is answered (the reference is the idempotency key). Then,
in the database:

- every call answered with success is in the ledger exactly once;
- every card's balance equals the sum of its entries and the points left in its lots, and its debt the
  sum of its entries' debts (a call killed halfway left nothing half-applied).

Usage: python scripts/faults.py ODOO_BIN CONFIG DB PORT API_KEY [SECONDS] [KILLS] [CLIENTS]
Prints one JSON line: calls answered, restarts survived, mismatches. Exit status 1 on any mismatch.
"""

import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid

import psycopg2
from phones import ENSURE_SECRETS, READ_SECRETS, Phones


class Server:
    def __init__(self, odoo_bin, conf, db, port, logfile):
        self.cmd = [
            sys.executable,
            odoo_bin,
            "-c",
            conf,
            "-d",
            db,
            f"--db-filter=^{db}$",
            f"--http-port={port}",
            "--workers=2",
            "--max-cron-threads=0",
            "--log-level=warn",
        ]
        self.port, self.logfile, self.proc = port, logfile, None

    def start(self):
        log = open(self.logfile, "ab")  # noqa: SIM115 - the server keeps writing to it
        # Its own process group: the kill takes the master and its workers at once.
        self.proc = subprocess.Popen(self.cmd, stdout=log, stderr=log, start_new_session=True)
        for _ in range(240):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/web/login")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError("the server did not start")

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


class Client(threading.Thread):
    """One counter: earns, redeems and reverses on its cards; retries an unanswered call as it was."""

    def __init__(self, k, port, db, key, cards, phones, stop_at):
        super().__init__()
        self.k, self.port, self.db, self.key = k, port, db, key
        self.cards, self.phones, self.stop_at = cards, phones, stop_at
        self.counts = {}
        self.rng = random.Random(k)
        self.done = []  # (entry types, reference) answered with success
        self.refs = []

    def call(self, method, body):
        """The answer, or None when the server gave none (killed): the caller retries."""
        headers = {
            "Authorization": f"bearer {self.key}",
            "Content-Type": "application/json",
            "X-Odoo-Database": self.db,
        }
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            conn.request("POST", f"/json/2/alliance.card/{method}", json.dumps(body), headers)
            response = conn.getresponse()
            payload = json.loads(response.read() or b"null")
        except (OSError, http.client.HTTPException, ValueError):
            return None
        if response.status == 200:
            return ("ok", payload)
        if response.status in (502, 503, 504):
            return None
        return ("refused", payload)

    def call_until_answered(self, method, body):
        while True:
            if method == "alliance_redeem":
                body["proof"] = self.phones.proof(body["card"])
            answer = self.call(method, body)
            if answer is not None:
                return answer
            if time.time() > self.stop_at + 120:
                return ("unanswered", None)
            time.sleep(0.2)

    def run(self):
        while time.time() < self.stop_at:
            card = self.rng.choice(self.cards)
            move = self.rng.random()
            if move < 0.5 or not self.refs:
                ref = uuid.uuid4().hex
                status, _ = self.call_until_answered("alliance_earn", {"card": card, "amount": 20.0, "reference": ref})
                kinds = ("earn",)
            elif move < 0.85:
                ref = uuid.uuid4().hex
                body = {"card": card, "points": self.rng.randint(1, 15), "reference": ref}
                status, _ = self.call_until_answered("alliance_redeem", body)
                kinds = ("redeem",)
            else:
                ref = self.refs.pop(self.rng.randrange(len(self.refs)))
                status, _ = self.call_until_answered("alliance_reverse", {"reference": ref})
                kinds = ("reversal",)
            self.counts[status] = self.counts.get(status, 0) + 1
            if status == "ok":
                self.done.append((kinds, ref))
                if kinds != ("reversal",):
                    self.refs.append(ref)


def check(cr, company_id, answered):
    """Mismatches: answered calls not in the ledger exactly once; cards whose balance, entries and lots differ."""
    mismatches = []
    for kinds, ref in answered:
        # A reversal's key is its original's reference, the original's type and "reversal".
        references = [ref] if kinds != ("reversal",) else [f"{ref}/earn/reversal", f"{ref}/redeem/reversal"]
        cr.execute(
            "SELECT count(*) FROM alliance_points_entry WHERE company_id = %s AND entry_type = %s"
            " AND reference = ANY(%s)",
            (company_id, kinds[0], references),
        )
        [(count,)] = cr.fetchall()
        if count != 1:
            mismatches.append(f"{kinds[0]} {ref}: {count} entries")
    cr.execute(
        """SELECT c.code, c.balance, COALESCE(e.points, 0), COALESCE(l.remaining, 0), c.debt_points, COALESCE(e.debt, 0)
             FROM alliance_card c
        LEFT JOIN (SELECT card_id, SUM(points) points, SUM(debt_delta) debt FROM alliance_points_entry
                    GROUP BY card_id) e ON e.card_id = c.id
        LEFT JOIN (SELECT card_id, SUM(remaining) remaining FROM alliance_points_lot GROUP BY card_id) l
               ON l.card_id = c.id
            WHERE c.balance <> COALESCE(e.points, 0) OR c.balance <> COALESCE(l.remaining, 0)
               OR c.debt_points <> COALESCE(e.debt, 0)"""
    )
    mismatches += [f"card {row[0]}: balance {row[1]}, entries {row[2]}, lots {row[3]}" for row in cr.fetchall()]
    return mismatches


def main(odoo_bin, conf, db, port, key, seconds=20, kills=2, clients=8):
    seconds, kills, clients, port = int(seconds), int(kills), int(clients), int(port)
    logfile = os.path.join(os.path.dirname(conf), "test", "faults_server.log")
    os.makedirs(os.path.dirname(logfile), exist_ok=True)
    pg = psycopg2.connect(dbname=db)
    pg.autocommit = True
    with pg.cursor() as cr:
        # The points of these API earns are spendable at once: the run spends them.
        cr.execute(
            """INSERT INTO ir_config_parameter (key, value) VALUES ('alliance_points.api_pending_hours', '0')
               ON CONFLICT (key) DO UPDATE SET value = '0'"""
        )
        # Any 12 cards: the same ones run after run would reach a card's daily limit of API points (a
        # trust rule), and every earn would then be refused.
        cr.execute(
            """SELECT c.code FROM alliance_card c JOIN res_partner p ON p.id = c.partner_id
                WHERE c.state = 'active' AND (c.valid_until IS NULL OR c.valid_until >= current_date)
             ORDER BY random() LIMIT 12"""
        )
        cards = [row[0] for row in cr.fetchall()]
        cr.execute(ENSURE_SECRETS)
        cr.execute(READ_SECRETS)
        secrets = dict(cr.fetchall())
        cr.execute(
            "SELECT company_id FROM res_users u JOIN res_users_apikeys k ON k.user_id = u.id ORDER BY k.id DESC LIMIT 1"
        )
        [(company_id,)] = cr.fetchall()
    server = Server(odoo_bin, conf, db, port, logfile)
    server.start()
    stop_at = time.time() + seconds
    phones = Phones(secrets)
    threads = [Client(k, port, db, key, cards, phones, stop_at) for k in range(clients)]
    for thread in threads:
        thread.start()
    restarts = 0
    for _ in range(kills):
        time.sleep(seconds / (kills + 1))
        server.kill()
        time.sleep(1)
        server.start()
        restarts += 1
    for thread in threads:
        thread.join()
    server.kill()
    answered = [call for thread in threads for call in thread.done]
    results = {}
    for thread in threads:
        for status, count in thread.counts.items():
            results[status] = results.get(status, 0) + count
    with pg.cursor() as cr:
        mismatches = check(cr, company_id, answered)
    report = {
        "calls_answered": sum(results.get(s, 0) for s in ("ok", "refused")),
        "succeeded": results.get("ok", 0),
        "refused": results.get("refused", 0),
        "unanswered": results.get("unanswered", 0),
        "restarts": restarts,
        "mismatches": len(mismatches),
        "first_mismatches": mismatches[:5],
    }
    print(json.dumps(report))
    # Every call refused (a limit reached, the quota spent) would prove nothing about faults.
    return 1 if mismatches or report["unanswered"] or restarts < kills or not report["succeeded"] else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
