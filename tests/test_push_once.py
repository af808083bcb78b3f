"""Exactly once without the crutches: custom numbers off, ``requestid`` ignored.

QBO then neither refuses a repeated number (6140) nor replays a repeated request: only
the push's own record of its attempts and its look in QBO keep each order to one
document. Every count comes from the sandbox's store.
"""

import time

from odoo.tests import tagged

from .orders import QboPushCase

#: QBO as it may be: no 6140 on a repeated number, requestid not looked at, batches shuffled
HOSTILE = {
    "custom_txn_numbers": False,
    "duplicate_warning": False,
    "ignore_requestid": True,
    "shuffle_batch": True,
}


@tagged("post_install", "-at_install")
class TestPushOnce(QboPushCase):
    def setUp(self):
        super().setUp()
        # Link the customer and the product first, so that the faults hit the create.
        self.warm_up()
        self.sandbox.set_profile(**HOSTILE)
        self.addCleanup(self.sandbox.set_profile)
        self.addCleanup(self.sandbox.injector.clear)
        self.connection.custom_txn_numbers = False
        self.sandbox.clear_requests()

    def assertOneInvoice(self, order):
        docs = [doc for doc in self.qbo_docs() if doc.get("PrivateNote") == order.name]
        self.assertEqual(len(docs), 1, f"one QBO invoice for {order.name}")
        self.assertCreated(order)
        self.assertEqual(order.qbo_txn_id, docs[0]["Id"])
        self.assertFalse(order.qbo_push_key)

    def check_lost_answer(self, kind):
        self.sandbox.inject(kind, count=1, path="/invoice", method="POST")
        order = self.push(self.make_sale())
        self.assertOneInvoice(order)
        self.assertEqual(len([r for r in self.api_requests() if r.entity == "Invoice"]), 1)

    def test_500_after_commit_is_looked_for_not_sent_again(self):
        self.check_lost_answer("commit_then_500")

    def test_reset_after_commit_is_looked_for_not_sent_again(self):
        self.check_lost_answer("commit_then_fail")

    def test_transient_6000_after_commit_is_looked_for_not_sent_again(self):
        self.check_lost_answer("commit_then_6000")

    def test_failed_button_push_then_the_bulk_action(self):
        """The answer and the look are both lost: error; the list's bulk push finds it."""
        self.sandbox.inject("commit_then_500", count=1, path="/invoice", method="POST")
        self.sandbox.inject("500", count=5, path="/batch", method="POST")
        order = self.push(self.make_sale())
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("did not answer", order.qbo_error)
        self.assertTrue(order.qbo_push_key)
        self.assertEqual(len(self.qbo_docs()), 1, "QBO holds the invoice")
        order.action_qbo_push_queue()
        self.push_queued()
        self.assertOneInvoice(order)

    def test_lost_bulk_answer_then_the_button(self):
        """Button against cron: the cron's batch was written, its answers lost."""
        orders = self.make_sale() | self.make_sale()
        orders.action_qbo_push_queue()
        self.sandbox.inject("commit_then_fail", count=6, path="/batch")
        self.push_queued()
        self.assertEqual(set(orders.mapped("qbo_status")), {"error"})
        self.assertEqual(len(self.qbo_docs()), 2, "QBO holds both invoices")
        self.push(orders[0])
        orders[1:].action_qbo_push_queue()
        self.push_queued()
        for order in orders:
            self.assertOneInvoice(order)

    def test_hanging_qbo_ends_the_button_push_in_words_then_push_again(self):
        """A create that timed out is not sent again blindly: the button's request ends
        at once, in words; the next push finds the invoice QBO wrote meanwhile."""
        self.env["ir.config_parameter"].set_param("quickbooks_online.push_timeout", "1")
        slow = self.sandbox.slow_seconds
        self.sandbox.slow_seconds = 10.5  # beyond the 10 s the test harness allows at least
        self.addCleanup(setattr, self.sandbox, "slow_seconds", slow)
        self.sandbox.inject("timeout", count=5, path="/invoice")
        order = self.make_sale()
        start = time.monotonic()
        self.push(order)
        self.assertLess(time.monotonic() - start, 20, "one attempt of at most 10.5 s")
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("did not answer", order.qbo_error)
        self.assertTrue(order.qbo_push_key)
        self.wait_for_qbo()
        self.sandbox.injector.clear()
        self.push(order)
        self.assertOneInvoice(order)
