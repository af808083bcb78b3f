import json

from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets
from odoo.addons.quickbooks_online.qbo_sandbox.webhooks import sign

from .orders import QboPushCase
from .webhooks import WebhookCase

REALM = presets.US_REALM


@tagged("post_install", "-at_install")
class TestPaymentStatus(QboPushCase):
    """Payments made in QBO give the order's payment status (CDC sweep)."""

    def setUp(self):
        super().setUp()
        self.sweep()

    def test_partial_then_full_payment_of_an_invoice(self):
        order = self.make_sale()
        invoice = self.document(self.push(order))
        self.assertEqual(order.qbo_payment_status, "not_paid")
        self.sandbox.add_payment(REALM, invoice["Id"], 30.0)
        self.sweep()
        self.assertEqual(order.qbo_payment_status, "partial")
        self.assertEqual(order.qbo_balance, 50.0)
        self.assertEqual(order.qbo_total, 80.0)
        self.sandbox.add_payment(REALM, invoice["Id"], 50.0)
        self.sweep()
        self.assertEqual(order.qbo_payment_status, "paid")
        self.assertEqual(order.qbo_balance, 0.0)
        self.assertEqual(order.qbo_status, "created")

    def test_bill_payments(self):
        order = self.make_purchase([(self.service, 1, 50.0)])
        bill = self.document(self.push(order))
        self.sandbox.add_bill_payment(REALM, bill["Id"], 20.0)
        self.sweep()
        self.assertEqual(order.qbo_payment_status, "partial")
        self.assertEqual(order.qbo_balance, 30.0)
        self.sandbox.add_bill_payment(REALM, bill["Id"], 30.0)
        self.sweep()
        self.assertEqual(order.qbo_payment_status, "paid")

    def test_other_documents_keep_their_status(self):
        paid, unpaid = (self.make_sale([(self.product, 1, 40.0)]) for _order in range(2))
        paid_invoice = self.document(self.push(paid))
        self.assertCreated(self.push(unpaid))
        self.sandbox.add_payment(REALM, paid_invoice["Id"], 40.0)
        self.sweep()
        self.assertEqual(paid.qbo_payment_status, "paid")
        self.assertEqual(unpaid.qbo_payment_status, "not_paid")


@tagged("post_install", "-at_install")
class TestPaymentWebhook(WebhookCase):
    """A payment notified by webhook updates the status without waiting for the sweep."""

    def test_payment_webhook_updates_the_status(self):
        order = self.make_sale()
        invoice = self.document(self.push(order))
        relay = self.start_relay("cloudevents")
        self.sandbox.add_payment(REALM, invoice["Id"], 80.0)
        self.forward(relay)
        entities = set(self.env["qbo.event"].sudo().search([]).mapped("entity"))
        self.assertIn("Payment", entities)
        self.process_events()
        self.assertEqual(order.qbo_payment_status, "paid")
        self.assertEqual(order.qbo_balance, 0.0)

    def test_payment_event_outside_the_cdc_window_reads_the_paid_invoice(self):
        """Without CDC data, the payment itself is read and the invoice it pays re-read."""
        order = self.make_sale()
        invoice = self.document(self.push(order))
        payment = self.sandbox.add_payment(REALM, invoice["Id"], 20.0)
        body = json.dumps(
            {
                "eventNotifications": [
                    {
                        "realmId": REALM,
                        "dataChangeEvent": {
                            "entities": [
                                {
                                    "name": "Payment",
                                    "id": payment["Id"],
                                    "operation": "Create",
                                    "lastUpdated": "2020-01-01T00:00:00.000Z",
                                }
                            ]
                        },
                    }
                ]
            }
        ).encode()
        response = self.url_open(
            "/quickbooks/webhook",
            data=body,
            headers={"intuit-signature": sign(body, presets.VERIFIER_TOKEN)},
        )
        self.assertEqual(response.status_code, 200)
        self.sandbox.clear_requests()
        self.process_events()
        self.assertEqual(order.qbo_payment_status, "partial")
        self.assertEqual(order.qbo_balance, 60.0)
        paths = [r.path.rsplit("/", 1)[-1] for r in self.sandbox.requests]
        self.assertEqual(paths, ["query", "query"], "the payment, then the invoice it pays")
