from . import alliance_report_flow, alliance_settlement_xlsx
