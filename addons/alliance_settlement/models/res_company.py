from odoo import api, fields, models

# The accounts the operator's books need, created when the chart has none that
# fits: (field, code, English name, Chinese name, type).
DEFAULT_ACCOUNTS = [
    ("alliance_liability_account_id", "220401", "Alliance points liability", "合同负债-联盟积分", "liability_current"),
    ("alliance_margin_account_id", "505101", "Alliance redemption margin", "其他业务收入-积分兑换差价", "income"),
    ("alliance_breakage_account_id", "505102", "Alliance points breakage", "其他业务收入-积分过期", "income"),
    ("alliance_commission_account_id", "505103", "Alliance commissions", "其他业务收入-联盟佣金", "income"),
    ("alliance_sms_account_id", "505104", "Alliance SMS packs", "其他业务收入-短信服务", "income"),
    ("alliance_agent_account_id", "660103", "Alliance agent commissions", "销售费用-加盟商分成", "expense"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    alliance_liability_account_id = fields.Many2one(
        "account.account",
        string="Points Liability Account",
        help="合同负债: what the operator owes members in points it has been paid for.",
    )
    alliance_margin_account_id = fields.Many2one(
        "account.account",
        string="Redemption Margin Account",
        help="The operator's income when points are redeemed: their value less the reimbursement.",
    )
    alliance_breakage_account_id = fields.Many2one(
        "account.account", string="Breakage Account", help="The operator's income when points expire unspent."
    )
    alliance_commission_account_id = fields.Many2one("account.account", string="Commission Account")
    alliance_sms_account_id = fields.Many2one(
        "account.account", string="SMS Income Account", help="What merchants pay for the SMS packs they buy."
    )
    alliance_agent_account_id = fields.Many2one(
        "account.account",
        string="Agent Commissions Account",
        help="What the operator pays its regional agents (加盟商): a selling expense.",
    )
    alliance_sale_journal_id = fields.Many2one("account.journal", string="Settlement Invoices Journal")
    alliance_purchase_journal_id = fields.Many2one("account.journal", string="Settlement Bills Journal")
    alliance_misc_journal_id = fields.Many2one("account.journal", string="Settlement Entries Journal")

    @api.model
    def _alliance_default_accounts(self):
        """[(field, code, English name, Chinese name, type)]: what later addons add their accounts to."""
        return list(DEFAULT_ACCOUNTS)

    @api.model
    def _alliance_journal_types(self):
        return {
            "alliance_sale_journal_id": "sale",
            "alliance_purchase_journal_id": "purchase",
            "alliance_misc_journal_id": "general",
        }

    def _alliance_ensure_settlement_books(self):
        """Fill the settlement accounts and journals left empty: an existing account of
        the code, else a new one; the company's first journal of each type."""
        self.ensure_one()
        Account = self.env["account.account"].sudo().with_company(self)
        vals = {}
        for field, code, name, name_zh, account_type in self._alliance_default_accounts():
            if self[field]:
                continue
            account = Account.search([*Account._check_company_domain(self), ("code", "=", code)], limit=1)
            if not account:
                account = Account.with_context(lang="en_US").create(
                    {"code": code, "name": name, "account_type": account_type, "company_ids": [(6, 0, self.ids)]}
                )
                account.with_context(lang="zh_CN").name = name_zh
            vals[field] = account.id
        Journal = self.env["account.journal"].sudo()
        for field, journal_type in self._alliance_journal_types().items():
            if not self[field]:
                journal = Journal.search([*Journal._check_company_domain(self), ("type", "=", journal_type)], limit=1)
                vals[field] = journal.id
        if vals:
            self.sudo().write(vals)
        return self
