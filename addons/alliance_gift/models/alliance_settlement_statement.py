from odoo import fields, models
from odoo.tools import SQL


class AllianceSettlementStatement(models.Model):
    _inherit = "alliance.settlement.statement"

    amount_coupon_reimbursed = fields.Monetary(
        string="Coupons Reimbursed", readonly=True, help="For coupons others fund that this merchant accepted."
    )
    amount_coupon_operator = fields.Monetary(
        string="Of Which Operator-funded",
        readonly=True,
        groups="alliance_member.group_alliance_accountant",
        help="The operator's marketing expense.",
    )
    amount_coupon_charged = fields.Monetary(
        string="Coupons Charged", readonly=True, help="For this merchant's coupons accepted by other merchants."
    )
    amount_gift_credit = fields.Monetary(
        string="Gifts Credited", readonly=True, help="For the gifts it sponsors, handed over to members."
    )

    def _alliance_lock_entries(self, end):
        locked = super()._alliance_lock_entries(end)
        params = {"st": self.id, "m": self.merchant_id.id, "end": end}
        self.env.cr.execute(
            SQL(
                """UPDATE alliance_coupon_use SET settlement_id = %(st)s
                    WHERE settlement_id IS NULL AND merchant_id = %(m)s AND date < %(end)s
                      AND funder_id IS DISTINCT FROM merchant_id""",
                **params,
            )
        )
        locked += self.env.cr.rowcount
        self.env.cr.execute(
            SQL(
                """UPDATE alliance_coupon_use SET funder_settlement_id = %(st)s
                    WHERE funder_settlement_id IS NULL AND funder_id = %(m)s AND date < %(end)s
                      AND funder_id != merchant_id""",
                **params,
            )
        )
        locked += self.env.cr.rowcount
        self.env.cr.execute(
            SQL(
                """UPDATE alliance_gift_order SET settlement_id = %(st)s
                    WHERE settlement_id IS NULL AND state = 'done' AND sponsor_id = %(m)s
                      AND handed_over_at < %(end)s""",
                **params,
            )
        )
        return locked + self.env.cr.rowcount

    def _alliance_unlock_entries(self):
        res = super()._alliance_unlock_entries()
        self.env.cr.execute(
            SQL("UPDATE alliance_coupon_use SET settlement_id = NULL WHERE settlement_id = %s", self.id)
        )
        self.env.cr.execute(
            SQL("UPDATE alliance_coupon_use SET funder_settlement_id = NULL WHERE funder_settlement_id = %s", self.id)
        )
        self.env.cr.execute(
            SQL("UPDATE alliance_gift_order SET settlement_id = NULL WHERE settlement_id = %s", self.id)
        )
        return res

    def _alliance_move_lines(self, operator):
        """Coupons clear through the operator's coupon account: the funder is charged into it, the
        accepting merchant reimbursed out of it; operator-funded coupons are its marketing expense.
        Sponsored gifts are the operator's cost of the gifts its points bought."""
        owed, reimbursed, income = super()._alliance_move_lines(operator)
        clearing = operator.alliance_coupon_account_id
        owed.append((self.env._("Own coupons accepted elsewhere"), clearing, self.amount_coupon_charged))
        operator_funded = self.sudo().amount_coupon_operator
        reimbursed += [
            (
                self.env._("Coupons accepted for other merchants"),
                clearing,
                self.amount_coupon_reimbursed - operator_funded,
            ),
            (self.env._("Coupons accepted for the operator"), operator.alliance_marketing_account_id, operator_funded),
            (
                self.env._("Sponsored gifts handed over"),
                operator.alliance_gift_cost_account_id,
                self.amount_gift_credit,
            ),
        ]
        return owed, reimbursed, income
