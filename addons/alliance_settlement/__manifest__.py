{
    "name": "Merchant Alliance: Settlement",
    "summary": "Clearing between the operator and its merchants, in Odoo accounting",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Merchant Alliance developers",
    "website": "https://github.com/merchant-alliance/odoo-alliance",
    "license": "LGPL-3",
    "depends": ["alliance_points", "account"],
    "external_dependencies": {"python": ["cn2an", "num2words", "xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "security/alliance_settlement_security.xml",
        "views/alliance_settlement_views.xml",
        "views/res_config_settings_views.xml",
        "report/alliance_settlement_report.xml",
    ],
}
