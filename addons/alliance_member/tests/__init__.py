from . import (
    test_access,
    test_card,
    test_lookup_rate,
    test_member,
    test_member_prices,
    test_readonly,
    test_tier,
    test_tours,
)
