"""In the browser: set up one side only (sales orders, or purchase orders), then push an
order of that side from its form (US company, real OAuth round trip through the sandbox)."""

from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboOAuthCase


@tagged("post_install", "-at_install")
class TestConfigTour(QboOAuthCase):
    def setup_tour(self, tour):
        # One side of the ledger is what these tours are about: a US company on automated
        # sales tax has no tax step (tests/test_us_rate_groups.py covers rate groups).
        self.sandbox.set_preferences(presets.US_REALM, automated_sales_tax=True)
        self.addCleanup(self.sandbox.set_preferences, presets.US_REALM, automated_sales_tax=False)
        path = self.consent(self.admin, presets.US_REALM)
        self.authenticate("admin", "admin")
        response = self.callback(path)
        self.assertEqual(response.status_code, 303)
        wizard_path = response.headers["Location"].split("://", 1)[-1]
        self.start_tour(wizard_path[wizard_path.index("/odoo/") :], tour, login="admin")
        connection = self.connection.sudo()
        connection.invalidate_recordset()
        self.assertTrue(connection.setup_done)
        return connection

    def push_tour(self, order, action, tour, entity):
        self.start_tour(f"/odoo/action-{action}/{order.id}", tour, login="admin")
        order.invalidate_recordset()
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        doc = self.sandbox.store(presets.US_REALM).get(entity, order.qbo_txn_id)
        self.assertEqual(doc["DocNumber"], order.qbo_doc_number)

    def make_order(self, model, partner_name, qty_field):
        product = self.env["product.product"].create(
            {"name": f"Tour {model}", "default_code": f"TOUR-{model}", "list_price": 12.0}
        )
        return self.env[model].create(
            {
                "partner_id": self.env["res.partner"].create({"name": partner_name}).id,
                "order_line": [(0, 0, {"product_id": product.id, qty_field: 2})],
            }
        )

    def test_sales_orders_only(self):
        connection = self.setup_tour("qbo_setup_sales_only")
        self.assertEqual((connection.sync_sales, connection.sync_purchases), (True, False))
        self.assertEqual(connection.income_account_id.name, "Sales of Product Income")
        self.assertFalse(connection.payable_account_id)
        order = self.make_order("sale.order", "Tour Sales Customer", "product_uom_qty")
        order.action_confirm()
        self.push_tour(order, "sale.action_orders", "qbo_push_invoice", "Invoice")

    def test_purchase_orders_only(self):
        connection = self.setup_tour("qbo_setup_purchases_only")
        self.assertEqual((connection.sync_sales, connection.sync_purchases), (False, True))
        self.assertEqual(connection.payable_account_id.name, "Accounts Payable (A/P)")
        self.assertFalse(connection.income_account_id)
        order = self.make_order("purchase.order", "Tour Vendor", "product_qty")
        order.button_confirm()
        self.push_tour(order, "purchase.purchase_form_action", "qbo_push_bill", "Bill")
