from datetime import datetime, timedelta, timezone

from odoo import Command
from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .orders import QboPushCase

REALM = presets.US_REALM


@tagged("post_install", "-at_install")
class TestCdcSweep(QboPushCase):
    """The CDC cron catches what webhooks missed (here: webhooks are off)."""

    def setUp(self):
        super().setUp()
        # A first poll sets the watermark, as the cron does every few minutes.
        self.sweep()
        self.assertTrue(self.connection.cdc_since)
        self.sandbox.clear_requests()

    def cdc_requests(self):
        return self.api_requests("/cdc")

    def test_deleted_invoice_reverts_the_order(self):
        order = self.make_sale()
        invoice = self.document(self.push(order))
        generation = order.qbo_generation
        self.sandbox.delete_entity(REALM, "Invoice", invoice["Id"])
        self.sweep()
        self.assertEqual(order.qbo_status, "not_pushed")
        self.assertFalse(order.qbo_txn_id)
        self.assertEqual(order.qbo_generation, generation + 1)
        self.assertTrue(
            order.message_ids.filtered(lambda m: "was deleted in QuickBooks" in (m.body or ""))
        )
        self.assertEqual(len(self.cdc_requests()), 1)

    def test_deleted_bill_reverts_the_purchase_order(self):
        order = self.make_purchase()
        bill = self.document(self.push(order))
        self.sandbox.delete_entity(REALM, "Bill", bill["Id"])
        self.sweep()
        self.assertEqual(order.qbo_status, "not_pushed")
        self.assertFalse(order.qbo_txn_id)
        self.assertEqual(order.qbo_generation, 1)

    def test_voided_invoice_is_shown_voided(self):
        order = self.make_sale()
        invoice = self.document(self.push(order))
        self.sandbox.void_entity(REALM, "Invoice", invoice["Id"])
        self.sweep()
        self.assertEqual(order.qbo_status, "voided")
        self.assertEqual(order.qbo_txn_id, invoice["Id"])
        self.assertEqual(order.qbo_total, 0.0)
        self.assertFalse(order.qbo_payment_status)
        self.assertTrue(order.message_ids.filtered(lambda m: "was voided" in (m.body or "")))
        # Sweeping again changes nothing and says nothing more.
        messages = len(order.message_ids)
        self.sweep()
        self.assertEqual(order.qbo_status, "voided")
        self.assertEqual(len(order.message_ids), messages)

    def test_watermark_follows_the_server_time(self):
        before = self.connection.cdc_since
        self.sandbox.advance_clock(120)
        self.sweep()
        after = self.connection.cdc_since
        self.assertGreater(
            datetime.fromisoformat(after), datetime.fromisoformat(before) + timedelta(seconds=60)
        )
        since = self.cdc_requests()[0].query["changedSince"]
        self.assertEqual(
            datetime.fromisoformat(since), datetime.fromisoformat(before).replace(microsecond=0)
        )

    def test_unchanged_orders_are_not_written(self):
        order = self.make_sale()
        self.assertCreated(self.push(order))
        self.sweep()
        write_date = order.write_date
        self.sweep()
        self.assertEqual(order.write_date, write_date)
        self.assertEqual(order.qbo_status, "created")

    def test_watermark_older_than_the_cdc_window_checks_the_ids(self):
        order = self.make_sale()
        invoice = self.document(self.push(order))
        kept = self.make_sale()
        kept_invoice = self.document(self.push(kept))
        self.sandbox.delete_entity(REALM, "Invoice", invoice["Id"])
        old = datetime.now(timezone.utc) - timedelta(days=40)
        self.connection.cdc_since = old.isoformat(timespec="milliseconds")
        self.sandbox.clear_requests()
        self.sweep()
        self.assertEqual(order.qbo_status, "not_pushed")
        self.assertEqual(kept.qbo_status, "created")
        self.assertEqual(kept.qbo_txn_id, kept_invoice["Id"])
        # The CDC request that followed started inside QBO's window.
        since = datetime.fromisoformat(self.cdc_requests()[0].query["changedSince"])
        self.assertGreater(since, datetime.now(timezone.utc) - timedelta(days=1))
        queries = [r.query.get("query", "") for r in self.api_requests("/query")]
        self.assertTrue(any("Id IN" in q and invoice["Id"] in q for q in queries), queries)
        # the missing Id was confirmed by a read (610 "deleted") before reverting
        self.assertTrue(self.api_requests(f"/invoice/{invoice['Id']}"))


@tagged("post_install", "-at_install")
class TestCdcWindowFault(QboPushCase):
    """QBO's clock moved beyond the 30-day window: its fault falls back to ``Id IN`` checks."""

    def test_window_fault_falls_back_to_id_checks(self):
        self.sweep()
        order = self.make_sale()
        invoice = self.document(self.push(order))
        self.sandbox.delete_entity(REALM, "Invoice", invoice["Id"])
        self.sandbox.advance_clock(31 * 24 * 3600)
        self.sweep()
        self.assertEqual(order.qbo_status, "not_pushed")
        self.assertFalse(self.connection.cdc_since)


@tagged("post_install", "-at_install")
class TestCdcCost(QboPushCase):
    """However many documents are open, a poll costs one request."""

    def test_one_thousand_open_invoices_cost_one_request_per_poll(self):
        # A thousand orders sent by the list's bulk action, each with its own amount.
        line = {"product_id": self.service.id, "product_uom_qty": 1, "tax_ids": []}
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create(dict(line, price_unit=10.0 + i))],
                }
                for i in range(1000)
            ]
        )
        orders.action_confirm()
        orders.action_qbo_push_queue()
        for _run in range(10):
            # the scheduler runs the push again as long as it leaves orders queued
            self.push_queued()
            if "queued" not in orders.mapped("qbo_status"):
                break
        invoices = [self.document(order) for order in orders]
        self.assertEqual(len(self.qbo_docs()), 1000)
        self.sweep()  # sets the watermark
        # Later: the invoices are older than the overlap of the polls.
        self.sandbox.advance_clock(600)
        self.sweep()
        for _ in range(3):
            self.sandbox.clear_requests()
            self.sweep()
            self.assertEqual(
                [(r.method, r.path.rsplit("/", 1)[-1]) for r in self.sandbox.requests],
                [("GET", "cdc")],
            )
        # A deletion among them is still found by that one request.
        self.sandbox.delete_entity(REALM, "Invoice", invoices[500]["Id"])
        self.sandbox.clear_requests()
        self.sweep()
        self.assertEqual(len(self.sandbox.requests), 1)
        self.assertEqual(orders[500].qbo_status, "not_pushed")
        self.assertEqual(orders.filtered(lambda o: o.qbo_status == "created"), orders - orders[500])
