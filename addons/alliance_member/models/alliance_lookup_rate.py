from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

DEFAULT_PER_MINUTE = 30


class AllianceLookupRate(models.Model):
    """How many members a user looked up this minute: typing card numbers one after another finds no one.

    One row per user, a fixed one-minute window, counted by one UPSERT. A
    lookup that found nobody is counted in a transaction of its own (its
    error rolls the caller's back); no user reads or writes this table.
    """

    _name = "alliance.lookup.rate"
    _description = "Alliance Lookup Rate"
    _log_access = False

    user_id = fields.Many2one("res.users", required=True, ondelete="cascade", readonly=True)
    window_start = fields.Datetime(required=True, readonly=True)
    count = fields.Integer(readonly=True)

    _user_uniq = models.Constraint("UNIQUE(user_id)", "One lookup counter per user.")

    @api.model
    def _limit(self):
        value = self.env["ir.config_parameter"].sudo().get_param("alliance_member.lookup_per_minute")
        return int(value) if value else DEFAULT_PER_MINUTE

    @api.model
    def _count_sql(self):
        return SQL(
            """INSERT INTO alliance_lookup_rate AS r (user_id, window_start, count)
                    VALUES (%(uid)s, now() AT TIME ZONE 'UTC', 1)
               ON CONFLICT (user_id) DO UPDATE SET
                    count = CASE WHEN r.window_start < (now() AT TIME ZONE 'UTC') - interval '1 minute'
                                 THEN 1 ELSE r.count + 1 END,
                    window_start = CASE WHEN r.window_start < (now() AT TIME ZONE 'UTC') - interval '1 minute'
                                        THEN now() AT TIME ZONE 'UTC' ELSE r.window_start END
               RETURNING count""",
            uid=self.env.uid,
        )

    @api.model
    def _count(self, found=True):
        """Count one lookup of the current user; refuse past the limit."""
        limit = self._limit()
        if limit <= 0:
            return
        if found:
            [(count,)] = self.env.execute_query(self._count_sql())
        else:
            if self.env.cr.readonly:
                # A read-only request (a replica's cursor) ends its transaction before the primary's
                # opens: it wrote nothing, and Odoo opens no read/write cursor beside a read-only one.
                self.env.cr.rollback()
            with self.env.registry.cursor() as cr:
                cr.execute(self._count_sql())
                [(count,)] = cr.fetchall()
        if count > limit:
            raise UserError(
                self.env._(
                    "Too many lookups: at most %s a minute per user. Wait a minute, then scan the member's card.",
                    limit,
                )
            )
