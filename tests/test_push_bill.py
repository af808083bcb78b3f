from datetime import datetime

from odoo import Command
from odoo.tests import tagged

from .orders import QboPushCase


@tagged("post_install", "-at_install")
class TestPushBill(QboPushCase):
    """Purchase order → QBO bill, US company."""

    def test_bill_carries_the_order(self):
        tax = self.env["account.tax"].create(
            {"name": "Purchase 5%", "amount": 5.0, "type_tax_use": "purchase"}
        )
        self.vendor.write({"street": "9 Dock St", "city": "Reno", "zip": "89501"})
        order = self.make_purchase(
            [
                {"display_type": "line_section", "name": "Stock", "product_qty": 0},
                (self.product, 3, 20.0, {"tax_ids": [Command.set(tax.ids)]}),
                (self.service, 1, 50.0),
            ]
        )
        order.date_order = datetime(2025, 6, 2, 12, 0)
        self.push(order)
        self.assertCreated(order)
        self.assertEqual(order.qbo_status, "created")
        self.assertEqual(dict(order._fields["qbo_status"].selection)["created"], "Bill created")
        [bill] = self.qbo_docs("Bill")
        self.assertEqual(bill["Id"], order.qbo_txn_id)
        self.assertEqual(bill["PrivateNote"], order.name)
        self.assertEqual(bill["DocNumber"], order.name)
        self.assertEqual(bill["TxnDate"], "2025-06-02")
        self.assertEqual(bill["APAccountRef"]["value"], self.connection.payable_account_id.qbo_id)
        self.assertNotIn("VendorAddr", bill)  # a Bill has no address: the vendor has it
        vendor = self.realm_store.get("Vendor", bill["VendorRef"]["value"])
        self.assertEqual(vendor["DisplayName"], "Fabrikam Supplies")
        lines = bill["Line"]
        self.assertEqual([line["DetailType"] for line in lines], ["ItemBasedExpenseLineDetail"] * 2)
        detail = lines[0]["ItemBasedExpenseLineDetail"]
        self.assertEqual((detail["Qty"], lines[0]["Amount"]), (3, 63.0))  # US: the tax is a cost
        self.assertEqual(bill["TotalAmt"], order.amount_total)
        self.assertFalse(order.qbo_amount_warning)
        self.assertIn("Bill created in QuickBooks Online", order.message_ids[0].body)
        self.assertIn("/app/bill?txnId=", order.qbo_url)

    def test_vendor_matched_by_email_from_the_cached_list(self):
        bob = next(
            v for v in self.realm_store.all("Vendor") if v["DisplayName"] == "Bob's Burger Joint"
        )
        partner = self.env["res.partner"].create({"name": "Robert B.", "email": "bob@example.com"})
        order = self.push(self.make_purchase(partner=partner))
        self.assertCreated(order)
        [bill] = self.qbo_docs("Bill")
        self.assertEqual(bill["VendorRef"]["value"], bob["Id"])
        self.assertEqual(self.qbo_docs("Vendor"), [])
        cache = self.env["qbo.vendor"].search([("connection_id", "=", self.connection.id)])
        self.assertIn("bob@example.com", cache.mapped("email"))
        # Vendors can't be queried by email: the list came in the lookup batch.
        [lookup] = [r for r in self.api_requests() if r.path.endswith("/batch")][:1]
        self.assertFalse(lookup.request_id)
        # Another new vendor whose email is in the cache costs no lookup: the bill only.
        books = self.env["res.partner"].create(
            {"name": "B. Williams", "email": "books@example.com"}
        )
        self.sandbox.clear_requests()
        self.push(self.make_purchase(partner=books))
        self.assertEqual([r.entity for r in self.api_requests()], ["Bill"])
        self.assertEqual(self.qbo_docs("Bill")[-1]["VendorRef"]["name"], "Books by Bessie")

    def test_name_of_a_customer_gets_a_vendor_suffix(self):
        partner = self.env["res.partner"].create({"name": "Acme Supplies", "is_company": True})
        order = self.push(self.make_purchase(partner=partner))
        self.assertCreated(order)
        [bill] = self.qbo_docs("Bill")
        self.assertEqual(bill["VendorRef"]["name"], "Acme Supplies (vendor)")

    def test_storable_goods_are_expensed_to_inventory_in_inventory_mode(self):
        self.connection.accounting_mode = "inventory"
        storable = self.make_product("Pallet", "PAL-1", 80.0, is_storable=True)
        order = self.push(self.make_purchase([(storable, 1, 80.0), (self.service, 1, 10.0)]))
        self.assertCreated(order)
        ids = self.env["qbo.link"]._get_map(self.connection, storable | self.service, "Item")
        pallet = self.realm_store.get("Item", ids[storable.id])
        service = self.realm_store.get("Item", ids[self.service.id])
        self.assertEqual(pallet["Type"], "NonInventory")
        self.assertEqual(
            pallet["ExpenseAccountRef"]["value"], self.connection.inventory_account_id.qbo_id
        )
        self.assertEqual(
            service["ExpenseAccountRef"]["value"], self.connection.purchase_account_id.qbo_id
        )

    def test_bill_button_on_a_confirmed_order_only(self):
        draft = self.make_purchase(confirm=False)
        draft.action_qbo_push()
        self.assertEqual(draft.qbo_status, "error")
        draft.button_confirm()
        draft.action_qbo_push()
        self.assertEqual(draft.qbo_status, "created")
        self.assertEqual(len(self.qbo_docs("Bill")), 1)
