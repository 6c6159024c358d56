"""Expiry of points: one expire entry per lot past its date, in batches.

A million lots cannot go through the ORM one by one within a minute; each
batch is one set-based statement (entries, lots, balances) in one
transaction, after locking the batch's cards in id order. A batch either
commits whole or not at all, and only lots with points left are picked, so a
run that stops halfway resumes where it stopped on the next run. The lot
names its expire entry (``expire_entry_id``); no lot use is written.
"""

import logging
import threading

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models, modules
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class AlliancePointsService(models.AbstractModel):
    _inherit = "alliance.points.service"

    @api.model
    def _expire_batch(self, today=None, limit=20000, shard=None, position=None):
        """Expire up to ``limit`` lots whose date has passed; returns how many.

        ``shard`` = (k, n) takes only the cards whose id is k modulo n, so n
        cursors can expire side by side without ever waiting on each other.
        ``position``: a dict the caller keeps from one batch to the next; the
        batch starts where the previous one stopped.
        """
        today = fields.Date.to_date(today) or self.env["alliance.points.engine"]._today()
        self.env.flush_all()
        after = (position or {}).get("after")
        # The shard's test (card_id % n) cannot be estimated: PostgreSQL takes it for rare, and would read
        # and sort the whole table for every batch (at ten million lots, 2 s a batch) rather than walk the
        # index, which reads just the batch. Only for this SELECT.
        self.env.cr.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off")
        rows = self.env.execute_query(
            SQL(
                # In the order of the partial index (expiry_date, id) WHERE remaining > 0, from where
                # the previous batch stopped: the lots expired by earlier batches keep their entries
                # in the index until VACUUM, and a batch started from its first entry would step over
                # them all (a run would grow with the square of its lots).
                """SELECT id, card_id, expiry_date FROM alliance_points_lot
                    WHERE remaining > 0 AND expiry_date < %s %s %s
                 ORDER BY expiry_date, id LIMIT %s""",
                today,
                SQL("AND (expiry_date, id) > (%s, %s)", *after) if after else SQL(),
                SQL("AND card_id %% %s = %s", shard[1], shard[0]) if shard else SQL(),
                limit,
            )
        )
        self.env.cr.execute("SET LOCAL enable_seqscan = on; SET LOCAL enable_bitmapscan = on")
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
        # A batch's plan is costed high enough for PostgreSQL to compile it (JIT) every time, which
        # costs more than it saves on 20,000 rows; the setting ends with the batch's transaction.
        self.env.cr.execute("SET LOCAL jit = off")
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
    -- No user: the system expires points (origin 'expiry'). No money moves: no amount, no currency.
    INSERT INTO alliance_points_entry
           (card_id, partner_id, merchant_id, company_id, entry_type, points, debt_delta, balance_after,
            amount, reference, date, origin)
    SELECT l.card_id, l.partner_id, l.merchant_id, l.company_id, 'expire', -l.remaining, 0, l.balance_after,
           0, 'expire/' || l.id, %(now)s, 'expiry'
      FROM l
    RETURNING id, reference
), u AS (
    -- The lot's id read back from the reference: a probe of the lots' primary key per entry
    -- (joining on 'expire/' || lot.id would compute that string for every lot of the table).
    UPDATE alliance_points_lot lot SET remaining = 0, expire_entry_id = e.id
      FROM e WHERE lot.id = substr(e.reference, 8)::integer
)
UPDATE alliance_card c
   SET balance = c.balance - s.total
  FROM (SELECT card_id, SUM(remaining) AS total FROM l GROUP BY card_id) s
 WHERE c.id = s.card_id
""",
                lots=lot_ids,
                now=now,
            )
        )
        self.env.invalidate_all()
        if position is not None:
            position["after"] = (rows[-1][2], rows[-1][0])
        return len(lot_ids)

    @api.model
    def _expire_parallel(self, today=None, limit=20000, workers=2):
        """Expire every lot past its date with ``workers`` cursors side by side; returns how many.

        A year-end clearing (年底清零) expires a year of lots in one night: one
        cursor keeps one core busy, and PostgreSQL does the work. Each worker
        takes its own share of the cards and commits after every batch.
        """
        today = fields.Date.to_date(today) or self.env["alliance.points.engine"]._today()
        registry, uid, context = self.env.registry, self.env.uid, dict(self.env.context)
        totals = [0] * workers
        errors = []

        def work(k):
            try:
                with registry.cursor() as cr:
                    service = api.Environment(cr, uid, context)["alliance.points.service"]
                    retries = 0
                    position = {}
                    while True:
                        before = dict(position)
                        try:
                            done = service._expire_batch(today, limit, shard=(k, workers), position=position)
                            # The worker's own cursor: each batch is done for good (resumable).
                            cr.commit()  # pylint: disable=invalid-commit
                        except SerializationFailure:
                            # A counter moved points on one of the batch's cards meanwhile: redo the batch.
                            cr.rollback()
                            position = before
                            retries += 1
                            if retries > 5:
                                raise
                            continue
                        if not done:
                            return
                        totals[k] += done
            except Exception as error:
                _logger.exception("Expiry worker %s of %s failed", k + 1, workers)
                errors.append(error)

        threads = [threading.Thread(target=work, args=(k,), name=f"alliance-expiry-{k}") for k in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return sum(totals)

    @api.model
    def _cron_expire_points(self, limit=20000):
        """Daily: expire every lot past its date, committing after each batch."""
        Cron = self.env["ir.cron"]
        today = self.env["alliance.points.engine"]._today()
        workers = self.env["alliance.points.engine"]._param_int("expiry_workers", 2)
        # Tests share one cursor with the test runner: no second cursor there.
        if workers > 1 and not modules.module.current_test:
            done = self._expire_parallel(today, limit, workers)
            Cron._commit_progress(done)
            return
        position = {}
        while True:
            done = self._expire_batch(today, limit, position=position)
            if not done:
                break
            remaining_time = Cron._commit_progress(done)
            if remaining_time <= 0:
                break
