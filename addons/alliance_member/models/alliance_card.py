from dateutil.relativedelta import relativedelta
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, Query

SERIAL_DIGITS = 9
SERIAL_MAX = 10**SERIAL_DIGITS - 1

# Allowed card state transitions; replacement of a lost card is an action of
# its own (it issues the new card) and is not listed here.
CARD_TRANSITIONS = {
    "active": {"frozen", "lost", "expired", "closed"},
    "frozen": {"active", "lost", "closed"},
    "lost": {"closed"},
    "expired": {"active", "closed"},
    "closed": set(),
}


# What a counter (or any client) chooses when it creates a card; everything
# else on a card is the server's (balance, tier, visits, validity, state).
CLIENT_CREATE_FIELDS = {"partner_id", "type_id", "code"}
# Fields only the server's own methods write (under sudo, after their checks).
SERVER_FIELDS = {
    "code",
    "partner_id",
    "type_id",
    "tier_id",
    "tier_locked",
    "state",
    "frozen_by",
    "frozen_by_user_id",
    "issuer_merchant_id",
    "range_id",
    "valid_from",
    "valid_until",
    "visits_left",
    "balance",
    "debt_points",
    "replaces_id",
    "replaced_by_id",
}


def code_from_serial(serial):
    """The printed card code: the zero-padded serial and its Luhn digit."""
    body = str(serial).zfill(SERIAL_DIGITS)
    return body + luhn.calc_check_digit(body)


def serial_from_code(code):
    """The serial of a well-formed card code, or None."""
    if not code or not code.isdigit() or len(code) != SERIAL_DIGITS + 1:
        return None
    try:
        luhn.validate(code)
    except StdnumError:
        return None
    return int(code[:-1])


