{
    "name": "Merchant Alliance: Gifts and E-coupons",
    "summary": "Gift catalogue redeemed with alliance points, on Odoo stock",
    "version": "19.0.1.0.0",
    "category": "Inventory/Inventory",
    "author": "Merchant Alliance developers",
    "website": "https://github.com/merchant-alliance/odoo-alliance",
    "license": "LGPL-3",
    "depends": ["alliance_points", "stock"],
    "data": ["views/product_template_views.xml"],
}
