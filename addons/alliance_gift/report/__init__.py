from . import alliance_settlement_xlsx
