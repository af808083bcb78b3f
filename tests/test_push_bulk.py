from odoo import fields
from odoo.tests import tagged

from .orders import QboPushCase


@tagged("post_install", "-at_install")
class TestPushBulk(QboPushCase):
    """The list's bulk action: queued orders pushed in the background through batches."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("quickbooks_online.ir_cron_qbo_push")

    def test_bulk_action_queues_and_the_cron_pushes(self):
        good = self.make_sale()
        bad = self.make_sale([(self.make_product("No code", False, 1.0), 1, 1.0)])
        done = self.push(self.make_sale())
        self.sandbox.clear_requests()
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        action = (good | bad | done).action_qbo_push_queue()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            (good.qbo_status, bad.qbo_status, done.qbo_status), ("queued", "queued", "created")
        )
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]),
            len(triggers),
        )
        self.assertEqual(self.api_requests(), [], "the list action sends nothing itself")
        self.push_queued()
        self.assertCreated(good)
        self.assertEqual(bad.qbo_status, "error")
        self.assertIn("internal reference", bad.qbo_error)
        self.assertEqual(len(self.qbo_docs()), 2)  # `done` and `good`
        self.assertEqual([r.entity for r in self.api_requests()], ["batch"])
        self.assertTrue(self.api_requests()[0].request_id)

    def test_bulk_sends_30_orders_per_batch(self):
        self.warm_up()
        orders = self.env["sale.order"].concat(*(self.make_sale() for _n in range(31)))
        orders.action_qbo_push_queue()
        self.push_queued()
        self.assertEqual(set(orders.mapped("qbo_status")), {"created"})
        self.assertEqual(len(self.qbo_docs()), 31)
        self.assertEqual(len(set(orders.mapped("qbo_txn_id"))), 31)
        self.assertEqual([r.entity for r in self.api_requests()], ["batch", "batch"])
        self.assertFalse(any(orders.mapped("qbo_push_key")))

    def test_bulk_of_new_parties_and_products_batches_the_lookups(self):
        partners = self.env["res.partner"].create([{"name": f"Bulk buyer {n}"} for n in range(5)])
        products = self.env["product.product"].concat(
            *(self.make_product(f"Bulk item {n}", f"BULK-{n}", 2.0) for n in range(5))
        )
        orders = self.env["sale.order"].concat(
            *(
                self.make_sale([(p, 1, 2.0)], partner=c)
                for c, p in zip(partners, products, strict=True)
            )
        )
        orders.action_qbo_push_queue()
        self.push_queued()
        self.assertEqual(set(orders.mapped("qbo_status")), {"created"})
        self.assertEqual(len(self.api_requests()), 3)
        self.assertEqual(len(self.qbo_docs("Customer")), 5)

    def test_interrupted_batch_is_replayed_not_duplicated(self):
        self.warm_up()
        first, second = self.make_sale(), self.make_sale()
        (first | second).action_qbo_push_queue()
        # the batch of creates and the look in QBO that follows it (5 attempts)
        self.sandbox.inject("commit_then_fail", count=6, path="/batch")
        self.push_queued()
        self.assertEqual((first.qbo_status, second.qbo_status), ("error", "error"))
        self.assertTrue(first.qbo_push_key)
        self.assertTrue(second.qbo_push_key)
        self.assertEqual(len(self.qbo_docs()), 2, "QBO committed the batch")
        # The form button of one order replays its item of the lost batch...
        self.push(first)
        self.assertCreated(first)
        # ...and the list action the other one.
        second.action_qbo_push_queue()
        self.push_queued()
        self.assertCreated(second)
        self.assertEqual(len(self.qbo_docs()), 2)
        self.assertEqual({d["Id"] for d in self.qbo_docs()}, {first.qbo_txn_id, second.qbo_txn_id})

    def test_look_after_an_unsure_batch_is_paged_under_the_batch_answer_cap(self):
        """30 orders of one customer whose batch of creates QBO saved without an answer,
        while that customer already has 1,000 invoices that day: 30 queries of 1,030 rows
        would pass QBO's 1,000 objects of a batch answer. The look asks once for the
        customer and date, in two pages, and every order is linked to its own invoice."""
        first = self.push(self.make_sale())
        self.add_invoices_like(self.realm_store.get("Invoice", first.qbo_txn_id), 999)
        orders = self.env["sale.order"].concat(*(self.make_sale() for _n in range(30)))
        orders.action_qbo_push_queue()
        self.sandbox.inject("commit_then_fail", count=1, path="/batch")
        self.sandbox.clear_requests()
        self.push_queued()
        for order in orders:
            self.assertCreated(order)
        docs = {doc["Id"]: doc for doc in self.qbo_docs()}
        self.assertEqual(len(docs), 1030, "no invoice created twice")
        for order in orders:
            self.assertEqual(docs[order.qbo_txn_id]["PrivateNote"], order.name)
        self.assertEqual(
            [r.status for r in self.api_requests()],
            [None, 200, 200],
            "the creates, then the look's two pages",
        )

    def add_invoices_like(self, invoice, count):
        """``count`` more invoices of ``invoice``'s customer and date, made in QBO."""
        lines = [
            {
                "Amount": line["Amount"],
                "DetailType": line["DetailType"],
                line["DetailType"]: line[line["DetailType"]],
            }
            for line in invoice["Line"]
            if line["DetailType"] == "SalesItemLineDetail"
        ]
        items = [
            {
                "bId": str(number),
                "operation": "create",
                "Invoice": {
                    "CustomerRef": invoice["CustomerRef"],
                    "TxnDate": invoice["TxnDate"],
                    "Line": lines,
                    "PrivateNote": f"Made in QuickBooks {number}",
                },
            }
            for number in range(count)
        ]
        results = self.connection._qbo_client().batch(items, "earlier-invoices")
        self.assertTrue(all(result.ok for result in results.values()))

    def test_qbo_limits_leave_the_orders_queued_for_later(self):
        self.warm_up()
        order = self.make_sale()
        order.action_qbo_push_queue()
        self.sandbox.inject("429", count=1, path="/batch", retry_after=600)
        self.push_queued()
        self.assertEqual(order.qbo_status, "queued")
        later = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.cron.id), ("call_at", ">", fields.Datetime.now())]
        )
        self.assertTrue(later)
        self.push_queued()
        self.assertCreated(order)

    def test_shuffled_batch_links_each_order_to_its_own_invoice(self):
        """QBO doesn't promise to run (or answer) batch items in order: match by bId."""
        self.warm_up()
        self.sandbox.set_profile(shuffle_batch=True, seed=3)
        self.addCleanup(self.sandbox.set_profile)
        orders = self.env["sale.order"].concat(
            *(self.make_sale([(self.product, n + 1, 40.0)]) for n in range(12))
        )
        orders.action_qbo_push_queue()
        self.push_queued()
        self.assertEqual(set(orders.mapped("qbo_status")), {"created"})
        docs = {doc["Id"]: doc for doc in self.qbo_docs()}
        self.assertEqual(len(docs), 12)
        for order in orders:
            self.assertEqual(docs[order.qbo_txn_id]["PrivateNote"], order.name)
            self.assertEqual(docs[order.qbo_txn_id]["TotalAmt"], order.amount_total)

    def test_xml_429_without_retry_after_leaves_the_orders_queued(self):
        """QBO has answered 429 in XML, without Retry-After, even to a JSON client."""
        self.warm_up()
        order = self.make_sale()
        order.action_qbo_push_queue()
        self.sandbox.inject("429_xml", count=20, path="/batch")
        self.addCleanup(self.sandbox.injector.clear)
        self.push_queued()
        self.assertEqual(order.qbo_status, "queued")
        self.assertFalse(order.qbo_error)
        later = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.cron.id), ("call_at", ">", fields.Datetime.now())]
        )
        self.assertTrue(later)
        self.sandbox.injector.clear()
        self.push_queued()
        self.assertCreated(order)

    def test_bulk_bills(self):
        orders = self.make_purchase() | self.make_purchase()
        orders.action_qbo_push_queue()
        self.push_queued()
        self.assertEqual(set(orders.mapped("qbo_status")), {"created"})
        self.assertEqual(len(self.qbo_docs("Bill")), 2)
