"""The background push sends its batch calls at once, within QBO's ten concurrent
requests per company, counted in the database so that every process shares them."""

import threading

from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo import parallel
from odoo.addons.quickbooks_online.services import realm_slots

from .orders import QboPushCase

#: seconds every request takes in these tests: long enough for calls to overlap
LATENCY = 0.4
#: orders of three batch calls (30, 30, 1)
ORDERS = 61


@tagged("post_install", "-at_install")
class TestPushParallel(QboPushCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("quickbooks_online.ir_cron_qbo_push")

    def setUp(self):
        super().setUp()
        self.sandbox.set_limits(True)
        self.sandbox.set_latency(LATENCY)
        self.addCleanup(self.sandbox.set_latency, 0)
        self.addCleanup(self.sandbox.set_limits, False)

    def queue_orders(self):
        self.warm_up()
        orders = self.env["sale.order"].concat(*(self.make_sale() for _n in range(ORDERS)))
        orders.action_qbo_push_queue()
        self.sandbox.clear_requests()
        return orders

    def test_bulk_push_sends_its_batch_calls_at_once(self):
        orders = self.queue_orders()
        self.push_queued()
        self.assertEqual(set(orders.mapped("qbo_status")), {"created"})
        self.assertEqual(len(set(orders.mapped("qbo_txn_id"))), ORDERS)
        self.assertEqual(len(self.qbo_docs()), ORDERS)
        requests = self.api_requests()
        self.assertEqual([r.entity for r in requests], ["batch"] * 3)
        self.assertEqual(len({r.request_id for r in requests}), 3, "one request id per chunk")
        self.assertNotIn(429, [r.status for r in requests])
        self.assertEqual(self.sandbox.limits.peak[self.realm_id], 3, "the three calls overlap")

    def test_the_concurrent_calls_are_in_the_sync_log(self):
        """Each batch call sent from a worker thread has its row, about the pushed orders."""
        orders = self.queue_orders()
        Log = self.env["qbo.sync.log"].sudo()
        first = Log.search([], order="id desc", limit=1).id or 0
        self.push_queued()
        self.assertEqual(set(orders.mapped("qbo_status")), {"created"})
        rows = Log.search([("id", ">", first), ("operation", "=", "batch")])
        self.assertEqual(len(rows), 3, "one row per batch call")
        self.assertEqual(set(rows.mapped("source")), {"push"})
        self.assertEqual(set(rows.mapped("res_model")), {"sale.order"})
        for row in rows:
            self.assertEqual({int(i) for i in row.res_ids.strip(",").split(",")}, set(orders.ids))
        self.assertEqual(set(rows.mapped("status_code")), {200})

    def test_a_throttled_chunk_waits_and_the_others_are_recorded(self):
        orders = self.queue_orders()
        # the second batch call to arrive is throttled for longer than the client waits
        self.sandbox.inject("429", path="/batch", retry_after=600, skip=1)
        self.push_queued()
        created = orders.filtered(lambda o: o.qbo_status == "created")
        queued = orders - created
        self.assertEqual(set(queued.mapped("qbo_status")), {"queued"})
        self.assertIn(len(queued), (1, 30), "only the throttled chunk waits")
        self.assertEqual(len(self.qbo_docs()), len(created))
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]),
            "the cron runs again after QBO's Retry-After",
        )
        self.push_queued()
        self.assertEqual(set(orders.mapped("qbo_status")), {"created"})
        self.assertEqual(len(self.qbo_docs()), ORDERS, "nothing sent twice")
        self.assertEqual(len(set(orders.mapped("qbo_txn_id"))), ORDERS)

    def test_two_processes_never_exceed_ten_requests_together(self):
        """Two clients with slots of their own (as two Odoo processes have) send ten batch
        calls at once each: QBO never sees more than ten, and answers no 429."""
        clients = [
            self.connection._qbo_client(
                limiter=realm_slots.RealmSlots(self.env.cr.dbname, self.realm_id)
            )
            for _process in range(2)
        ]
        call = ([{"bId": "q1", "Query": "SELECT * FROM Item MAXRESULTS 1"}], None)
        outcomes = {}

        def send(number, client):
            outcomes[number] = parallel.batches(client, [call] * 10)

        threads = [
            threading.Thread(target=send, args=(number, client))
            for number, client in enumerate(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        results = [outcome for number in (0, 1) for outcome in outcomes[number]]
        self.assertEqual(len(results), 20)
        self.assertTrue(all(result["q1"].ok for result in results), results)
        statuses = [r.status for r in self.api_requests()]
        self.assertEqual(statuses, [200] * 20, "no request answered 429")
        self.assertEqual(self.sandbox.limits.peak[self.realm_id], 10)
