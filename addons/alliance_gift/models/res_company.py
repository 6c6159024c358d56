from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    alliance_coupon_account_id = fields.Many2one(
        "account.account",
        string="Coupon Clearing Account",
        help="Charged to the merchants that fund coupons, paid out to those that accept them.",
    )
    alliance_marketing_account_id = fields.Many2one(
        "account.account", string="Coupon Marketing Account", help="The operator's own coupons, when accepted."
    )
    alliance_gift_cost_account_id = fields.Many2one(
        "account.account", string="Gift Cost Account", help="What the operator credits sponsors for gifts."
    )

    @api.model
    def _alliance_default_accounts(self):
        return [
            *super()._alliance_default_accounts(),
            (
                "alliance_coupon_account_id",
                "224102",
                "Alliance coupon clearing",
                "其他应付款-联盟电子券清算",
                "liability_current",
            ),
            ("alliance_marketing_account_id", "560103", "Alliance coupon marketing", "销售费用-联盟电子券", "expense"),
            ("alliance_gift_cost_account_id", "560104", "Alliance gift cost", "销售费用-积分礼品", "expense"),
        ]
