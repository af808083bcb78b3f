from odoo.tests import tagged

from odoo.addons.quickbooks_online.services import cogs

from .inventory import REALM, CogsCase


@tagged("post_install", "-at_install")
class TestCogsEntries(CogsCase):
    """COGS journal entries of *Accounting with inventory*, at the cost Odoo valued."""

    # ------------------------------------------------------------------ when
    def test_delivered_then_invoiced_posts_right_after_the_invoice(self):
        order = self.make_sale([(self.goods, 3)])
        self.deliver(order)
        self.invoice(order)
        self.assert_entry(order, 37.5)
        self.assertEqual(self.connection.cogs_account_id.account_type, "Cost of Goods Sold")
        self.assertEqual(self.connection.inventory_account_id.account_sub_type, "Inventory")

    def test_invoiced_then_delivered_posts_from_the_cron(self):
        order = self.make_sale([(self.goods, 2)])
        self.assertCreated(self.push(order))
        self.assertEqual(order.qbo_cogs_status, "pending")
        self.sandbox.clear_requests()
        self.deliver(order)
        # Not inside the stock operation: the cron was woken up for it.
        self.assertEqual(order.qbo_cogs_status, "pending")
        self.assertFalse(self.entries())
        self.assertEqual(self.sandbox.requests, [], "no request inside the delivery")
        cron = self.env.ref("quickbooks_online.ir_cron_qbo_cogs")
        self.assertTrue(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]))
        self.run_cron("ir_cron_qbo_cogs")
        self.assert_entry(order, 25.0)

    def test_partial_deliveries_post_nothing_until_the_last_one(self):
        order = self.make_sale([(self.goods, 5)])
        self.assertCreated(self.push(order))
        self.deliver(order, qty=2)
        self.run_cron("ir_cron_qbo_cogs")
        self.assertEqual(order.qbo_cogs_status, "pending")
        self.assertFalse(self.entries())
        self.deliver(order)
        self.run_cron("ir_cron_qbo_cogs")
        self.assert_entry(order, 62.5)

    def test_returned_goods_are_deducted(self):
        order = self.make_sale([(self.goods, 5)])
        self.assertCreated(self.push(order))
        first = self.deliver(order, qty=3)
        self.return_goods(first, 1)
        self.run_cron("ir_cron_qbo_cogs")
        self.assertFalse(self.entries(), "the order is not fully delivered yet")
        self.deliver(order)
        self.run_cron("ir_cron_qbo_cogs")
        self.assert_entry(order, 50.0)  # 3 + 2 delivered, 1 returned, at 12.50

    def test_cost_follows_the_valuation_not_the_price(self):
        fifo = self.env["product.category"].create(
            {
                "name": "QBO COGS FIFO",
                "property_cost_method": "fifo",
                "property_valuation": "real_time",
            }
        )
        product = self.make_product(
            "QBO FIFO Gadget", "COGS-FIFO", 40.0, is_storable=True, categ_id=fifo.id
        )
        supplier = self.env.ref("stock.stock_location_suppliers")
        for qty, price in ((2, 10.0), (2, 16.0)):
            # received at the product's cost of the day
            product.standard_price = price
            move = self.env["stock.move"].create(
                {
                    "product_id": product.id,
                    "location_id": supplier.id,
                    "location_dest_id": self.stock.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": qty,
                }
            )
            move._action_confirm()
            move.quantity = qty
            move.picked = True
            move._action_done()
        order = self.make_sale([(product, 3)])
        self.deliver(order)
        self.invoice(order)
        self.assert_entry(order, 36.0)  # FIFO: 2 x 10 + 1 x 16

    # ------------------------------------------------------------------ once
    def test_never_posted_twice(self):
        order = self.make_sale([(self.goods, 1)])
        self.deliver(order)
        self.sandbox.clear_requests()
        self.invoice(order)
        entry = self.assert_entry(order, 12.5)
        order._qbo_after_invoice_created()
        order.action_qbo_post_cogs()
        self.run_cron("ir_cron_qbo_cogs")
        self.run_cron("ir_cron_qbo_cogs")
        self.assertEqual([e["Id"] for e in self.entries()], [entry["Id"]])
        self.assertEqual(
            [r.request_id for r in self.sandbox.requests if r.entity == "JournalEntry"],
            [cogs.request_id(order, "create")],
        )
        self.assertEqual(order.qbo_cogs_status, "posted")

    def test_retry_after_a_lost_answer_replays_the_same_entry(self):
        order = self.make_sale([(self.goods, 1)])
        self.deliver(order)
        # QBO saves the entry but the answer is lost: the retry sends the same requestid.
        self.sandbox.inject("commit_then_fail", count=1, path="/journalentry")
        self.sandbox.clear_requests()
        self.invoice(order)
        self.assert_entry(order, 12.5)
        self.assertEqual(len(self.entries()), 1)
        sent = [r.request_id for r in self.sandbox.requests if r.entity == "JournalEntry"]
        self.assertEqual(len(sent), 2)
        self.assertEqual(set(sent), {cogs.request_id(order, "create")})

    # ------------------------------------------------------------------ deletion
    def test_invoice_deleted_afterwards_deletes_the_entry(self):
        order = self.make_sale([(self.goods, 2)])
        self.deliver(order)
        invoice = self.invoice(order)
        first = self.assert_entry(order, 25.0)
        self.sweep()
        self.sandbox.delete_entity(REALM, "Invoice", invoice["Id"])
        self.sweep()
        self.run_cron("ir_cron_qbo_cogs")
        self.assertEqual(order.qbo_status, "not_pushed")
        self.assertEqual(order.qbo_cogs_status, "none")
        self.assertFalse(order.qbo_cogs_txn_id)
        self.assertEqual(order.qbo_cogs_generation, 1)
        self.assertFalse(self.entries(), "the COGS entry went with its invoice")
        # Invoicing again posts one new entry, not a second one.
        self.invoice(order)
        second = self.assert_entry(order, 25.0)
        self.assertNotEqual(second["Id"], first["Id"])
        self.assertEqual([e["Id"] for e in self.entries()], [second["Id"]])

    def test_entry_deleted_by_a_user_is_forgotten_not_reposted(self):
        order = self.make_sale([(self.goods, 1)])
        self.deliver(order)
        self.invoice(order)
        self.assert_entry(order, 12.5)
        self.sweep()
        self.sandbox.delete_entity(REALM, "JournalEntry", order.qbo_cogs_txn_id)
        self.sweep()
        self.assertEqual(order.qbo_cogs_status, "none")
        self.assertFalse(order.qbo_cogs_txn_id)
        self.run_cron("ir_cron_qbo_cogs")
        self.assertFalse(self.entries())
        # The button posts it again on purpose.
        order.action_qbo_post_cogs()
        self.assert_entry(order, 12.5)

    # ------------------------------------------------------------------ errors
    def test_zero_cost_is_an_error_on_the_order(self):
        free = self.make_goods("QBO COGS Free Sample", "COGS-FREE", 0.0)
        order = self.make_sale([(free, 1)])
        self.deliver(order)
        self.invoice(order)
        self.assertEqual(order.qbo_cogs_status, "error")
        self.assertIn("QBO COGS Free Sample", order.qbo_cogs_error)
        self.assertFalse(self.entries())
        self.assertEqual(order.qbo_status, "created", "the invoice itself is fine")

    def test_missing_account_mapping_is_an_error_on_the_order(self):
        order = self.make_sale([(self.goods, 1)])
        self.assertCreated(self.push(order))
        # The mapping went after the invoice did (the push itself refuses without it).
        self.connection.inventory_account_id = False
        self.deliver(order)
        self.run_cron("ir_cron_qbo_cogs")
        self.assertEqual(order.qbo_cogs_status, "error")
        self.assertIn("inventory asset", order.qbo_cogs_error)
        self.assertFalse(self.entries())

    def test_simple_accounting_posts_no_entry(self):
        self.connection.accounting_mode = "simple"
        order = self.make_sale([(self.goods, 1)])
        self.deliver(order)
        self.assertCreated(self.push(order))
        self.run_cron("ir_cron_qbo_cogs")
        self.assertEqual(order.qbo_cogs_status, "none")
        self.assertFalse(self.entries())
