"""短信营销: a merchant texts the members it served (those who accept marketing), on its SMS quota."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class AllianceSmsCampaign(models.Model):
    _name = "alliance.sms.campaign"
    _description = "Alliance SMS Campaign"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True)
    merchant_id = fields.Many2one(
        "alliance.merchant",
        required=True,
        index=True,
        default=lambda self: self.env["alliance.merchant"].search([("company_id", "=", self.env.company.id)], limit=1),
    )
    company_id = fields.Many2one(related="merchant_id.company_id", store=True, index=True)
    template_id = fields.Many2one("alliance.sms.template", required=True, domain=[("kind", "=", "marketing")])
    offer = fields.Char(size=30, help="The template's ${offer}: what the members are offered, 30 characters.")
    preview = fields.Text(compute="_compute_preview")
    audience = fields.Integer(
        string="Members Reached", readonly=True, help="Members served here who accept marketing messages."
    )
    cost = fields.Integer(string="SMS Used", readonly=True)
    state = fields.Selection([("draft", "Draft"), ("sent", "Sent")], default="draft", readonly=True, tracking=True)
    date_sent = fields.Datetime(readonly=True)

    # Figures and state are the server's: written by its actions only, never by a client.
    _SERVER_FIELDS = frozenset({"state", "audience", "cost", "date_sent"})

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("alliance_campaign_server") and any(
            self._SERVER_FIELDS & {k for k, v in vals.items() if v and v != "draft"} for vals in vals_list
        ):
            raise UserError(self.env._("A campaign's count, cost and state are the server's."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get("alliance_campaign_server") and self._SERVER_FIELDS & set(vals):
            raise UserError(self.env._("A campaign's count, cost and state are the server's."))
        if set(vals) - self._SERVER_FIELDS and any(c.state != "draft" for c in self):
            raise UserError(self.env._("A campaign sent cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(c.state != "draft" for c in self):
            raise UserError(self.env._("A campaign sent is kept."))

    @api.depends("template_id", "offer", "merchant_id")
    def _compute_preview(self):
        for campaign in self:
            campaign.preview = (
                campaign.template_id._render({"merchant": campaign.merchant_id.name, "offer": campaign.offer or ""})
                if campaign.template_id
                else False
            )

    def _audience_query(self):
        """The members this merchant served (earned or spent here) who accept marketing texts, with a number."""
        return SQL(
            """SELECT DISTINCT p.id, p.phone
                 FROM alliance_points_entry e
                 JOIN alliance_card c ON c.id = e.card_id
                 JOIN res_partner p ON p.id = c.partner_id
                WHERE e.merchant_id = %s AND e.entry_type IN ('earn', 'redeem')
                  AND p.alliance_consent_sms AND p.alliance_consent_marketing
                  AND p.phone IS NOT NULL AND p.phone != ''""",
            self.merchant_id.id,
        )

    def action_preview(self):
        """The count and the cost before sending: one message per member, from the merchant's quota."""
        for campaign in self:
            self.env["alliance.sms.service"]._check_merchant_manager(campaign.merchant_id)
            if campaign.state != "draft":
                raise UserError(self.env._("This campaign was sent already."))
            self.env.flush_all()
            [(count,)] = self.env.execute_query(SQL("SELECT COUNT(*) FROM (%s) a", campaign._audience_query()))
            campaign.with_context(alliance_campaign_server=True).write({"audience": count, "cost": count})
        return True

    def action_send(self):
        Service = self.env["alliance.sms.service"]
        for campaign in self:
            Service._check_merchant_manager(campaign.merchant_id)
            Service._check_template(campaign.template_id)
            if campaign.state != "draft":
                raise UserError(self.env._("This campaign was sent already."))
            if not (campaign.offer or "").strip():
                raise UserError(self.env._("Say what the members are offered."))
            campaign.action_preview()
            merchant = campaign.merchant_id
            if campaign.audience > merchant.sms_quota:
                raise UserError(
                    self.env._(
                        "%(count)s members would be texted; %(merchant)s has %(left)s SMS left. Buy an SMS pack first.",
                        count=campaign.audience,
                        merchant=merchant.name,
                        left=merchant.sms_quota,
                    )
                )
            queued = campaign._queue_messages()
            campaign.with_context(alliance_campaign_server=True).write(
                {"state": "sent", "date_sent": fields.Datetime.now(), "cost": queued}
            )
        return True

    def _queue_messages(self):
        """One INSERT … SELECT through Odoo's SMS queue, which sends it in batches; once per member."""
        template = self.template_id
        params = {"merchant": self.merchant_id.name, "offer": self.offer.strip()}
        Service = self.env["alliance.sms.service"]
        queued = Service._queue_select(
            template,
            SQL(
                """SELECT a.phone AS number, a.id AS partner_id, %(text)s AS body, %(params)s AS params,
                          %(merchant)s AS merchant_id, 'campaign/' || %(campaign)s || '/' || a.id AS key
                     FROM (%(audience)s) a""",
                text=template._render(params),
                params=Service._dump_params(params),
                merchant=self.merchant_id.id,
                campaign=self.id,
                audience=self._audience_query(),
            ),
        )
        self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()
        return queued
