{
    "name": "Merchant Alliance: Points",
    "summary": "One points ledger across the merchants of the alliance",
    "version": "19.0.1.0.0",
    "category": "Sales/Point of Sale",
    "author": "Merchant Alliance developers",
    "website": "https://github.com/merchant-alliance/odoo-alliance",
    "license": "LGPL-3",
    "depends": ["alliance_member"],
}
