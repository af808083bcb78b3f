from datetime import datetime

from odoo import Command
from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .orders import QboPushCase


@tagged("post_install", "-at_install")
class TestPushInvoice(QboPushCase):
    """Sales order → QBO invoice, US company (TAX/NON line codes)."""

    def test_invoice_carries_the_order(self):
        # The preset charges rate groups: the tax is mapped to one, as the setup requires.
        self.connection._qbo_sync_tax_codes()
        alameda = self.env["qbo.tax.code"].search(
            [("connection_id", "=", self.connection.id), ("name", "=", "Alameda")]
        )
        tax = self.env["account.tax"].create(
            {"name": "QBO test 10%", "amount": 10.0, "qbo_tax_code_id": alameda.id}
        )
        order = self.make_sale(
            [
                {"display_type": "line_section", "name": "Lighting"},
                (self.product, 3, 40.0, {"discount": 10.0, "tax_ids": [Command.set(tax.ids)]}),
                {"display_type": "line_note", "name": "Fragile"},
                (self.service, 2, 25.0),
            ],
        )
        # Confirming stamps date_order; the salesperson's day in their time zone is used.
        order.date_order = datetime(2025, 3, 14, 2, 0)
        order.user_id.tz = "America/Los_Angeles"
        self.push(order)
        self.assertCreated(order)
        [invoice] = self.qbo_docs()
        self.assertEqual(invoice["Id"], order.qbo_txn_id)
        self.assertEqual(invoice["DocNumber"], order.name)
        self.assertEqual(order.qbo_doc_number, order.name)
        self.assertEqual(invoice["PrivateNote"], order.name)
        self.assertEqual(invoice["TxnDate"], "2025-03-13")
        self.assertEqual(invoice["BillAddr"]["Line1"], "12 Harbour Road")
        self.assertEqual(invoice["ShipAddr"]["City"], "Oakland")
        # Terms are not sent: QBO applies the company default to a new customer.
        self.assertEqual(invoice["SalesTermRef"]["value"], presets.NET_30)
        lines = [line for line in invoice["Line"] if line["DetailType"] != "SubTotalLineDetail"]
        self.assertEqual(
            [line["DetailType"] for line in lines],
            ["DescriptionOnly", "SalesItemLineDetail", "DescriptionOnly", "SalesItemLineDetail"],
        )
        self.assertEqual(
            [lines[0]["Description"], lines[2]["Description"]], ["Lighting", "Fragile"]
        )
        lamp, assembly = lines[1], lines[3]
        self.assertEqual(lamp["Amount"], 108.0)  # 3 × 40 less 10 %
        self.assertEqual(lamp["SalesItemLineDetail"]["Qty"], 3)
        self.assertEqual(lamp["SalesItemLineDetail"]["UnitPrice"], 36.0)
        self.assertEqual(lamp["SalesItemLineDetail"]["TaxCodeRef"]["value"], "TAX")
        self.assertEqual(assembly["SalesItemLineDetail"]["TaxCodeRef"]["value"], "NON")
        self.assertEqual(assembly["Amount"], 50.0)
        # Odoo's total has the 10 % tax; QBO's rate group charges 8.25 %: the order says so.
        self.assertEqual(order.qbo_total, 166.91)
        self.assertIn("166.91", order.qbo_amount_warning)
        self.assertEqual(order.qbo_balance, 166.91)
        self.assertEqual(order.qbo_payment_status, "not_paid")
        self.assertTrue(order.qbo_pushed_at)
        self.assertFalse(order.qbo_error)
        self.assertIn(f"txnId={order.qbo_txn_id}", order.qbo_url)
        message = order.message_ids[0]
        self.assertIn("Invoice created in QuickBooks Online", message.body)
        self.assertIn(order.qbo_url.replace("&", "&amp;"), message.body)

    def test_new_customer_and_items_are_created_and_linked(self):
        order = self.push(self.make_sale([(self.product, 1, 40.0), (self.service, 1, 25.0)]))
        self.assertCreated(order)
        customer = self.qbo_customer()
        self.assertEqual(customer["DisplayName"], "Northwind Traders")
        self.assertEqual(customer["PrimaryEmailAddr"]["Address"], "billing@northwind.example")
        links = self.env["qbo.link"]
        self.assertEqual(
            links._get_map(self.connection, self.customer, "Customer"),
            {self.customer.id: customer["Id"]},
        )
        item_ids = links._get_map(self.connection, self.product | self.service, "Item")
        lamp = self.realm_store.get("Item", item_ids[self.product.id])
        assembly = self.realm_store.get("Item", item_ids[self.service.id])
        self.assertEqual(
            (lamp["Type"], lamp["Sku"], lamp["Name"]), ("NonInventory", "LAMP-01", "Desk Lamp")
        )
        self.assertEqual(assembly["Type"], "Service")
        self.assertEqual(
            lamp["IncomeAccountRef"]["value"], self.connection.income_account_id.qbo_id
        )
        self.assertEqual(
            lamp["ExpenseAccountRef"]["value"], self.connection.purchase_account_id.qbo_id
        )

    def test_customer_matched_by_email_keeps_its_address(self):
        amy = self.realm_store.all("Customer")[0]
        self.assertEqual(amy["DisplayName"], "Amy's Bird Sanctuary")
        partner = self.env["res.partner"].create(
            {"name": "Amy L.", "email": "BIRDS@example.com", "street": "1 Elsewhere"}
        )
        order = self.push(self.make_sale(partner=partner))
        self.assertCreated(order)
        [invoice] = self.qbo_docs()
        self.assertEqual(invoice["CustomerRef"]["value"], amy["Id"])
        self.assertEqual(invoice["BillAddr"]["Line1"], "1 Elsewhere")
        self.assertEqual(self.realm_store.get("Customer", amy["Id"])["BillAddr"], amy["BillAddr"])
        self.assertEqual(self.qbo_docs("Customer"), [])

    def test_customer_matched_by_display_name(self):
        partner = self.env["res.partner"].create({"name": "Cool Cars"})
        order = self.push(self.make_sale(partner=partner))
        [invoice] = self.qbo_docs()
        self.assertEqual(invoice["CustomerRef"]["name"], "Cool Cars")
        self.assertCreated(order)

    def test_stored_link_is_used(self):
        cool_cars = next(
            c for c in self.realm_store.all("Customer") if c["DisplayName"] == "Cool Cars"
        )
        self.env["qbo.link"]._link(self.connection, self.customer, "Customer", cool_cars["Id"])
        self.push(self.make_sale())
        [invoice] = self.qbo_docs()
        self.assertEqual(invoice["CustomerRef"]["value"], cool_cars["Id"])

    def test_existing_item_is_matched_by_sku_and_not_overwritten(self):
        gadget = next(i for i in self.realm_store.all("Item") if i.get("Sku") == "GAD-001")
        product = self.make_product("Gadget deluxe (Odoo name)", "GAD-001", 99.0)
        order = self.push(self.make_sale([(product, 1, 99.0)]))
        self.assertCreated(order)
        [invoice] = self.qbo_docs()
        self.assertEqual(
            invoice["Line"][0]["SalesItemLineDetail"]["ItemRef"]["value"], gadget["Id"]
        )
        after = self.realm_store.get("Item", gadget["Id"])
        self.assertEqual(
            (after["Name"], after["SyncToken"], after["UnitPrice"]),
            ("Gadget", gadget["SyncToken"], 40),
        )

    def test_item_name_taken_by_another_sku_gets_the_sku(self):
        product = self.make_product("Widget", "WID-ODOO", 30.0)
        order = self.push(self.make_sale([(product, 1, 30.0)]))
        self.assertCreated(order)
        item_id = self.env["qbo.link"]._get_map(self.connection, product, "Item")[product.id]
        self.assertEqual(self.realm_store.get("Item", item_id)["Name"], "Widget (WID-ODOO)")

    def test_name_of_a_vendor_gets_a_customer_suffix(self):
        """6240: "Blue Sky Logistics" is a QBO vendor; the customer is created beside it."""
        partner = self.env["res.partner"].create({"name": "Blue Sky Logistics", "is_company": True})
        order = self.push(self.make_sale(partner=partner))
        self.assertCreated(order)
        customer = self.qbo_customer()
        self.assertEqual(customer["DisplayName"], "Blue Sky Logistics (customer)")
        self.assertEqual(
            self.env["qbo.link"]._get_map(self.connection, partner, "Customer"),
            {partner.id: customer["Id"]},
        )
        # the next order of that partner goes to the same customer
        self.push(self.make_sale(partner=partner))
        self.assertEqual({i["CustomerRef"]["value"] for i in self.qbo_docs()}, {customer["Id"]})

    def test_custom_numbers_off_lets_qbo_number_the_invoice(self):
        self.sandbox.set_preferences(self.realm_id, custom_txn_numbers=False)
        self.addCleanup(self.sandbox.set_preferences, self.realm_id, custom_txn_numbers=True)
        self.connection.custom_txn_numbers = False
        order = self.push(self.make_sale())
        self.assertCreated(order)
        [invoice] = self.qbo_docs()
        self.assertNotEqual(invoice["DocNumber"], order.name)
        self.assertEqual(order.qbo_doc_number, invoice["DocNumber"])
        self.assertEqual(invoice["PrivateNote"], order.name)

    def test_mapped_us_tax_group_gives_the_same_total(self):
        alameda = self.env["qbo.tax.code"].create(
            {
                "connection_id": self.connection.id,
                "qbo_id": "2",
                "name": "Alameda",
                "for_sales": True,
            }
        )
        tax = self.env["account.tax"].create(
            {"name": "Alameda 8.25%", "amount": 8.25, "qbo_tax_code_id": alameda.id}
        )
        order = self.push(
            self.make_sale([(self.product, 4, 25.0, {"tax_ids": [Command.set(tax.ids)]})])
        )
        self.assertCreated(order)
        [invoice] = self.qbo_docs()
        self.assertEqual(invoice["TxnTaxDetail"]["TxnTaxCodeRef"]["value"], "2")
        self.assertEqual(invoice["TotalAmt"], 108.25)
        self.assertEqual(order.amount_total, 108.25)
        self.assertFalse(order.qbo_amount_warning)

    def test_pushed_order_is_not_pushed_again(self):
        order = self.push(self.make_sale())
        self.sandbox.clear_requests()
        self.push(order)
        self.assertEqual(self.api_requests(), [])
        self.assertEqual(len(self.qbo_docs()), 1)

    def test_status_of_the_form_button_comes_from_the_push(self):
        order = self.make_sale()
        self.assertEqual(order.qbo_status, "not_pushed")
        result = order.action_qbo_push()
        self.assertTrue(result)
        self.assertEqual(order.qbo_status, "created")
        action = order.action_qbo_open()
        self.assertEqual(action["url"], order.qbo_url)
