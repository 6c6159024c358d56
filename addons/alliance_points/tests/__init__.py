from . import (
    test_access_points,
    test_bad_input,
    test_engine,
    test_expiry_tools,
    test_face_value,
    test_ledger,
    test_risk,
    test_rpc_access,
    test_settings,
    test_tours,
    test_trust,
    test_trust_portal,
)
