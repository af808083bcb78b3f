from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .orders import QboPushCase


@tagged("post_install", "-at_install")
class TestPushPreflight(QboPushCase):
    """Every reason to stop before any API call, in the user's words, on the order."""

    def assertStopped(self, order, *fragments):
        self.push(order)
        self.assertEqual(order.qbo_status, "error")
        for fragment in fragments:
            self.assertIn(fragment, order.qbo_error)
        self.assertEqual(self.api_requests(), [], "nothing may be sent")
        self.assertEqual(self.qbo_docs(), [])

    def test_connection_not_connected(self):
        self.connection.state = "not_connected"
        self.assertStopped(self.make_sale(), "not connected")

    def test_connection_needs_reconnect(self):
        self.connection.state = "reconnect"
        self.assertStopped(self.make_sale(), "must reconnect")

    def test_setup_not_done(self):
        self.connection.setup_done = False
        self.assertStopped(self.make_sale(), "setup is not finished")

    def test_sync_turned_off_per_side(self):
        self.connection.sync_sales = False
        self.assertStopped(self.make_sale(), "sales orders", "turned off")
        self.connection.sync_purchases = False
        self.assertStopped(self.make_purchase(), "purchase orders", "turned off")

    def test_order_not_confirmed(self):
        self.assertStopped(self.make_sale(confirm=False), "Only confirmed orders")
        self.assertStopped(self.make_purchase(confirm=False), "Only confirmed orders")

    def test_order_without_product_lines(self):
        order = self.make_sale([{"display_type": "line_note", "name": "Just a note"}])
        self.assertStopped(order, "no product line")

    def test_product_without_sku(self):
        product = self.make_product("Mystery box", False, 10.0)
        self.assertStopped(
            self.make_sale([(product, 1, 10.0)]), "internal reference", "Mystery box"
        )

    def test_archived_product(self):
        order = self.make_sale()
        self.product.active = False
        self.assertStopped(order, "archived", "Desk Lamp")

    def test_two_products_with_one_sku(self):
        twin = self.make_product("Desk Lamp twin", "lamp-01", 40.0)
        order = self.make_sale([(self.product, 1, 40.0), (twin, 1, 40.0)])
        self.assertStopped(order, "share the internal reference")

    def test_order_number_too_long_for_custom_numbers(self):
        order = self.make_sale()
        order.name = "SO/2025/ABCDEFGHIJKLMNOPQ"
        self.assertStopped(order, "longer than the 21 characters")

    def test_long_number_is_fine_when_qbo_numbers_documents(self):
        self.connection.custom_txn_numbers = False
        self.sandbox.set_preferences(self.realm_id, custom_txn_numbers=False)
        self.addCleanup(self.sandbox.set_preferences, self.realm_id, custom_txn_numbers=True)
        order = self.make_sale()
        order.name = "SO/2025/ABCDEFGHIJKLMNOPQ"
        self.push(order)
        self.assertCreated(order)

    def test_foreign_currency_without_multi_currency(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": eur.id})
        order = self.make_sale(pricelist_id=pricelist.id)
        self.assertEqual(order.currency_id, eur)
        self.assertStopped(order, "EUR", "multi-currency is off")

    def test_all_problems_are_told_at_once(self):
        product = self.make_product("No code", False, 5.0)
        order = self.make_sale([(product, 1, 5.0)], confirm=False)
        self.assertStopped(order, "Only confirmed orders", "internal reference")

    def test_error_can_be_fixed_and_pushed_again(self):
        product = self.make_product("Later coded", False, 5.0)
        order = self.make_sale([(product, 1, 5.0)])
        self.assertStopped(order, "internal reference")
        product.default_code = "LATER-1"
        self.push(order)
        self.assertCreated(order)
        self.assertFalse(order.qbo_error)

    def test_only_quickbooks_users_push(self):
        salesman = self.env["res.users"].create(
            {
                "name": "Plain salesman",
                "login": "plain_salesman_qbo",
                "group_ids": [
                    Command.set([self.env.ref("sales_team.group_sale_salesman_all_leads").id])
                ],
            }
        )
        order = self.make_sale()
        with self.assertRaises(AccessError):
            order.with_user(salesman).action_qbo_push()
        with self.assertRaises(AccessError):
            order.with_user(salesman).action_qbo_push_queue()
        self.assertEqual(order.qbo_status, "not_pushed")
        self.assertEqual(self.api_requests(), [])
