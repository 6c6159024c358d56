from . import (
    alliance_report_flow,
    alliance_report_member,
    alliance_report_merchant,
    alliance_report_merchant_month,
    alliance_report_staff_commission,
    alliance_settlement_xlsx,
)
