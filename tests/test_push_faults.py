import time

from odoo import fields
from odoo.tests import new_test_user, tagged

from ..services import send
from .orders import QboPushCase


@tagged("post_install", "-at_install")
class TestPushFaults(QboPushCase):
    """Exactly once: faults on the create, then a retry, leave one QBO document."""

    def setUp(self):
        super().setUp()
        # Link the customer and the product first, so that the faults hit the create.
        self.warm_up()

    def assertOneInvoice(self, order):
        self.assertCreated(order)
        docs = [doc for doc in self.qbo_docs() if doc["PrivateNote"] == order.name]
        self.assertEqual(len(docs), 1)
        self.assertEqual(docs[0]["Id"], order.qbo_txn_id)

    def test_commit_then_fail_is_replayed(self):
        self.sandbox.inject("commit_then_fail", count=1, path="/invoice", method="POST")
        order = self.push(self.make_sale())
        self.assertOneInvoice(order)
        # the lost answer is followed by a look in QBO, which finds the invoice: no resend
        creates = [r for r in self.api_requests() if r.entity == "Invoice"]
        self.assertEqual(len(creates), 1)
        self.assertEqual(len(self.api_requests()), 2)

    def test_commit_then_fail_until_the_client_gives_up_then_retry(self):
        self.sandbox.inject("commit_then_fail", count=1, path="/invoice", method="POST")
        # ...and the look in QBO that follows fails as well
        self.sandbox.inject("500", count=5, path="/batch", method="POST")
        order = self.push(self.make_sale())
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("did not answer", order.qbo_error)
        self.assertIn("no second invoice", order.qbo_error)
        # QBO did create it; pushing again finds it and links it.
        self.push(order)
        self.assertOneInvoice(order)

    def test_only_a_sure_refusal_moves_the_key(self):
        """QBO may answer a requestid it saw with its first answer, a refusal included: an
        unsure outcome keeps the order's key (its next push looks first), a sure refusal
        gives the corrected order a new one."""
        self.sandbox.set_profile(replay_failures=True)
        self.addCleanup(self.sandbox.set_profile)
        order = self.make_sale()
        key = send.document_key(order)
        self.sandbox.inject("500", count=5, path="/invoice")
        self.push(order)
        self.assertEqual(order.qbo_status, "error")
        self.assertEqual(order.qbo_push_key, key)
        today = fields.Date.context_today(self.env.user).isoformat()
        self.sandbox.set_preferences(self.realm_id, book_close_date=today)
        self.addCleanup(self.sandbox.set_preferences, self.realm_id, book_close_date="")
        self.push(order)
        self.assertIn("The QuickBooks books are closed up to", order.qbo_error)
        self.assertEqual(self.qbo_docs(), [])
        self.sandbox.set_preferences(self.realm_id, book_close_date="")
        self.push(order)
        self.assertOneInvoice(order)
        self.assertNotEqual(send.document_key(order), key)

    def test_throttled_create_waits_and_succeeds(self):
        self.sandbox.inject("429", count=1, path="/invoice", retry_after=1)
        order = self.push(self.make_sale())
        self.assertOneInvoice(order)

    def test_server_errors_then_retry(self):
        self.sandbox.inject("500", count=5, path="/invoice")
        order = self.push(self.make_sale())
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("did not answer", order.qbo_error)
        self.assertEqual(self.qbo_docs(), [])
        self.push(order)
        self.assertOneInvoice(order)

    def test_timeout_on_the_create_then_retry(self):
        self.env["ir.config_parameter"].set_param("quickbooks_online.push_timeout", "1")
        self.sandbox.slow_seconds = 11  # beyond the 10 s the test harness allows at least
        self.addCleanup(setattr, self.sandbox, "slow_seconds", 3.0)
        self.sandbox.inject("timeout", count=1, path="/invoice")
        order = self.push(self.make_sale())
        self.push(order)
        # The timed-out request is still being served: let QBO finish it before counting.
        slow = [r for r in self.api_requests() if r.entity == "Invoice"][0]
        for _attempt in range(300):
            if slow.status is not None:
                break
            time.sleep(0.1)
        self.assertEqual(slow.status, 200)
        creates = [r for r in self.api_requests() if r.entity == "Invoice"]
        self.assertGreaterEqual(len(creates), 2)
        self.assertEqual(len({r.request_id for r in creates}), 1)
        self.assertOneInvoice(order)

    def test_duplicate_number_of_our_own_invoice_is_linked(self):
        """6140 on our own number (the invoice was made by an earlier request): link it."""
        order = self.make_sale()
        customer_id = self.env["qbo.link"]._get_map(self.connection, self.customer, "Customer")[
            self.customer.id
        ]
        existing = self.connection._qbo_client().create(
            "Invoice",
            {
                "CustomerRef": {"value": customer_id},
                "DocNumber": order.name,
                "PrivateNote": order.name,
                "Line": [
                    {
                        "DetailType": "SalesItemLineDetail",
                        "Amount": 80.0,
                        "SalesItemLineDetail": {"ItemRef": {"value": "1"}},
                    }
                ],
            },
            "another-request-id-for-6140",
        )
        self.push(order)
        self.assertCreated(order)
        self.assertEqual(order.qbo_txn_id, existing["Id"])
        self.assertEqual(len([d for d in self.qbo_docs() if d.get("DocNumber") == order.name]), 1)

    def test_duplicate_number_of_another_invoice_is_an_error(self):
        order = self.make_sale()
        cool_cars = next(
            c for c in self.realm_store.all("Customer") if c["DisplayName"] == "Cool Cars"
        )
        self.connection._qbo_client().create(
            "Invoice",
            {
                "CustomerRef": {"value": cool_cars["Id"]},
                "DocNumber": order.name,
                "Line": [
                    {
                        "DetailType": "SalesItemLineDetail",
                        "Amount": 5.0,
                        "SalesItemLineDetail": {"ItemRef": {"value": "1"}},
                    }
                ],
            },
            "foreign-invoice-for-6140",
        )
        self.push(order)
        self.assertEqual(order.qbo_status, "error")
        self.assertIn(
            f"The number {order.name} is already used by another invoice", order.qbo_error
        )
        self.assertFalse(order.qbo_txn_id)
        self.assertEqual(len([d for d in self.qbo_docs() if d.get("DocNumber") == order.name]), 1)

    def test_refused_invoice_is_an_error_in_words(self):
        """A QBO validation fault lands on the order, readable, never as a traceback."""
        self.sandbox.delete_entity(
            self.realm_id,
            "Customer",
            self.env["qbo.link"]._get_map(self.connection, self.customer, "Customer")[
                self.customer.id
            ],
        )
        order = self.push(self.make_sale())
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("inactive or deleted in QuickBooks Online", order.qbo_error)
        self.assertNotIn("Traceback", order.qbo_error)

    def test_user_removed_from_the_quickbooks_company_is_said_on_the_order(self):
        """Intuit refuses the refresh with x_error_reason user_not_in_realm: the QuickBooks
        user pushing is told why, in words, and nothing is written in QBO."""
        pusher = new_test_user(
            self.env,
            login="qbo_pusher_removed_user",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,"
            "quickbooks_online.group_qbo_user",
        )
        self.sandbox.remove_user(self.realm_id)
        self.sandbox.expire_access_tokens(self.realm_id)
        order = self.make_sale()
        order.with_user(pusher).action_qbo_push()
        order.invalidate_recordset()
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("was removed from the QuickBooks company", order.qbo_error)
        self.assertNotIn("Traceback", order.qbo_error)
        self.assertEqual(self.qbo_docs(), [])
        # the expired access token was refused; nothing went through after the refresh failed
        self.assertEqual({r.status for r in self.api_requests()}, {401})
