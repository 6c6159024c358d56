from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

OPERATOR_PARAM = "alliance_member.operator_company_id"

# Allowed state transitions of a merchant's membership of the alliance.
MERCHANT_TRANSITIONS = {
    "draft": {"active", "terminated"},
    "active": {"suspended", "terminated"},
    "suspended": {"active", "terminated"},
    "terminated": set(),
}


class AllianceMerchant(models.Model):
    """A merchant of the alliance: one Odoo company with its contract.

    The company carries the merchant's own POS, stock and books; this record
    carries what the operator agreed with it.
    """

    _name = "alliance.merchant"
    _description = "Alliance Merchant"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(help="Short code printed on statements and card ranges.")
    company_id = fields.Many2one("res.company", required=True, ondelete="restrict", index=True, tracking=True)
    partner_id = fields.Many2one(related="company_id.partner_id", string="Partner")
    # Stored: every earn and redeem needs it, and reading it through the company reads the whole company.
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    trade_id = fields.Many2one("alliance.trade")
    region = fields.Char()
    agent_id = fields.Many2one("alliance.agent", string="Regional Agent", tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("suspended", "Suspended"),
            ("terminated", "Terminated"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    date_joined = fields.Date(readonly=True, copy=False)
    issue_price = fields.Monetary(
        default=10.0,
        required=True,
        tracking=True,
        help="What the merchant pays the operator per 1,000 points it gives away.",
    )
    reimburse_price = fields.Monetary(
        default=8.0,
        required=True,
        tracking=True,
        help="What the operator pays the merchant per 1,000 points it accepts.",
    )
    billing_mode = fields.Selection(
        [("prepaid", "Prepaid (buys point packs)"), ("postpaid", "Postpaid (billed at settlement)")],
        default="postpaid",
        required=True,
        tracking=True,
    )
    overdraft_points = fields.Integer(
        string="Overdraft (points)",
        tracking=True,
        help="Prepaid merchants may give away this many points beyond their quota.",
    )
    commission_rate = fields.Float(
        string="Commission (%)",
        digits=(5, 2),
        tracking=True,
        help="Share of the member sales at this merchant owed to the operator.",
    )
    member_discount = fields.Float(
        string="Card-holder Discount (%)",
        digits=(5, 2),
        tracking=True,
        help="持卡享受XX折: what every alliance card gets off at this merchant, as agreed in its contract. "
        "A card whose type or tier gives more gets that instead; discounts are not added up.",
    )
    pos_config_ids = fields.One2many(related="company_id.alliance_pos_config_ids", string="Points of Sale")
    card_range_ids = fields.One2many("alliance.card.range", "merchant_id", string="Card Ranges")

    _company_uniq = models.Constraint("UNIQUE(company_id)", "A company can be only one merchant.")
    _prices_positive = models.Constraint(
        "CHECK(issue_price >= 0 AND reimburse_price >= 0)", "Contract prices cannot be negative."
    )
    _overdraft_positive = models.Constraint(
        "CHECK(overdraft_points >= 0)", "The overdraft is a number of points, zero or more."
    )
    _member_discount_range = models.Constraint(
        "CHECK(member_discount >= 0 AND member_discount <= 100)",
        "The card-holder discount is a percentage between 0 and 100.",
    )
    _commission_range = models.Constraint(
        "CHECK(commission_rate >= 0 AND commission_rate <= 100)", "The commission is a percentage between 0 and 100."
    )

    @api.constrains("company_id")
    def _check_not_operator(self):
        operator = self._get_operator_company()
        for merchant in self:
            if merchant.company_id == operator:
                raise ValidationError(self.env._("The operator's company cannot be a merchant of its own alliance."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("company_id"):
                vals["company_id"] = self._create_company(vals).id
            elif not vals.get("name"):
                # API.md: a merchant is its company plus a contract; its name is the company's.
                vals["name"] = self.env["res.company"].sudo().browse(vals["company_id"]).name
        merchants = super().create(vals_list)
        # A company that was not a merchant may be one now (see _merchant_id_of_company).
        self.env.registry.clear_cache()
        merchants._ensure_pos_config()
        return merchants

    def write(self, vals):
        if "company_id" in vals:
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    def _create_company(self, vals):
        """Hook: the company of a merchant created from the backend."""
        operator = self._get_operator_company()
        # Creating a company is an operator act; the company must exist before
        # the merchant record that the operator is allowed to create.
        return (
            self.env["res.company"]
            .sudo()
            .create(
                {
                    "name": vals["name"],
                    "currency_id": operator.currency_id.id,
                    "country_id": operator.country_id.id,
                }
            )
        )

    def _ensure_pos_config(self):
        """Give each merchant's company books and a point of sale if it has none."""
        if self.env.context.get("alliance_no_pos_config"):
            # A merchant whose till is not Odoo (web shop, other POS brand) talks to the API only.
            return
        for merchant in self:
            # The merchant's company, which the operator setting it up may not have selected (or even
            # be allowed in): its books and points of sale are the operator's to prepare.
            company = merchant.sudo().company_id
            if not company.alliance_pos_config_ids:
                self._ensure_company_books(company)
                # pos.config belongs to the merchant's company, which the
                # operator user creating the merchant may not have selected.
                self.env["pos.config"].sudo().with_company(company).create(merchant._prepare_pos_config_vals())

    @api.model
    def _ensure_company_books(self, company):
        """Load the chart of accounts of the company's country (generic if none).

        A POS needs journals; a merchant company created from the alliance
        backend has none yet. ``_load`` is used rather than ``try_loading``
        because merchants are also created while the module installs (demo
        data), when the registry is not fully loaded: the charts involved
        belong to modules already installed.
        """
        if company.chart_template:
            return
        # The chart's records carry account's xml ids; while this module
        # installs (demo data) Odoo would flag each as foreign to it.
        Chart = self.env["account.chart.template"].sudo().with_context(foreign_record_to_create=True)
        code = Chart._guess_chart_template(company.country_id)
        template = Chart._get_chart_template_mapping().get(code) or {}
        if not template.get("installed"):
            # The country's chart lives in a module that is not installed (the Chinese l10n_cn on a
            # database installed in one go): a merchant's books then start from the generic chart.
            code = "generic_coa"
        Chart._load(code, company.sudo(), install_demo=False)

    def _prepare_pos_config_vals(self):
        self.ensure_one()
        return {"name": self.env._("%s Counter", self.name), "company_id": self.company_id.id}

    # -- state machine -------------------------------------------------------

    def _set_state(self, new_state):
        for merchant in self:
            if new_state not in MERCHANT_TRANSITIONS[merchant.state]:
                raise UserError(
                    self.env._(
                        "Merchant %(merchant)s cannot go from %(old)s to %(new)s.",
                        merchant=merchant.name,
                        old=dict(merchant._fields["state"]._description_selection(self.env))[merchant.state],
                        new=dict(merchant._fields["state"]._description_selection(self.env))[new_state],
                    )
                )
        vals = {"state": new_state}
        if new_state == "active":
            vals["date_joined"] = fields.Date.context_today(self)
        self.write(vals)

    def action_activate(self):
        self._set_state("active")

    def action_suspend(self):
        self._set_state("suspended")

    def action_terminate(self):
        self._set_state("terminated")

    # -- business ------------------------------------------------------------

    @api.model
    def _get_operator_company(self):
        """The operator (HQ) company: a setting, the main company by default."""
        company = self.env["res.company"].sudo().browse(self._get_operator_company_id())
        if not company.exists():
            company = self.env.ref("base.main_company")
        return company

    @api.model
    def _get_operator_company_id(self):
        """The operator company's id, without reading the company (hot paths)."""
        company_id = self.env["ir.config_parameter"].sudo().get_param(OPERATOR_PARAM)
        return int(company_id) if company_id else self.env.ref("base.main_company").id

    @api.model
    def _get_current(self, raise_if_none=True):
        """The merchant acting: always the caller's current company."""
        merchant = self.sudo(False).browse(self._merchant_id_of_company(self.env.company.id))
        if not merchant and raise_if_none:
            raise UserError(self.env._("Company %s is not a merchant of the alliance.", self.env.company.name))
        return merchant

    @api.model
    @tools.ormcache("company_id")
    def _merchant_id_of_company(self, company_id):
        """Every API call and POS sync asks this; a company's merchant changes only on create/write."""
        return self.sudo().search([("company_id", "=", company_id)], limit=1).id or None

    def _check_can_serve(self):
        """Members may be served (looked up, enrolled) unless terminated or draft."""
        for merchant in self:
            if merchant.state not in ("active", "suspended"):
                raise UserError(self.env._("Merchant %s is not an active member of the alliance.", merchant.name))

    def _check_can_move_points(self):
        """Points are earned or redeemed only at an active merchant."""
        self._check_can_serve()
        for merchant in self:
            if merchant.state != "active":
                raise UserError(
                    self.env._(
                        "Merchant %s is suspended: it can serve members but cannot give or accept points.",
                        merchant.name,
                    )
                )

    def _alliance_portal_values(self):
        """A merchant manager's portal page: members enrolled and cards in stock."""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo()
        return {
            "merchant": self,
            "member_count": Partner.search_count([("alliance_enrol_merchant_id", "=", self.id)]),
            "card_count": self.env["alliance.card"].sudo().search_count([("issuer_merchant_id", "=", self.id)]),
            "ranges": self.card_range_ids,
        }
