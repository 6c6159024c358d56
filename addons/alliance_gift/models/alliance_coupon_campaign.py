"""The coupons members get without asking: each tier's monthly coupons, a birthday coupon, a welcome coupon.

Issued in SQL, a batch of cards at a time: each coupon once per member and
reason (a unique index on template, member and issue key), so a run stopped
halfway and run again issues the rest and nothing twice.
"""

from odoo import api, models, modules
from odoo.tools import SQL

BATCH = 20000


class AllianceCouponCampaign(models.AbstractModel):
    _name = "alliance.coupon.campaign"
    _description = "Alliance E-coupon Campaigns"

    @api.model
    def _cron_issue(self):
        """Daily: this month's tier coupons and this year's birthday coupons, for whoever has none yet.

        Each batch commits: a run stopped halfway resumes where it was on the next.
        """
        # Tests share one cursor with the test runner: no commits there.
        return self._issue_campaigns(self.env["alliance.coupon"]._today(), commit=not modules.module.current_test)

    @api.model
    def _issue_campaigns(self, today, commit=False):
        Template = self.env["alliance.coupon.template"].sudo()
        templates = Template.search([("issue_mode", "in", ("tier_monthly", "birthday"))])
        issued = 0
        for template in templates.filtered(lambda t: t._is_issuable(today)):
            for key in self._get_issue_keys(template, today):
                issued += self._issue_all(template, key, today, commit=commit)
        return issued

    @api.model
    def _get_issue_keys(self, template, today):
        """Hook: the reasons a template issues for today; each key once per member."""
        if template.issue_mode == "tier_monthly":
            return [f"{today:%Y-%m}/{n}" for n in range(1, template.monthly_count + 1)]
        if template.issue_mode == "birthday":
            return [f"birthday/{today:%Y}"]
        return []

    @api.model
    def _get_cards_filter(self, template, today):
        """Hook: the SQL condition on the active cards ``c`` (and their member ``p``) a template issues to."""
        conditions = [SQL("c.state = 'active'")]
        if template.tier_ids:
            conditions.append(SQL("c.tier_id = ANY(%s)", template.tier_ids.ids))
        if template.issue_mode == "birthday":
            # This month's birthdays up to today: a day the cron missed is caught up the next.
            conditions.append(
                SQL(
                    "EXTRACT(MONTH FROM p.alliance_birthday) = %s AND EXTRACT(DAY FROM p.alliance_birthday) <= %s",
                    today.month,
                    today.day,
                )
            )
        return SQL(" AND ").join(conditions)

    @api.model
    def _issue_all(self, template, key, today, commit=False, batch=BATCH):
        """Issue ``template`` for ``key`` to every card it is for, ``batch`` cards per INSERT; how many."""
        self.env.flush_all()
        Coupon = self.env["alliance.coupon"]
        expire = Coupon._expiry_of(template, today)
        where = self._get_cards_filter(template, today)
        issued, last_id = 0, 0
        while True:
            remaining = template._remaining()
            if remaining is not None and remaining <= 0:
                break
            rows = self.env.execute_query(
                SQL(
                    """SELECT MAX(id) FROM (SELECT c.id FROM alliance_card c JOIN res_partner p ON p.id = c.partner_id
                        WHERE c.id > %(last)s AND %(where)s ORDER BY c.id LIMIT %(batch)s) b""",
                    last=last_id,
                    where=where,
                    batch=batch,
                )
            )
            upto = rows[0][0]
            if not upto:
                break
            # gen_random_uuid(): PostgreSQL's strong random source; 64 bits of it per code.
            self.env.cr.execute(
                SQL(
                    """
INSERT INTO alliance_coupon (template_id, code, card_id, partner_id, funder_id, company_id, state,
                             date_issued, date_expire, issue_key, create_uid, write_uid, create_date, write_date)
SELECT %(template)s, upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 16)), c.id, c.partner_id,
       %(funder)s, %(company)s, 'available', %(today)s, %(expire)s, %(key)s, %(uid)s, %(uid)s,
       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM alliance_card c JOIN res_partner p ON p.id = c.partner_id
 WHERE c.id > %(last)s AND c.id <= %(upto)s AND %(where)s
   AND NOT EXISTS (SELECT 1 FROM alliance_coupon o
                    WHERE o.template_id = %(template)s AND o.partner_id = c.partner_id AND o.issue_key = %(key)s)
 ORDER BY c.id
 %(limit)s
ON CONFLICT DO NOTHING""",
                    template=template.id,
                    funder=template.funder_id.id or None,
                    company=template.company_id.id,
                    today=today,
                    expire=expire,
                    key=key,
                    uid=self.env.uid,
                    last=last_id,
                    upto=upto,
                    where=where,
                    limit=SQL("LIMIT %s", remaining) if remaining is not None else SQL(""),
                )
            )
            batch_issued = self.env.cr.rowcount
            issued += batch_issued
            self._notify_issued(template, key, last_id, upto)
            last_id = upto
            if commit:
                self.env["ir.cron"]._commit_progress(batch_issued)
        Coupon.invalidate_model()
        return issued

    @api.model
    def _notify_issued(self, template, key, after_card, upto_card):
        """The members of one batch who accept SMS are told of their coupon, once each (keyed by the coupon).

        A merchant's coupons are its campaign: the messages take its SMS quota; the operator's, none.
        """
        sms = self.env["alliance.sms.template"]._get("coupon_received")
        if not sms:
            return 0
        # The gateway's templates are Chinese: so is the coupon's name put into them.
        name = template.with_context(lang=self.env["alliance.sms.service"]._template_lang()).name
        text = SQL(
            "replace(replace(%s, '${coupon}', %s), '${date}', to_char(o.date_expire, 'YYYY-MM-DD'))", sms.body, name
        )
        return self.env["alliance.sms.service"]._queue_select(
            sms,
            SQL(
                """SELECT p.phone AS number, p.id AS partner_id, %(text)s AS body,
                          json_build_object(
                              'coupon', %(name)s::text, 'date', to_char(o.date_expire, 'YYYY-MM-DD')
                          )::text AS params,
                          o.funder_id AS merchant_id, 'coupon/' || o.id AS key
                     FROM alliance_coupon o JOIN res_partner p ON p.id = o.partner_id
                    WHERE o.template_id = %(template)s AND o.issue_key = %(key)s
                      AND o.card_id > %(after)s AND o.card_id <= %(upto)s
                      AND p.alliance_consent_sms AND p.phone IS NOT NULL AND p.phone != ''""",
                text=text,
                name=name,
                template=template.id,
                key=key,
                after=after_card,
                upto=upto_card,
            ),
        )

    @api.model
    def _issue_welcome(self, cards):
        """The welcome coupons of newly issued cards (once per member, whatever card they hold next)."""
        today = self.env["alliance.coupon"]._today()
        templates = self.env["alliance.coupon.template"].sudo().search([("issue_mode", "=", "welcome")])
        Coupon = self.env["alliance.coupon"]
        for template in templates.filtered(lambda t: t._is_issuable(today)):
            for card in cards.filtered(lambda c, t=template: not t.tier_ids or c.tier_id in t.tier_ids):
                remaining = template._remaining()
                if remaining is not None and remaining <= 0:
                    break
                Coupon._issue(template, card, "welcome")
