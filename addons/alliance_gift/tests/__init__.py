from . import test_coupon, test_coupon_settlement, test_gift_order, test_gift_portal, test_gift_pos, test_gift_product
