from odoo import api, models


class AllianceSettlementXlsx(models.AbstractModel):
    _inherit = "alliance.settlement.xlsx"

    @api.model
    def _get_columns(self):
        columns = list(super()._get_columns())
        at = columns.index("amount_net")
        columns[at:at] = ["amount_coupon_reimbursed", "amount_coupon_charged", "amount_gift_credit"]
        return tuple(columns)
