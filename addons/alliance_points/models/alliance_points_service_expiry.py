"""Expiry of points: one expire entry per lot past its date, in batches.

A million lots cannot go through the ORM one by one within a minute; each
batch is a few set-based statements (entries, lot uses, lots, balances) in
one transaction, after locking the batch's cards in id order. A batch either
commits whole or not at all, and only lots with points left are picked, so a
run that stops halfway resumes where it stopped on the next run.
"""

from odoo import api, fields, models
from odoo.tools import SQL


class AlliancePointsService(models.AbstractModel):
    _inherit = "alliance.points.service"

    @api.model
    def _expire_batch(self, today=None, limit=20000):
        """Expire up to ``limit`` lots whose date has passed; returns how many."""
        today = fields.Date.to_date(today) or fields.Date.context_today(self)
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                # In the order of the partial index (expiry_date, id) WHERE remaining > 0: lots
                # already expired have left it, so no batch reads them again.
                """SELECT id, card_id FROM alliance_points_lot
                    WHERE remaining > 0 AND expiry_date < %s
                 ORDER BY expiry_date, id LIMIT %s""",
                today,
                limit,
            )
        )
        if not rows:
            return 0
        lot_ids = [r[0] for r in rows]
        card_ids = sorted({r[1] for r in rows})
        # Cards in id order: two batches, or a batch and a counter, never wait on each other in a circle.
        self.env.cr.execute(
            SQL("SELECT id FROM alliance_card WHERE id = ANY(%s) ORDER BY id FOR UPDATE", card_ids),
            log_exceptions=False,
        )
        now = fields.Datetime.now()
        uid = self.env.uid
        self.env.execute_query(
            SQL(
                """
WITH l AS (
    SELECT l.id, l.card_id, l.merchant_id, l.company_id, l.remaining, c.partner_id,
           c.balance - SUM(l.remaining) OVER (PARTITION BY l.card_id ORDER BY l.id) AS balance_after
      FROM alliance_points_lot l
      JOIN alliance_card c ON c.id = l.card_id
     WHERE l.id = ANY(%(lots)s) AND l.remaining > 0
), e AS (
    INSERT INTO alliance_points_entry
           (card_id, partner_id, merchant_id, company_id, entry_type, points, debt_delta, balance_after,
            amount, currency_id, reference, date, origin, create_uid, create_date, write_uid, write_date)
    SELECT l.card_id, l.partner_id, l.merchant_id, l.company_id, 'expire', -l.remaining, 0, l.balance_after,
           0, rc.currency_id, 'expire/' || l.id, %(now)s, 'expiry', %(uid)s, %(now)s, %(uid)s, %(now)s
      FROM l JOIN res_company rc ON rc.id = l.company_id
    RETURNING id, company_id, merchant_id, reference
), m AS (
    INSERT INTO alliance_points_lot_move
           (entry_id, lot_id, points, company_id, issuer_merchant_id, merchant_id,
            create_uid, create_date, write_uid, write_date)
    SELECT e.id, l.id, l.remaining, e.company_id, l.merchant_id, e.merchant_id, %(uid)s, %(now)s, %(uid)s, %(now)s
      FROM e JOIN l ON e.reference = 'expire/' || l.id
), u AS (
    UPDATE alliance_points_lot SET remaining = 0, write_uid = %(uid)s, write_date = %(now)s
     WHERE id IN (SELECT id FROM l)
)
UPDATE alliance_card c
   SET balance = c.balance - s.total
  FROM (SELECT card_id, SUM(remaining) AS total FROM l GROUP BY card_id) s
 WHERE c.id = s.card_id
""",
                lots=lot_ids,
                now=now,
                uid=uid,
            )
        )
        self.env.invalidate_all()
        return len(lot_ids)

    @api.model
    def _cron_expire_points(self, limit=20000):
        """Daily: expire every lot past its date, committing after each batch."""
        Cron = self.env["ir.cron"]
        today = fields.Date.context_today(self)
        while True:
            done = self._expire_batch(today, limit)
            if not done:
                break
            remaining_time = Cron._commit_progress(done)
            if remaining_time <= 0:
                break
