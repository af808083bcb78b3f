"""Delivery charges on the invoice: QBO's shipping line when the company's Shipping
preference is on, else a line of the shipping item chosen in the setup."""

from odoo import Command
from odoo.tests import tagged

from .orders import QboPushCase

SHIPPING = "SHIPPING_ITEM_ID"


def item_lines(document):
    return [line for line in document["Line"] if line["DetailType"] == "SalesItemLineDetail"]


def item_ref(line):
    return line["SalesItemLineDetail"]["ItemRef"]["value"]


@tagged("post_install", "-at_install")
class TestPushShipping(QboPushCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qbo_user = cls.make_qbo_user("qbo_shipping_user")
        # the delivery product of a carrier has no internal reference (no SKU)
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Northwind Express",
                "delivery_type": "fixed",
                "fixed_price": 15.0,
                "product_id": cls.make_product("Express delivery", False, 15.0, type="service").id,
            }
        )
        cls.shipping_service = cls.make_product("Freight", "SHIP-FRT", 0.0, type="service")

    def set_shipping(self, on):
        """Turn QBO's Shipping preference on or off, as the company's admin would."""
        self.sandbox.set_preferences(self.realm_id, allow_shipping=on)
        self.addCleanup(self.sandbox.set_preferences, self.realm_id, allow_shipping=False)

    def run_setup(self, shipping_product=None):
        """The setup wizard's first two steps, as they read the preferences again."""
        wizard = self.env["qbo.setup.wizard"].create({"connection_id": self.connection.id})
        wizard.action_overview_continue()
        if shipping_product is not None:
            wizard.shipping_product_id = shipping_product
        wizard.action_ledger_continue()
        return wizard

    def sale_with_delivery(self, price=15.0):
        """A confirmed order of one lamp whose delivery the salesperson added with the
        order's *Add shipping* button."""
        order = self.make_sale([(self.product, 1, 40.0)], confirm=False)
        chooser = self.env["choose.delivery.carrier"].create(
            {"order_id": order.id, "carrier_id": self.carrier.id, "delivery_price": price}
        )
        chooser.button_confirm()
        order.action_confirm()
        return order

    def test_preference_on_sends_the_shipping_line(self):
        self.set_shipping(True)
        self.run_setup()
        self.assertTrue(self.connection.allow_shipping)
        order = self.push(self.sale_with_delivery().with_user(self.qbo_user))
        self.assertCreated(order)
        invoice = self.document(order)
        lamp, shipping = item_lines(invoice)
        self.assertEqual(item_ref(shipping), SHIPPING)
        self.assertEqual(shipping["Amount"], 15.0)
        self.assertEqual(shipping["SalesItemLineDetail"]["TaxCodeRef"]["value"], "NON")
        self.assertEqual(lamp["Amount"], 40.0)
        self.assertEqual(invoice["TotalAmt"], 55.0)
        self.assertEqual(order.qbo_total, 55.0)
        self.assertFalse(order.qbo_amount_warning)
        # the delivery product without SKU is no item in QuickBooks
        self.assertNotIn("Express delivery", [item["Name"] for item in self.qbo_docs("Item")])

    def test_preference_off_sends_a_line_of_the_chosen_item(self):
        wizard = self.run_setup(self.shipping_service)
        self.assertTrue(wizard.shipping_needed)
        self.assertEqual(self.connection.shipping_product_id, self.shipping_service)
        order = self.push(self.sale_with_delivery(12.5).with_user(self.qbo_user))
        self.assertCreated(order)
        invoice = self.document(order)
        _lamp, shipping = item_lines(invoice)
        [freight] = [item for item in self.qbo_docs("Item") if item["Sku"] == "SHIP-FRT"]
        self.assertEqual(freight["Type"], "Service")
        self.assertEqual(item_ref(shipping), freight["Id"])
        self.assertEqual(shipping["Amount"], 12.5)
        self.assertEqual(shipping["Description"], order.order_line[-1].name)
        self.assertEqual(invoice["TotalAmt"], 52.5)
        self.assertNotIn("Express delivery", [item["Name"] for item in self.qbo_docs("Item")])

    def test_preference_off_without_a_shipping_item_stops_before_any_call(self):
        self.run_setup()
        self.assertFalse(self.connection.shipping_product_id)
        self.sandbox.clear_requests()
        order = self.push(self.sale_with_delivery().with_user(self.qbo_user))
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("Express delivery", order.qbo_error)
        self.assertIn("choose a shipping item in the QuickBooks Online setup", order.qbo_error)
        self.assertNotIn("internal reference", order.qbo_error)
        self.assertFalse(self.api_requests())
        self.assertFalse(self.qbo_docs())

    def test_setup_asks_for_a_shipping_item_only_while_shipping_is_off(self):
        wizard = self.run_setup(self.shipping_service)
        self.assertTrue(wizard.shipping_needed)
        self.set_shipping(True)
        wizard = self.run_setup(self.shipping_service)
        self.assertFalse(wizard.shipping_needed)
        self.assertFalse(self.connection.shipping_product_id, "a choice the setup doesn't use")

    def test_update_sends_the_new_delivery_charge(self):
        self.set_shipping(True)
        self.run_setup()
        order = self.push(self.sale_with_delivery().with_user(self.qbo_user))
        self.assertCreated(order)
        order.order_line.filtered("is_delivery").price_unit = 20.0
        self.assertTrue(order.qbo_changed)
        order.with_user(self.qbo_user).action_qbo_update()
        order.invalidate_recordset()
        invoice = self.document(order)
        self.assertEqual([line["Amount"] for line in item_lines(invoice)], [40.0, 20.0])
        self.assertEqual(item_ref(item_lines(invoice)[1]), SHIPPING)
        self.assertEqual(invoice["TotalAmt"], 60.0)
        self.assertFalse(order.qbo_error)
        self.assertEqual(len(self.qbo_docs()), 1)

    def test_taxed_delivery_carries_its_tax_code(self):
        self.set_shipping(True)
        self.run_setup()
        self.connection._qbo_sync_tax_codes()
        alameda = self.env["qbo.tax.code"].search(
            [("connection_id", "=", self.connection.id), ("name", "=", "Alameda")]
        )
        tax = self.env["account.tax"].create(
            {"name": "QBO shipping 8.25%", "amount": 8.25, "qbo_tax_code_id": alameda.id}
        )
        order = self.sale_with_delivery()
        order.order_line.tax_ids = [Command.set(tax.ids)]
        order = self.push(order.with_user(self.qbo_user))
        self.assertCreated(order)
        invoice = self.document(order)
        _lamp, shipping = item_lines(invoice)
        self.assertEqual(shipping["SalesItemLineDetail"]["TaxCodeRef"]["value"], "TAX")
        self.assertEqual(invoice["TotalAmt"], order.amount_total)

    def test_shipping_turned_off_in_quickbooks_since_the_setup(self):
        self.set_shipping(True)
        self.run_setup()
        self.sandbox.set_preferences(self.realm_id, allow_shipping=False)
        order = self.push(self.sale_with_delivery().with_user(self.qbo_user))
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("QuickBooks refused the shipping charge: Shipping is off", order.qbo_error)
        self.assertFalse(self.qbo_docs())
        # the preferences were read again: the next push stops before sending anything
        self.assertFalse(self.connection.allow_shipping)
        self.sandbox.clear_requests()
        order = self.push(order)
        self.assertIn("choose a shipping item in the QuickBooks Online setup", order.qbo_error)
        self.assertFalse(self.api_requests("/invoice"))
