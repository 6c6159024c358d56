from . import (
    test_access_settlement,
    test_agent,
    test_accounting,
    test_amount_words,
    test_documents,
    test_point_packs,
    test_report_flow,
    test_report_merchant,
    test_sms_statement,
    test_staff_commission,
    test_statement,
    test_trust,
)
