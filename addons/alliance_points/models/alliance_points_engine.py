"""The accrual rule engine: how many points a purchase earns, and why.

Every figure is an integer. Amounts enter as whole minor units (cents);
every multiplier is a percentage; the product is divided once, at the end,
and rounded down to whole points. A step that changes the result is written
into the explanation stored on the earn entry.
"""

from decimal import ROUND_HALF_UP, Decimal

from odoo import api, fields, models, tools
from odoo.tools import SQL

PARAM_PREFIX = "alliance_points."


class AlliancePointsEngine(models.AbstractModel):
    _name = "alliance.points.engine"
    _description = "Alliance Points Accrual Engine"

    @api.model
    def _param_int(self, name, default):
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + name)
        return int(value) if value not in (None, False, "") else default

    @api.model
    def _param(self, name, default):
        return self.env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + name) or default

    # -- the computation -----------------------------------------------------------

    @api.model
    def _compute_earn(self, card, merchant, amount, lines=None, when=None):
        """Points earned by ``card`` for ``amount`` paid at ``merchant``.

        ``lines`` ([{"product", "category", "amount"}]) split the amount for
        category promotions; without them the whole amount is one line.
        Returns ``{"points": int, "explain": [str, ...]}``.
        """
        when = when or fields.Datetime.now()
        local = fields.Datetime.context_timestamp(self.with_context(tz=self._get_tz()), when)
        currency = merchant.currency_id
        total_cents = self._to_cents(amount, currency)
        explain = []
        if total_cents <= 0:
            return {"points": 0, "explain": [self.env._("nothing paid")]}
        rate = self._get_rate_pct(merchant, explain)
        factors = [rate]
        factors.append(self._get_band_pct(total_cents, currency, explain))
        factors.append(self._get_tier_pct(card, explain))
        factors.append(self._get_birthday_pct(card, local, explain))
        promotions = self._get_promotions(merchant, local)
        # Points = minor units × Π(pct) / (minor units per unit × 100^n), per line, for
        # the factors every line shares; category promotions multiply their lines.
        numerator = 0
        denominator = 10**currency.decimal_places * 100 ** len(factors)
        shared = 1
        for pct in factors:
            shared *= pct
        line_promos = promotions.filtered("category_ids")
        # Lines matter only to a promotion on categories; otherwise the whole amount is one line
        # (and no product is read).
        lines = (
            self._prepare_lines(lines, total_cents, currency)
            if line_promos
            else [{"cents": total_cents, "category": False}]
        )
        order_promos = promotions - line_promos
        order_pct = 1
        for promo in order_promos:
            if promo.multiplier_pct != 100:
                explain.append(self.env._("promotion %(name)s: ×%(pct)s%%", name=promo.name, pct=promo.multiplier_pct))
            order_pct *= promo.multiplier_pct
        denominator *= 100 ** len(order_promos)
        for line in lines:
            line_pct = 1
            for promo in line_promos:
                line_pct *= promo.multiplier_pct if self._in_categories(line["category"], promo.category_ids) else 100
            numerator += line["cents"] * line_pct
        denominator *= 100 ** len(line_promos)
        for promo in line_promos:
            explain.append(
                self.env._(
                    "promotion %(name)s: ×%(pct)s%% on its categories", name=promo.name, pct=promo.multiplier_pct
                )
            )
        points = numerator * shared * order_pct // denominator
        bonus = sum(promotions.mapped("bonus_points"))
        if bonus:
            explain.append(self.env._("bonus points: +%s", bonus))
        points += bonus
        explain.insert(0, self.env._("paid %s", Decimal(total_cents).scaleb(-currency.decimal_places)))
        explain.append(self.env._("= %s points (rounded down)", points))
        return {"points": points, "explain": explain}

    # -- steps (override to change one rule) ------------------------------------------

    @api.model
    def _get_tz(self):
        return self._operator_tz(self.env["alliance.merchant"]._get_operator_company_id())

    @api.model
    def _today(self):
        """The alliance's day, whoever asks: a cron runs as a user without a time zone (UTC), 8 h behind."""
        return fields.Date.context_today(self.with_context(tz=self._get_tz()))

    @api.model
    @tools.ormcache("company_id")
    def _operator_tz(self, company_id):
        """The operator's time zone, read once per worker (a partner's tz change clears it)."""
        self.env["res.partner"].flush_model(["tz"])
        rows = self.env.execute_query(
            SQL(
                "SELECT p.tz FROM res_company c JOIN res_partner p ON p.id = c.partner_id WHERE c.id = %s",
                company_id,
            )
        )
        return (rows and rows[0][0]) or "Asia/Shanghai"

    @api.model
    def _to_cents(self, amount, currency):
        """An amount in whole minor units of its currency (cents for CNY, none for JPY, fils for KWD)."""
        return int(Decimal(repr(amount)).scaleb(currency.decimal_places).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @api.model
    def _prepare_lines(self, lines, total_cents, currency):
        """Lines with their share of the amount actually paid, in cents."""
        if not lines:
            return [{"cents": total_cents, "category": False}]
        Category = self.env["product.category"]
        prepared = []
        for line in lines:
            category = line.get("category")
            if isinstance(category, int):
                category = Category.browse(category)
            elif not category and line.get("product"):
                product = line["product"]
                if isinstance(product, int):
                    product = self.env["product.product"].browse(product)
                category = product.categ_id
            prepared.append({"cents": self._to_cents(line.get("amount", 0.0), currency), "category": category or False})
        listed = sum(line["cents"] for line in prepared)
        if listed <= 0:
            return [{"cents": total_cents, "category": False}]
        # Lines list prices; only the amount actually paid earns: scale them.
        return [{**line, "cents": line["cents"] * total_cents // listed} for line in prepared]

    @api.model
    def _in_categories(self, category, categories):
        """Whether a product category is one of ``categories`` or below one."""
        if not category:
            return False
        ancestors = {int(i) for i in (category.parent_path or f"{category.id}/").strip("/").split("/")}
        return bool(ancestors & set(categories.ids))

    @api.model
    def _get_rate_pct(self, merchant, explain):
        rate = self.env["alliance.merchant"]._alliance_earn_rate_pct(merchant)
        explain.append(
            self.env._("rate %s%% point per unit (merchant's own)", rate)
            if merchant.earn_rate_pct
            else self.env._("rate %s%% point per unit", rate)
        )
        return rate

    @api.model
    def _get_band_pct(self, total_cents, currency, explain):
        for min_amount, max_amount, pct in self._band_specs():
            low = self._to_cents(min_amount, currency)
            high = self._to_cents(max_amount, currency) if max_amount else None
            if total_cents >= low and (high is None or total_cents < high):
                if pct != 100:
                    explain.append(self.env._("spend band from %(amount)s: ×%(pct)s%%", amount=min_amount, pct=pct))
                return pct
        return 100

    @api.model
    @tools.ormcache()
    def _band_specs(self):
        """Active bands, highest first, as (from, up to, multiplier): read once per worker.

        Bands change a few times a year and every earn reads them; the
        band model clears the cache when one changes.
        """
        bands = self.env["alliance.earn.band"].sudo().search([("active", "=", True)], order="min_amount desc")
        return tuple((band.min_amount, band.max_amount, band.multiplier_pct) for band in bands)

    @api.model
    def _get_tier_pct(self, card, explain):
        if not card.tier_id:
            return 100
        name, pct = self._tier_spec(card.tier_id.id, self.env.lang)
        pct = pct or 100
        if pct != 100:
            explain.append(self.env._("tier %(name)s: ×%(pct)s%%", name=name, pct=pct))
        return pct

    @api.model
    @tools.ormcache("tier_id", "lang")
    def _tier_spec(self, tier_id, lang):
        """(name, multiplier) of a tier: a handful of tiers, read on every earn. A tier's change clears it."""
        tier = self.env["alliance.tier"].sudo().with_context(lang=lang).browse(tier_id)
        return tier.name, tier.multiplier_pct

    @api.model
    def _get_birthday_pct(self, card, local, explain):
        # One column, not the whole partner record the ORM would fetch: this runs on every POS sync
        # (the service fetched it already, with the earn's other member columns).
        member = card.partner_id.sudo()
        member.fetch(["alliance_birthday"])
        birthday = member.alliance_birthday
        if birthday and (birthday.month, birthday.day) == (local.month, local.day):
            pct = self._param_int("birthday_pct", 200)
            if pct != 100:
                explain.append(self.env._("birthday: ×%s%%", pct))
            return pct
        return 100

    @api.model
    def _get_promotions(self, merchant, local):
        """Promotions running at ``merchant`` at this local time, from the day's cached schedule."""
        when = local.replace(tzinfo=None)
        weekday = str(when.weekday())
        return (
            self.env["alliance.earn.promotion"]
            .sudo()
            .browse(
                promo_id
                for promo_id, weekdays, hour_from, hour_to, merchant_ids in self._promotion_specs(when.date())
                if (not weekdays or weekday in weekdays)
                and hour_from <= when.hour < hour_to
                and (not merchant_ids or merchant.id in merchant_ids)
            )
        )

    @api.model
    @tools.ormcache("day")
    def _promotion_specs(self, day):
        """(id, weekdays, from hour, to hour, merchant ids) of the promotions running on ``day``.

        Most days have none and most earns are outside the rest: the schedule
        is read once per worker and day, the promotion itself only when it
        applies. The promotion model clears the cache when one changes.
        """
        promotions = (
            self.env["alliance.earn.promotion"]
            .sudo()
            .search([("active", "=", True), ("date_from", "<=", day), ("date_to", ">=", day)])
        )
        return tuple(
            (p.id, p.weekdays or "", p.hour_from, p.hour_to, frozenset(p.merchant_ids.ids)) for p in promotions
        )

    @api.model
    def _get_referral_levels(self):
        """Percent of the referee's points each referrer level earns."""
        defaults = (10, 5, 2)
        return [self._param_int(f"referral_pct_{level}", defaults[level - 1]) for level in (1, 2, 3)]
