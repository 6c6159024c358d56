from decimal import ROUND_HALF_UP, Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# The largest pack sold at once: a city's merchant gives away a few million points a year.
MAX_PACK_POINTS = 100_000_000


class AlliancePointPack(models.Model):
    """A pack of points sold to a prepaid merchant (商家充值): invoiced at once, usable once paid.

    The operator sells it (``_sell``): a customer invoice in the operator's
    books, on the points liability. The merchant's quota grows by the pack
    only when the invoice is paid (``account.move._invoice_paid_hook``), once
    however often that is said. A settlement statement does not bill it again.
    """

    _name = "alliance.point.pack"
    _description = "Alliance Point Pack"
    _order = "id desc"

    name = fields.Char(readonly=True, copy=False)
    merchant_id = fields.Many2one("alliance.merchant", required=True, readonly=True, index=True, ondelete="restrict")
    # The merchant's company: what its staff's rules see (the invoice is in the operator's books).
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    points = fields.Integer(required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    amount = fields.Monetary(readonly=True, help="The merchant's contract price for the points.")
    invoice_id = fields.Many2one("account.move", readonly=True, copy=False, index="btree_not_null")
    state = fields.Selection(
        [("invoiced", "Awaiting Payment"), ("credited", "Credited"), ("cancelled", "Cancelled")],
        default="invoiced",
        required=True,
        readonly=True,
    )
    date_credited = fields.Datetime(readonly=True, copy=False)

    _points_positive = models.Constraint("CHECK(points > 0)", "A point pack holds a positive number of points.")

    @api.model
    def _check_points(self, points):
        if isinstance(points, bool) or not isinstance(points, int) or not 0 < points <= MAX_PACK_POINTS:
            raise UserError(
                self.env._("A point pack is a whole number of points between 1 and %s.", f"{MAX_PACK_POINTS:,}")
            )

    @api.model
    def _price(self, merchant, points):
        """The contract's price per 1,000 points, for ``points``, rounded to the cent (Decimal)."""
        digits = Decimal(10) ** -merchant.currency_id.decimal_places
        price = Decimal(repr(merchant.issue_price)) * points / 1000
        return float(price.quantize(digits, rounding=ROUND_HALF_UP))

    @api.model
    def _sell(self, merchant, points):
        """Invoice a pack of ``points`` to ``merchant`` (the operator only); returns the pack."""
        if not self.env.user.has_group("alliance_member.group_alliance_operator"):
            raise AccessError(self.env._("Only the operator sells point packs."))
        self._check_points(points)
        merchant = merchant.sudo(False)
        if merchant.billing_mode != "prepaid":
            raise UserError(
                self.env._("%s is billed at settlement for the points it gives: it buys no packs.", merchant.name)
            )
        if merchant.state not in ("active", "suspended"):
            raise UserError(self.env._("Merchant %s is not an active member of the alliance.", merchant.name))
        operator = self.env["alliance.merchant"]._get_operator_company()
        operator._alliance_ensure_settlement_books()
        amount = self._price(merchant, points)
        # Packs and their invoices are written by this method for the operator, checked above.
        pack = self.sudo().create(
            {
                "name": self.env["ir.sequence"].sudo().next_by_code("alliance.point.pack") or "/",
                "merchant_id": merchant.id,
                "company_id": merchant.company_id.id,
                "points": points,
                "currency_id": merchant.currency_id.id,
                "amount": amount,
            }
        )
        invoice = self.env["account.move"].sudo().with_company(operator).create(pack._prepare_invoice_vals(operator))
        invoice.action_post()
        pack.invoice_id = invoice
        return pack.sudo(False)

    def _prepare_invoice_vals(self, operator):
        """Hook: the pack's customer invoice, on the points liability (the points are owed to members)."""
        self.ensure_one()
        return {
            "move_type": "out_invoice",
            "partner_id": self.merchant_id.company_id.sudo().partner_id.id,
            "journal_id": operator.alliance_sale_journal_id.id,
            "currency_id": self.currency_id.id,
            "ref": self.name,
            "invoice_line_ids": [
                fields.Command.create(
                    {
                        "name": self.env._(
                            "Point pack %(name)s: %(points)s points", name=self.name, points=self.points
                        ),
                        "account_id": operator.alliance_liability_account_id.id,
                        "quantity": 1,
                        "price_unit": self.amount,
                        "tax_ids": [],
                    }
                )
            ],
        }

    def _credit(self):
        """The invoice is paid: the merchant's quota grows by the pack, once (the row is locked first)."""
        Quota = self.env["alliance.quota.entry"].sudo()
        for pack in self:
            self.env.cr.execute(SQL("SELECT state FROM alliance_point_pack WHERE id = %s FOR UPDATE", pack.id))
            [(state,)] = self.env.cr.fetchall()
            if state != "invoiced":
                continue
            Quota._move(
                pack.merchant_id,
                "purchase",
                pack.points,
                amount=pack.amount,
                reference=f"pack/{pack.id}",
                pack_id=pack.id,
            )
            pack.write({"state": "credited", "date_credited": fields.Datetime.now()})
