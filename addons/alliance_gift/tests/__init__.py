from . import test_gift_product
