from . import (
    alliance_cached_rule,
    alliance_card,
    alliance_card_auth,
    alliance_earn_band,
    alliance_earn_promotion,
    alliance_merchant,
    alliance_phone_code,
    alliance_points_engine,
    alliance_points_entry,
    alliance_points_hold,
    alliance_points_lot,
    alliance_points_service,
    alliance_points_service_expiry,
    alliance_points_trust,
    alliance_quota_entry,
    alliance_risk_alert,
    alliance_risk_scan,
    alliance_sms_campaign,
    alliance_sms_pack,
    alliance_sms_service,
    alliance_sms_template,
    alliance_tier,
    pos_order,
    res_config_settings,
    res_currency,
    res_partner,
    res_users,
    sms_sms,
)

# isort: split
# A view over sms_sms and the templates: created after their columns.
from . import alliance_sms_message
