"""The bad-input catalogue (readme/BAD_INPUTS.md): each bad input, the exact message the
user reads on the order, nothing half-written in QBO, and nothing lost."""

from odoo import fields
from odoo.tests import tagged
from odoo.tools import format_date

from .orders import QboPushCase


@tagged("post_install", "-at_install")
class TestBadInputs(QboPushCase):
    def assertMessage(self, order, message, sent=False):
        """The push stops on ``order`` with ``message``; no document is left in QBO."""
        self.push(order)
        self.assertEqual(order.qbo_status, "error")
        self.assertIn(message, order.qbo_error)
        self.assertNotIn("Traceback", order.qbo_error)
        self.assertEqual(self.qbo_docs(), [])
        self.assertEqual(self.qbo_docs("Bill"), [])
        if not sent:
            self.assertEqual(self.api_requests(), [], "stopped before any request")

    # ------------------------------------------------------------------ 1-6: the order
    def test_01_sale_order_without_lines(self):
        self.assertMessage(self.make_sale([]), "The order has no product line to send.")

    def test_02_note_lines_only(self):
        order = self.make_sale([{"display_type": "line_note", "name": "Only a note"}])
        self.assertMessage(order, "The order has no product line to send.")

    def test_03_draft_order(self):
        self.assertMessage(
            self.make_sale(confirm=False), "Only confirmed orders can be sent to QuickBooks Online."
        )

    def test_04_negative_quantities(self):
        order = self.make_sale([(self.product, -2, 40.0)])
        self.assertMessage(order, "QuickBooks Online can't take a document with a negative total.")

    def test_05_order_number_over_21_characters(self):
        order = self.make_sale()
        order.name = "SO/2026/LONG-NUMBER-0001"
        self.assertMessage(
            order,
            "The order number SO/2026/LONG-NUMBER-0001 is longer than the 21 characters "
            "QuickBooks allows for document numbers.",
        )

    def test_06_foreign_currency_without_multi_currency(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": eur.id})
        order = self.make_sale(pricelist_id=pricelist.id)
        self.assertMessage(
            order,
            "The order is in EUR but the QuickBooks company works in USD only "
            "(multi-currency is off in QuickBooks).",
        )

    # ------------------------------------------------------------------ 7-10: products
    def test_07_product_without_sku(self):
        product = self.make_product("Mystery box", False, 10.0)
        self.assertMessage(
            self.make_sale([(product, 1, 10.0)]),
            "Give these products an internal reference (it is their SKU in QuickBooks): "
            "Mystery box",
        )

    def test_08_sku_longer_than_qbo_allows(self):
        product = self.make_product("Long code", "X" * 101, 10.0)
        self.assertMessage(
            self.make_sale([(product, 1, 10.0)]),
            "These internal references are longer than QuickBooks' 100 characters",
        )

    def test_09_archived_product(self):
        order = self.make_sale()
        self.product.active = False
        self.assertMessage(order, "These products are archived: [LAMP-01] Desk Lamp.")

    def test_10_two_products_one_sku(self):
        twin = self.make_product("Desk Lamp twin", "lamp-01", 40.0)
        order = self.make_sale([(self.product, 1, 40.0), (twin, 1, 40.0)])
        self.assertMessage(order, "Several products share the internal reference")

    # ------------------------------------------------------------------ 11-15: connection
    def test_11_connection_needs_reconnect(self):
        self.connection.state = "reconnect"
        self.assertMessage(
            self.make_sale(),
            "The connection to QuickBooks has expired or was revoked. A QuickBooks "
            "administrator must reconnect",
        )

    def test_12_connection_not_connected(self):
        self.connection.state = "not_connected"
        self.assertMessage(self.make_sale(), "QuickBooks Online is not connected for this company.")

    def test_13_setup_not_finished(self):
        self.connection.setup_done = False
        self.assertMessage(
            self.make_sale(), "The QuickBooks Online setup is not finished; nothing was sent."
        )

    def test_14_sales_sync_turned_off(self):
        self.connection.sync_sales = False
        self.assertMessage(
            self.make_sale(),
            "Sending sales orders to QuickBooks Online is turned off in the setup.",
        )

    def test_15_payable_account_not_mapped(self):
        self.connection.payable_account_id = False
        self.assertMessage(
            self.make_purchase(), "Choose these accounts in the QuickBooks Online setup first:"
        )

    def test_16_mapped_account_inactive_in_qbo(self):
        """An account of the mapping made inactive ("deleted") in QBO after the setup."""
        self.push(self.make_purchase())  # vendor and product linked: the bill is what fails
        for entity in ("Bill", "Item"):
            self.known[entity] |= {obj["Id"] for obj in self.qbo_docs(entity)}
        self.deactivate(self.connection.payable_account_id)
        self.assertMessage(
            self.make_purchase(),
            "These accounts of the QuickBooks Online setup are inactive or deleted in "
            "QuickBooks: Accounts Payable (A/P) (Accounts payable). Make them active again "
            "in QuickBooks, or map other accounts in the QuickBooks Online setup, then push "
            "again.",
            sent=True,
        )
        # a new product's item refers to the income account: named the same way
        self.deactivate(self.connection.income_account_id)
        order = self.make_sale([(self.make_product("New gadget", "NEW-GADGET", 5.0), 1, 5.0)])
        self.assertMessage(
            order,
            f"QuickBooks: {self.connection.income_account_id.name} (Income account), "
            "Accounts Payable (A/P) (Accounts payable).",
            sent=True,
        )
        self.assertEqual(self.qbo_docs("Item"), [])

    # ------------------------------------------------------------------ 17-18: QBO refuses
    def test_17_qbo_down_after_retries(self):
        self.warm_up()
        self.sandbox.inject("503", count=20)
        self.addCleanup(self.sandbox.injector.clear)
        order = self.make_sale()
        self.assertMessage(order, "QuickBooks Online did not answer", sent=True)
        self.assertIn("no second invoice is created", order.qbo_error)

    def test_18_qbo_busy(self):
        self.warm_up()
        self.sandbox.inject("429", count=20, retry_after=3600)
        self.addCleanup(self.sandbox.injector.clear)
        self.assertMessage(
            self.make_sale(),
            "QuickBooks Online is busy (too many requests). Push again in a minute.",
            sent=True,
        )

    # ------------------------------------------------------------------ 19-22: accepted
    def test_19_customer_name_clashes_with_a_qbo_vendor(self):
        partner = self.env["res.partner"].create({"name": "Blue Sky Logistics", "is_company": True})
        order = self.push(self.make_sale(partner=partner))
        self.assertCreated(order)
        customer = self.qbo_customer()
        self.assertEqual(customer["DisplayName"], "Blue Sky Logistics (customer)")

    def test_20_non_ascii_and_quotes_in_names(self):
        partner = self.env["res.partner"].create(
            {"name": 'Café O\'Brien "Ünïcødé" & Søn', "is_company": True}
        )
        product = self.make_product("Crème brûlée 'deluxe'", "CRÈME-'1'", 9.5)
        order = self.push(self.make_sale([(product, 1, 9.5)], partner=partner))
        self.assertCreated(order)
        customer = self.qbo_customer()
        self.assertEqual(customer["DisplayName"], 'Café O\'Brien "Ünïcødé" & Søn')
        # pushed again with the same partner and product: matched, not duplicated
        self.assertCreated(self.push(self.make_sale([(product, 1, 9.5)], partner=partner)))
        self.assertEqual(len(self.qbo_docs("Customer")), 1)
        self.assertEqual(len(self.qbo_docs("Item")), 1)

    def test_21_order_of_more_than_100_lines(self):
        self.warm_up()
        order = self.push(self.make_sale([(self.product, 1, 1.0 + n) for n in range(120)]))
        self.assertCreated(order)
        [invoice] = self.qbo_docs()
        self.assertEqual(
            len(
                [line for line in invoice["Line"] if line.get("DetailType") != "SubTotalLineDetail"]
            ),
            120,
        )
        self.assertEqual(invoice["TotalAmt"], order.amount_total)

    def test_22_error_fixed_then_pushed_again(self):
        product = self.make_product("Later coded", False, 5.0)
        order = self.make_sale([(product, 1, 5.0)])
        self.assertMessage(order, "Give these products an internal reference")
        product.default_code = "LATER-1"
        self.assertCreated(self.push(order))
        self.assertFalse(order.qbo_error)

    # ------------------------------------------------------------------ 23: closed books
    def test_23_qbo_books_closed_for_the_order_date(self):
        self.warm_up()
        closed = fields.Date.context_today(self.env.user)
        self.sandbox.set_preferences(self.realm_id, book_close_date=closed.isoformat())
        self.addCleanup(self.sandbox.set_preferences, self.realm_id, book_close_date="")
        order = self.make_sale()
        self.assertMessage(
            order,
            f"The QuickBooks books are closed up to {format_date(self.env, closed)} and this "
            f"invoice is dated {format_date(self.env, order.date_order)}. Move the closing "
            "date back in QuickBooks",
            sent=True,
        )

    # ------------------------------------------------------------------ helpers
    def deactivate(self, account):
        """Make a mapped account inactive in QBO, as a user deleting it would."""
        self.sandbox.delete_entity(self.realm_id, "Account", account.qbo_id)
        self.addCleanup(self.reactivate, account.qbo_id)

    def reactivate(self, qbo_id):
        client = self.connection._qbo_client()
        current = client.read("Account", qbo_id)
        name = current["Name"].removesuffix(" (deleted)")
        client.update(
            "Account",
            {"Id": qbo_id, "SyncToken": current["SyncToken"], "Active": True, "Name": name},
            f"reactivate-{qbo_id}-{current['SyncToken']}",
        )

    def warm_up(self):
        """Link the customer and the product, so that one request remains per push."""
        self.push(self.make_sale())
        self.known["Invoice"] |= {doc["Id"] for doc in self.qbo_docs()}
        self.sandbox.clear_requests()
