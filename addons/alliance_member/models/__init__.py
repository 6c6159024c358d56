from . import (
    alliance_agent,
    alliance_card,
    alliance_card_range,
    alliance_card_type,
    alliance_merchant,
    alliance_tier,
    alliance_tier_history,
    alliance_trade,
    pos_order,
    res_company,
    res_config_settings,
    res_partner,
)
