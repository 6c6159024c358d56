from . import (
    account_move,
    alliance_merchant,
    alliance_point_pack,
    alliance_points_entry,
    alliance_quota_entry,
    alliance_settlement_clearing,
    alliance_settlement_line,
    alliance_settlement_period,
    alliance_settlement_statement,
    res_company,
    res_config_settings,
    res_currency,
)
