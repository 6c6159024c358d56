{
    "name": "Merchant Alliance: Gifts and E-coupons",
    "summary": "Gift catalogue redeemed with alliance points, on Odoo stock",
    "version": "19.0.1.1.0",
    "category": "Inventory/Inventory",
    "author": "Merchant Alliance developers",
    "website": "https://github.com/merchant-alliance/odoo-alliance",
    "license": "LGPL-3",
    "depends": ["alliance_points", "stock"],
    "data": [
        "security/ir.model.access.csv",
        "security/alliance_gift_security.xml",
        "data/alliance_gift_data.xml",
        "views/product_template_views.xml",
        "views/alliance_gift_order_views.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/alliance_gift_demo.xml"],
    "assets": {
        "point_of_sale._assets_pos": ["alliance_gift/static/src/pos/**/*"],
        "web.assets_tests": ["alliance_gift/static/tests/tours/*.js"],
    },
}