class AllianceCard(models.Model):
    """One member's alliance card (一卡通): valid at every merchant."""

    _name = "alliance.card"
    _description = "Alliance Card"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "code"

    # Indexed by its unique constraint: a second index would be one more write per card.
    code = fields.Char(required=True, readonly=True, copy=False, tracking=True)
    serial = fields.Integer(compute="_compute_serial", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, ondelete="restrict", index=True, tracking=True
    )
    type_id = fields.Many2one("alliance.card.type", string="Card Type", required=True, ondelete="restrict")
    card_kind = fields.Selection(related="type_id.kind")
    tier_id = fields.Many2one("alliance.tier", ondelete="restrict", tracking=True)
    tier_locked = fields.Boolean(
        help="Set when the operator fixed the tier by hand: the daily tier update leaves the card alone."
    )
    state = fields.Selection(
        [
            ("active", "Active"),
            ("frozen", "Frozen"),
            ("lost", "Lost"),
            ("expired", "Expired"),
            ("closed", "Closed"),
        ],
        default="active",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    frozen_by = fields.Selection(
        [("operator", "Operator"), ("merchant", "Issuing Merchant")],
        readonly=True,
        copy=False,
        tracking=True,
        help="Who froze the card: only the operator unfreezes what the operator froze.",
    )
    frozen_by_user_id = fields.Many2one("res.users", string="Frozen By (User)", readonly=True, copy=False)
    issuer_merchant_id = fields.Many2one(
        "alliance.merchant", string="Issued By", readonly=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(
        "res.company",
        related="issuer_merchant_id.company_id",
        store=True,
        index=True,
        string="Issuing Company",
    )
    range_id = fields.Many2one("alliance.card.range", readonly=True, ondelete="restrict")
    valid_from = fields.Date(default=fields.Date.context_today, required=True, readonly=True)
    valid_until = fields.Date(readonly=True)
    visits_left = fields.Integer(readonly=True, help="Visits left on a count-based card.")
    balance = fields.Integer(
        default=0,
        readonly=True,
        copy=False,
        help="Points on the card: the sum of its points ledger, kept by the points service.",
    )
    replaces_id = fields.Many2one("alliance.card", readonly=True, copy=False)
    replaced_by_id = fields.Many2one("alliance.card", readonly=True, copy=False)
    tier_history_ids = fields.One2many("alliance.tier.history", "card_id")
    visit_ids = fields.One2many("alliance.card.visit", "card_id", string="Visits Used")

    _code_uniq = models.Constraint("UNIQUE(code)", "This card number is already in use.")
    _balance_positive = models.Constraint("CHECK(balance >= 0)", "A card balance can never be negative.")
    _visits_positive = models.Constraint("CHECK(visits_left >= 0)", "A card cannot have fewer than zero visits.")
    _one_active_per_member = models.UniqueIndex(
        "(partner_id) WHERE state = 'active'", "A member can hold only one active card."
    )

    def init(self):
        res = super().init()
        # Every purchase and payment with points rewrites its card's row (the balance): room left on each
        # page lets PostgreSQL write the new row beside the old without touching the card's indexes (HOT).
        self.env.cr.execute("ALTER TABLE alliance_card SET (fillfactor = 80)")
        return res

    @api.depends("code")
    def _compute_serial(self):
        for card in self:
            card.serial = serial_from_code(card.code) or 0

    @api.constrains("code")
    def _check_code(self):
        for card in self:
            if serial_from_code(card.code) is None:
                raise ValidationError(
                    self.env._(
                        "%s is not a valid card number: it must be 10 digits with a correct check digit.", card.code
                    )
                )

    @api.constrains("valid_from", "valid_until")
    def _check_dates(self):
        for card in self:
            if card.valid_until and card.valid_until < card.valid_from:
                raise ValidationError(self.env._("Card %s cannot end before it starts.", card.code))

    # -- creation (enrolment) --------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        is_operator = self.env.user.has_group("alliance_member.group_alliance_operator")
        current = self.env["alliance.merchant"]._get_current(raise_if_none=False)
        if not self.env.su:
            # A client chooses the member, the card type and (from its own stock) the number; the
            # rest is the server's, whatever the client sent.
            allowed = CLIENT_CREATE_FIELDS | ({"issuer_merchant_id"} if is_operator else set())
            vals_list = [{key: value for key, value in vals.items() if key in allowed} for vals in vals_list]
        for vals in vals_list:
            vals["state"] = "active"
            # The server issuing on its own account (a friend joining online) names the issuer itself.
            server_issue = self.env.su and vals.get("issuer_merchant_id")
            if not server_issue and (not is_operator or not vals.get("issuer_merchant_id")):
                # A merchant always issues as itself, whatever the client sent.
                if not current and not is_operator:
                    raise UserError(self.env._("Only a merchant of the alliance can issue cards."))
                vals["issuer_merchant_id"] = current.id
            merchant = self.env["alliance.merchant"].browse(vals["issuer_merchant_id"])
            if merchant:
                merchant._check_can_serve()
            self._check_member_not_frozen(vals.get("partner_id"))
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            if partner.is_company:
                raise UserError(self.env._("A card is a person's: %s is a company.", partner.name))
            self._prepare_code(vals, merchant)
            self._prepare_type_defaults(vals)
        cards = super().create(vals_list)
        for card in cards:
            card._log_tier(False, card.tier_id, "issue")
        # A person given a card is a member from now on (found by phone at every counter); the flag is
        # the server's, set for the partners of the cards just issued, after the checks above.
        cards.partner_id.filtered(lambda p: not p.sudo().alliance_is_member).sudo().write({"alliance_is_member": True})
        return cards

    def write(self, vals):
        protected = set(vals) & SERVER_FIELDS
        if protected and not self.env.su:
            raise AccessError(
                self.env._(
                    "%s of a card are set by the alliance's server only (its own actions), not written by a client.",
                    ", ".join(sorted(protected)),
                )
            )
        return super().write(vals)

    @api.model
    def _check_member_not_frozen(self, partner_id):
        """A member whose card the operator froze gets no new card anywhere."""
        if not partner_id:
            return
        frozen = self.sudo().search(
            [("partner_id", "=", partner_id), ("state", "=", "frozen"), ("frozen_by", "=", "operator")], limit=1
        )
        if frozen:
            raise UserError(
                self.env._(
                    "The operator froze this member's card %s: no new card can be issued until the operator "
                    "unfreezes it.",
                    frozen.code,
                )
            )

    @api.model
    def _prepare_code(self, vals, merchant):
        """Take the next number of the merchant's range, or check the given one."""
        code = (vals.get("code") or "").strip()
        Range = self.env["alliance.card.range"]
        if not code:
            # Ranges are few per merchant: pick the first with numbers left.
            rng = (
                Range.sudo()
                .search([("merchant_id", "=", merchant.id)], order="number_from")
                .filtered(lambda r: r.next_number <= r.number_to)[:1]
            )
            if not rng:
                raise UserError(
                    self.env._("Merchant %s has no card number left; ask the operator for a card range.", merchant.name)
                )
            serial = rng._take_next_serial()
            vals.update(code=code_from_serial(serial), range_id=rng.id)
            vals.setdefault("type_id", rng.card_type_id.id)
            return
        serial = serial_from_code(code)
        if serial is None:
            raise ValidationError(self.env._("%s is not a valid card number: check the digits you typed.", code))
        existing = self.sudo().search([("code", "=", code)], limit=1)
        if existing:
            if existing.state in ("frozen", "lost", "closed", "expired"):
                raise UserError(
                    self.env._(
                        "Card %(code)s is %(state)s and cannot be used for a new member.",
                        code=code,
                        state=existing._state_label(),
                    )
                )
            raise UserError(self.env._("Card %s already belongs to a member.", code))
        rng = Range._find_for_serial(serial)
        if rng and rng.merchant_id != merchant:
            raise UserError(
                self.env._("Card %(code)s belongs to another merchant's stock (%(range)s).", code=code, range=rng.name)
            )
        if not rng and not self.env.user.has_group("alliance_member.group_alliance_operator"):
            raise UserError(self.env._("Card %s is not in any of your card ranges.", code))
        vals["code"] = code
        if rng:
            vals["range_id"] = rng.id
            vals.setdefault("type_id", rng.card_type_id.id)

    @api.model
    def _prepare_type_defaults(self, vals):
        if not vals.get("type_id"):
            vals["type_id"] = self.env.ref("alliance_member.card_type_standard").id
        ctype = self.env["alliance.card.type"].browse(vals["type_id"])
        start = fields.Date.to_date(vals.get("valid_from")) or fields.Date.context_today(self)
        if not vals.get("valid_until"):
            if ctype.kind == "time":
                vals["valid_until"] = start + relativedelta(days=ctype.validity_days)
            elif ctype.validity_months:
                vals["valid_until"] = start + relativedelta(months=ctype.validity_months)
        if ctype.kind == "count" and "visits_left" not in vals:
            vals["visits_left"] = ctype.visits
        if not vals.get("tier_id"):
            vals["tier_id"] = self.env["alliance.tier"]._get_for_spend(0).id

    # -- state machine -------------------------------------------------------------

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _check_may_manage(self):
        """Freezing, closing or replacing a card: operator, or the issuing merchant.

        A card the operator froze is the operator's until it unfreezes it.
        """
        if self.env.user.has_group("alliance_member.group_alliance_operator"):
            return
        current = self.env["alliance.merchant"]._get_current(raise_if_none=False)
        for card in self:
            if not current or card.issuer_merchant_id != current:
                raise AccessError(
                    self.env._("Only the operator or the issuing merchant can change card %s.", card.code)
                )
            if card.state == "frozen" and card.frozen_by == "operator":
                raise AccessError(self.env._("The operator froze card %s: only the operator changes it.", card.code))

    def _set_state(self, new_state):
        self._check_may_manage()
        for card in self:
            if new_state not in CARD_TRANSITIONS[card.state]:
                label = dict(self._fields["state"]._description_selection(self.env))[new_state]
                raise UserError(
                    self.env._(
                        "Card %(code)s is %(old)s and cannot become %(new)s.",
                        code=card.code,
                        old=card._state_label(),
                        new=label,
                    )
                )
        vals = {"state": new_state}
        if new_state == "frozen":
            operator = self.env.user.has_group("alliance_member.group_alliance_operator")
            vals.update(frozen_by="operator" if operator else "merchant", frozen_by_user_id=self.env.uid)
        elif self.filtered(lambda c: c.state == "frozen"):
            vals.update(frozen_by=False, frozen_by_user_id=False)
        # State is the server's; the transition and the role were checked above.
        self.sudo().write(vals)

    def action_freeze(self):
        self._set_state("frozen")

    def action_unfreeze(self):
        self._set_state("active")

    def action_report_lost(self):
        self._set_state("lost")

    def action_close(self):
        self._set_state("closed")

    def action_replace(self):
        """Replace a lost card: new code, same member, balance and tier carried over."""
        self.ensure_one()
        new = self._replace()
        return {
            "type": "ir.actions.act_window",
            "res_model": "alliance.card",
            "res_id": new.id,
            "view_mode": "form",
        }

    def _replace(self, code=None):
        self.ensure_one()
        self._check_may_manage()
        if self.state != "lost":
            raise UserError(
                self.env._(
                    "Only a card reported lost can be replaced; card %(code)s is %(state)s.",
                    code=self.code,
                    state=self._state_label(),
                )
            )
        if self.replaced_by_id:
            raise UserError(
                self.env._(
                    "Card %(code)s was already replaced by %(new)s.", code=self.code, new=self.replaced_by_id.code
                )
            )
        self._lock_rows()
        # The old card must be out of the "one active card" index before the new one goes in.
        self.flush_recordset()
        current = self.env["alliance.merchant"]._get_current(raise_if_none=False)
        issuer = current or self.issuer_merchant_id
        vals = {"partner_id": self.partner_id.id, "type_id": self.type_id.id}
        if code:
            vals["code"] = code
        new = self.with_company(issuer.company_id).create(vals) if issuer else self.create(vals)
        # What the old card carried over is the server's to set, after the checks above.
        new.sudo().write(
            {
                "tier_id": self.tier_id.id,
                "tier_locked": self.tier_locked,
                "valid_until": self.valid_until,
                "visits_left": self.visits_left,
                "replaces_id": self.id,
            }
        )
        new._lock_rows()
        self._transfer_balance_to(new)
        # The replaced card is disabled for good; readonly fields, checked above.
        self.sudo().write({"replaced_by_id": new.id})
        self.message_post(body=self.env._("Replaced by card %s.", new.code))
        new.message_post(body=self.env._("Replaces lost card %s; balance and tier carried over.", self.code))
        return new

    def _transfer_balance_to(self, new):
        """Hook: move the balance of a replaced card; the points addon adds its ledger entries."""
        balance = self.balance
        # balance is readonly and only ever moved here and by the points service.
        self.sudo().write({"balance": 0})
        new.sudo().write({"balance": new.balance + balance})

    def _lock_rows(self):
        """Lock the cards' rows until the transaction ends (waits for other holders)."""
        if self.ids:
            self.env.cr.execute(
                SQL("SELECT id FROM %s WHERE id IN %s FOR UPDATE", SQL.identifier(self._table), tuple(self.ids))
            )

    def _card_chain(self):
        """This card and every card it replaced, newest first."""
        self.ensure_one()
        cards = self
        while cards[-1:].replaces_id:
            cards |= cards[-1].replaces_id
        return cards

    # -- tiers -----------------------------------------------------------------------

    def _log_tier(self, old, new, reason, spend=0.0, note=False):
        self.ensure_one()
        # History lines are written by the system for any role that changes a tier.
        self.env["alliance.tier.history"].sudo().create(
            {
                "card_id": self.id,
                "old_tier_id": old.id if old else False,
                "new_tier_id": new.id if new else False,
                "reason": reason,
                "spend": spend,
                "currency_id": (new or old).currency_id.id if (new or old) else False,
                "note": note,
            }
        )

    @api.model
    def _get_rolling_spend(self, date_to, partner_ids=None):
        """Spend of each member over the 12 months to date_to, at all merchants.

        Hook: returns {partner_id: amount}; the points addon adds purchases
        reported through the API. Aggregated in SQL over every company.
        """
        date_from = date_to - relativedelta(years=1)
        self.env["pos.order"].flush_model(["alliance_card_id", "amount_total", "state", "date_order"])
        self.flush_model(["partner_id"])
        where = SQL(
            "o.alliance_card_id IS NOT NULL AND o.state IN ('paid', 'done')"
            " AND o.date_order >= %s AND o.date_order < %s",
            date_from,
            date_to + relativedelta(days=1),
        )
        if partner_ids is not None:
            where = SQL("%s AND c.partner_id IN %s", where, tuple(partner_ids) or (0,))
        rows = self.env.execute_query(
            SQL(
                """SELECT c.partner_id, SUM(o.amount_total)
                     FROM pos_order o JOIN alliance_card c ON c.id = o.alliance_card_id
                    WHERE %s
                 GROUP BY c.partner_id""",
                where,
            )
        )
        return dict(rows)

    @api.model
    def _cron_update_tiers(self, date=None):
        """Daily: move each active card to the tier its rolling spend reaches."""
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        spend = self._get_rolling_spend(date)
        Tier = self.env["alliance.tier"]
        tiers = Tier.search([("active", "=", True)], order="min_spend desc, sequence desc, id desc")
        cards = self.search([("state", "=", "active"), ("tier_locked", "=", False)])
        for card in cards:
            amount = spend.get(card.partner_id.id, 0.0)
            target = next((t for t in tiers if t.currency_id.compare_amounts(amount, t.min_spend) >= 0), Tier)
            if target and target != card.tier_id:
                old = card.tier_id
                # The tier is the server's: the daily job moves it.
                card.sudo().tier_id = target
                card._log_tier(old, target, "auto", spend=amount)
                up = not old or target.min_spend > old.min_spend
                card.message_post(
                    body=(
                        self.env._("Upgraded from %(old)s to %(new)s: 12-month spend %(spend)s.")
                        if up
                        else self.env._("Downgraded from %(old)s to %(new)s: 12-month spend %(spend)s.")
                    )
                    % {"old": old.name or "-", "new": target.name, "spend": amount}
                )

    def _set_tier_manually(self, tier, note):
        """Operator override: fix the tier and keep the cron away from it."""
        if not self.env.user.has_group("alliance_member.group_alliance_operator"):
            raise AccessError(self.env._("Only the operator can set a member's tier by hand."))
        for card in self:
            old = card.tier_id
            # The operator's override, checked above; the tier is otherwise the server's.
            card.sudo().write({"tier_id": tier.id, "tier_locked": True})
            card._log_tier(old, tier, "manual", note=note)
            card.message_post(
                body=self.env._("Tier set to %(tier)s by the operator: %(note)s", tier=tier.name, note=note)
            )

    # -- portal ----------------------------------------------------------------------

    def _alliance_portal_values(self):
        """What the member sees of their own card on the portal."""
        self.ensure_one()
        spend = self._get_rolling_spend(fields.Date.context_today(self), [self.partner_id.id]).get(
            self.partner_id.id, 0.0
        )
        tiers = self.env["alliance.tier"].sudo().search([("active", "=", True)], order="min_spend, sequence, id")
        next_tier = tiers.filtered(lambda t: t.currency_id.compare_amounts(t.min_spend, spend) > 0)[:1]
        progress = 100
        if next_tier:
            floor = self.tier_id.min_spend if self.tier_id else 0.0
            span = next_tier.min_spend - floor
            progress = int(max(0.0, min(1.0, (spend - floor) / span)) * 100) if span > 0 else 0
        return {
            "card": self,
            "spend": spend,
            "next_tier": next_tier,
            "next_tier_missing": (next_tier.min_spend - spend) if next_tier else 0.0,
            "progress": progress,
            "currency": (self.tier_id or tiers[:1]).currency_id,
        }

    # -- counter API (API.md) -------------------------------------------------------

    @api.model
    def _check_counter_access(self):
        if not (
            self.env.user.has_group("alliance_member.group_alliance_cashier")
            or self.env.user.has_group("alliance_member.group_alliance_operator")
        ):
            raise AccessError(self.env._("Only alliance cashiers and the operator can look up members."))

    @api.model
    def _find_by_query(self, query):
        """The card a counter means by a card number, a barcode or a phone number."""
        if query and not isinstance(query, str):
            raise UserError(self.env._("A card number or phone number is text, as scanned or typed; %r is not.", query))
        query = (query or "").strip().replace(" ", "").replace("-", "")
        if len(query) > 64:
            raise UserError(self.env._("%s… is too long for a card number or a phone number.", query[:20]))
        if not query:
            raise UserError(self.env._("Scan a card or type a card number or phone number."))
        # Narrow sudo: the counter may find any member's card by exact number or phone only.
        Card = self.sudo().with_context(active_test=False)
        if query.isdigit() and len(query) == SERIAL_DIGITS + 1:
            if serial_from_code(query) is None:
                raise UserError(self.env._("%s is not a valid card number: check the digits.", query))
            # The probe of the unique number fetches the card too: what follows reads it.
            found = Query(self.env, self._table)
            found.add_where(SQL("%s = %s", SQL.identifier(self._table, "code"), query))
            card = Card._fetch_query(found, [self._fields[name] for name in self._get_prefetched_fields()])
            if not card:
                raise UserError(self.env._("No alliance card has number %s.", query))
            return card
        phone = self.env["res.partner"]._alliance_normalize_phone(query)
        partner = (
            self.env["res.partner"]
            .sudo()
            .search([("alliance_phone", "=", phone), ("alliance_is_member", "=", True)], limit=1)
        )
        card = Card.search([("partner_id", "=", partner.id), ("state", "=", "active")], limit=1) if partner else Card
        if not card and partner:
            card = Card.search([("partner_id", "=", partner.id)], order="id desc", limit=1)
        if not card:
            raise UserError(self.env._("No member has phone number %s.", query))
        return card

    @api.model
    def _alliance_card_id_of_number(self, code):
        """The id of the card with this exact number (a valid one), or False: an offline order's card."""
        if not isinstance(code, str):
            return False
        code = code.strip()
        if not (code.isdigit() and len(code) == SERIAL_DIGITS + 1) or serial_from_code(code) is None:
            return False
        # Narrow sudo: one card by its exact number, as the counter's lookup finds it.
        return self.sudo().with_context(active_test=False).search([("code", "=", code)], limit=1).id or False

    @api.model
    def _get_prefetched_fields(self):
        """The columns Odoo would fetch on the first read of a card."""
        return [
            name for name, field in self._fields.items() if field.store and field.column_type and field.prefetch is True
        ]

    def _alliance_discount_for(self, merchant):
        """The member discount (%) this card gets at ``merchant``: the best of the merchant's
        card-holder discount, the card type's and the tier's, never their sum; none on a card
        that cannot be used."""
        self.ensure_one()
        usable = self.state == "active" and not (
            self.valid_until and self.valid_until < fields.Date.context_today(self)
        )
        merchant_pct = merchant.member_discount if merchant else 0.0
        return self._alliance_discount_rule(usable, merchant_pct, self.type_id.discount, self.tier_id.discount)

    @api.model
    def _alliance_discount_rule(self, usable, merchant_pct, type_pct, tier_pct):
        """Hook: the member discount rule, the best of the three (never their sum), none on an unusable card."""
        return max(merchant_pct, type_pct, tier_pct) if usable else 0.0

    def _alliance_discount_at_sync(self, merchant_id):
        """The same discount in one query, for the POS sync that judges the counter's labels.

        Every card order at the member's price asks it, before the points
        service reads the card: the card's, its type's, its tier's and the
        merchant's rows are not read whole for four numbers.
        """
        self.ensure_one()
        self.flush_recordset(["state", "valid_until", "type_id", "tier_id"])
        [(usable, merchant_pct, type_pct, tier_pct)] = self.env.execute_query(
            SQL(
                """SELECT c.state = 'active' AND (c.valid_until IS NULL OR c.valid_until >= %(today)s),
                          COALESCE((SELECT member_discount FROM alliance_merchant WHERE id = %(merchant)s), 0),
                          COALESCE(ct.discount, 0), COALESCE(t.discount, 0)
                     FROM alliance_card c
                     JOIN alliance_card_type ct ON ct.id = c.type_id
                LEFT JOIN alliance_tier t ON t.id = c.tier_id
                    WHERE c.id = %(card)s""",
                today=fields.Date.context_today(self),
                merchant=merchant_id,
                card=self.id,
            )
        )
        return self._alliance_discount_rule(usable, float(merchant_pct), float(type_pct), float(tier_pct))

    def _alliance_lookup_values(self):
        """Hook: what the counter sees of a card; nothing personal beyond the name."""
        self.ensure_one()
        merchant = self.env["alliance.merchant"]._get_current(raise_if_none=False)
        # The member's name only: reading it through the ORM would fetch the whole partner, a hundred columns.
        self.partner_id.fetch(["name"])
        return {
            "member_discount": self._alliance_discount_for(merchant),
            "card_id": self.id,
            "card": self.code,
            "member": self.partner_id.name,
            "tier": self.tier_id.name or "",
            "tier_discount": self.tier_id.discount,
            "discount": self.type_id.discount,
            "state": self.state,
            "state_label": self._state_label(),
            "replaced_by": self.replaced_by_id.code or "",
            "balance": self.balance,
            "visits_left": self.visits_left if self.card_kind == "count" else False,
            "valid_until": fields.Date.to_string(self.valid_until) if self.valid_until else "",
            "expiring": [],
        }

    @api.model
    @api.readonly
    def alliance_lookup(self, query):
        """Find a member's card by card number, barcode or phone (API.md).

        Read-only: JSON-2 and the POS's ``call_kw`` serve it from a replica
        when Odoo has one (``db_replica_host``); only its counter is written,
        on the primary.
        """
        self._check_counter_access()
        self.env["alliance.merchant"]._get_current(
            raise_if_none=not self.env.user.has_group("alliance_member.group_alliance_operator")
        )
        return self._find_counted(query)._alliance_lookup_values()

    @api.model
    def _find_counted(self, query):
        """``_find_by_query``, counted against the caller's lookups per minute (found or not)."""
        Rate = self.env["alliance.lookup.rate"]
        if self.env.cr.readonly:
            # On a replica nothing can be written: counted first, on the primary, found or not.
            Rate._count(found=False)
            return self._find_by_query(query)
        try:
            card = self._find_by_query(query)
        except UserError:
            # Counted apart: the error rolls this transaction back, and guessing is what is limited.
            Rate._count(found=False)
            raise
        Rate._count()
        return card

    @api.model
    def alliance_use_visit(self, card, reference):
        """Use one visit of a count-based card at the caller's merchant; idempotent on ``reference``."""
        self._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        merchant._check_can_serve()
        if not reference or not isinstance(reference, str) or len(reference) > 128:
            raise UserError(self.env._("A reference (idempotency key, text of at most 128 characters) is required."))
        if (
            isinstance(card, bool)
            or not isinstance(card, (str, int))
            or (isinstance(card, int) and not 0 < card < 2**31)
        ):
            raise UserError(self.env._("A card is given by its number or its id."))
        card = self._find_by_query(card) if isinstance(card, str) else self.sudo().browse(card).exists()
        if not card:
            raise UserError(self.env._("No such alliance card."))
        Visit = self.env["alliance.card.visit"].sudo()
        done = Visit.search([("merchant_id", "=", merchant.id), ("reference", "=", reference)], limit=1)
        if done:
            return {"card": done.card_id.code, "visits_left": done.visits_left}
        if card.card_kind != "count":
            raise UserError(self.env._("Card %s is not a count-based card.", card.code))
        if card.state != "active" or (card.valid_until and card.valid_until < fields.Date.context_today(self)):
            raise UserError(self.env._("Card %s cannot be used: it is not active or no longer valid.", card.code))
        card._lock_rows()
        card.invalidate_recordset(["visits_left"])
        if card.visits_left <= 0:
            raise UserError(self.env._("Card %s has no visit left.", card.code))
        # visits_left is readonly for users; it moves here only, under the card's lock.
        card.write({"visits_left": card.visits_left - 1})
        Visit.create(
            {"card_id": card.id, "merchant_id": merchant.id, "reference": reference, "visits_left": card.visits_left}
        )
        return {"card": card.code, "visits_left": card.visits_left}

    def _alliance_give_back_visit(self, visit, reference, pos_order=None):
        """A refund gives back a visit used on the card; once per visit, under the card's lock."""
        self.ensure_one()
        self._lock_rows()
        visit = visit.sudo()
        visit.invalidate_recordset(["given_back_id"])
        if visit.given_back_id or visit.visits >= 0:
            return visit.given_back_id
        self.invalidate_recordset(["visits_left"])
        self.sudo().write({"visits_left": self.visits_left + 1})
        back = (
            self.env["alliance.card.visit"]
            .sudo()
            .create(
                {
                    "card_id": self.id,
                    "merchant_id": visit.merchant_id.id,
                    "reference": reference,
                    "visits": 1,
                    "visits_left": self.visits_left,
                    "pos_order_id": pos_order.id if pos_order else False,
                }
            )
        )
        visit.given_back_id = back
        return back

    @api.model
    def _alliance_check_birthday(self, birthday):
        """A birthday given as ISO text (1990-03-12), in the past and within a lifetime."""
        if birthday in (None, False, ""):
            return False
        try:
            if not isinstance(birthday, str) or len(birthday) != 10:
                raise ValueError(birthday)
            day = fields.Date.to_date(birthday)
        except ValueError:
            raise UserError(self.env._("A birthday is a date written as 1990-03-12; %r is not.", birthday)) from None
        today = fields.Date.context_today(self)
        if day > today or day < today - relativedelta(years=120):
            raise UserError(self.env._("%s cannot be a living member's birthday.", birthday))
        return day

    @api.model
    def _alliance_find_referrer(self, referrer):
        """The member who referred a new one, named by card number, payment code or phone."""
        if referrer in (None, False, ""):
            return self.env["res.partner"]
        # Counted as a lookup: naming referrers is also a way to probe phones.
        card = self._find_counted(referrer)
        if card.state != "active":
            raise UserError(self.env._("The referrer's card %s is not active.", card.code))
        return card.partner_id

    @api.model
    def _alliance_fee_product(self):
        return self.env.ref("alliance_member.product_card_fee", raise_if_not_found=False)

    @api.model
    def alliance_enrol(
        self,
        name,
        phone,
        consent_sms=False,
        consent_marketing=False,
        code=None,
        birthday=None,
        referrer=None,
    ):
        """Enrol a new member at the counter and issue the merchant's next card.

        ``birthday`` (1990-03-12) starts the birthday bonus; ``referrer`` (the
        referrer's card number, payment code or phone) the referral bonus. The
        answer is the lookup's, with the card type's issue fee to charge.
        """
        self._check_counter_access()
        merchant = self.env["alliance.merchant"]._get_current()
        merchant._check_can_serve()
        birthday = self._alliance_check_birthday(birthday)
        if not isinstance(name, str) or not name.strip():
            raise UserError(self.env._("The member's name is required, as text."))
        name = name.strip()
        if len(name) > 64:
            raise UserError(self.env._("A member's name is at most 64 characters."))
        if not isinstance(phone, str):
            raise UserError(self.env._("The phone number is text, as typed."))
        if code is not None and code is not False and not isinstance(code, str):
            raise UserError(self.env._("A card number is text, as printed on the card."))
        Partner = self.env["res.partner"]
        e164 = Partner._alliance_normalize_phone(phone)
        Partner._alliance_check_phone_free(e164)
        referrer_partner = self._alliance_find_referrer(referrer)
        # Cashiers may not create arbitrary contacts; the member partner is
        # created here, with the fields checked above only.
        partner = Partner.sudo().create(
            {
                "name": name,
                "phone": e164,
                "alliance_is_member": True,
                "alliance_consent_sms": bool(consent_sms),
                "alliance_consent_marketing": bool(consent_marketing),
                "alliance_enrol_merchant_id": merchant.id,
                "alliance_birthday": birthday,
                "alliance_referrer_id": referrer_partner.id,
            }
        )
        card = self.create({"partner_id": partner.id, "code": code or False})
        fee = card.type_id.issue_fee
        product = self._alliance_fee_product()
        return card._alliance_lookup_values() | {
            "issue_fee": card.type_id.currency_id.round(fee) if fee else 0.0,
            "fee_product_id": product.id if fee and product else False,
            "referrer": referrer_partner.name or "",
        }
