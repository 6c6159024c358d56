from . import test_engine, test_expiry_tools, test_face_value, test_ledger, test_tours
from . import test_trust
from . import test_risk, test_trust_portal
