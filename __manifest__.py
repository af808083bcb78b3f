{
    "name": "QuickBooks Online Connector",
    "summary": "Push sales orders as QuickBooks Online invoices and purchase orders as bills",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "quickbooks_online contributors",
    "depends": [
        "sale_management",
        "purchase",
        "sale_stock",
        "purchase_stock",
        "stock_account",
    ],
    "external_dependencies": {"python": ["requests", "requests_oauthlib"]},
    "data": [
        "security/qbo_groups.xml",
        "security/ir.model.access.csv",
        "security/qbo_rules.xml",
        "views/qbo_connection_views.xml",
        "views/qbo_oauth_templates.xml",
        "wizards/qbo_setup_wizard_views.xml",
        "data/qbo_import_cron.xml",
        "views/sale_order_views.xml",
        "views/purchase_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/qbo_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "quickbooks_online/static/tests/tours/*.js",
        ],
    },
}
