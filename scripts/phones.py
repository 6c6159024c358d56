"""The members' phones, for the bench and the fault run: payment codes made as the portal makes them.

A payment code (see ``alliance_points/models/alliance_card_auth.py``) is ``68``, the card number, the time
step's last two digits, a sequence number and a 6-digit HMAC-SHA256 value under the card's secret.
"""

import hashlib
import hmac
import threading
import time

CODE_PREFIX, STEP, SEQ = "68", 10, 10

# Every card gets a secret the first time it is needed, as its member's first portal visit does.
ENSURE_SECRETS = """INSERT INTO alliance_card_auth (card_id, secret)
    SELECT c.id, md5(random()::text) || md5(random()::text) FROM alliance_card c
     WHERE NOT EXISTS (SELECT 1 FROM alliance_card_auth a WHERE a.card_id = c.id)"""
READ_SECRETS = "SELECT c.code, a.secret FROM alliance_card c JOIN alliance_card_auth a ON a.card_id = c.id"


def payment_otp(secret, card_code, step, seq):
    mac = hmac.new(secret.encode(), f"{card_code}:{step}:{seq}".encode(), hashlib.sha256).digest()
    offset = mac[-1] & 0x0F
    return f"{(int.from_bytes(mac[offset : offset + 4], 'big') & 0x7FFFFFFF) % 10**6:06d}"


class Phones:
    """Each member's phone shows a fresh payment code whenever one is asked for."""

    def __init__(self, secrets):
        self.secrets = secrets
        self.last = {}
        # Several counters may ask one phone at once (threads sharing the cards).
        self.lock = threading.Lock()

    def proof(self, card):
        with self.lock:
            step = int(time.time()) // STEP
            last_step, last_seq = self.last.get(card, (0, -1))
            seq = last_seq + 1 if last_step == step else 0
            if seq >= SEQ:
                return None
            self.last[card] = (step, seq)
        otp = payment_otp(self.secrets[card], card, step, seq)
        return {"code": f"{CODE_PREFIX}{card}{step % 100:02d}{seq}{otp}"}
