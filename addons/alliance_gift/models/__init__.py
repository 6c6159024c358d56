from . import (
    alliance_card_auth,
    alliance_gift_demo,
    alliance_gift_order,
    alliance_gift_order_line,
    alliance_points_entry,
    alliance_points_service,
    product_template,
)
