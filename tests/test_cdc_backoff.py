"""The CDC sweep backs off to a safety interval while webhooks deliver, and returns to every
run (5 minutes) when they are silent or failing: Intuit meters every CDC poll as a read."""

from datetime import timedelta

from odoo import fields
from odoo.tests import freeze_time, tagged

from odoo.addons.quickbooks_online.qbo import Token

from .webhooks import WebhookCase, invoice_event


@tagged("post_install", "-at_install")
class TestCdcBackoff(WebhookCase):
    def setUp(self):
        super().setUp()
        # The first sweep of a connection always runs: it sets the watermark.
        self.sweep()
        self.start = fields.Datetime.now()
        self.sandbox.clear_requests()

    def cdc_polls(self):
        return len(self.api_requests("/cdc"))

    def sweep_at(self, minutes):
        with freeze_time(self.start + timedelta(minutes=minutes)):
            # tokens of that time, as the connection would hold after its renewals
            self.connection._qbo_store_token(
                Token.from_response(self.sandbox.grant(self.connection.realm_id))
            )
            self.env.flush_all()
            self.sweep()
        return self.cdc_polls()

    def deliver_event(self, fail_processing=False):
        """A pushed invoice whose change the signed webhook announces, then processed."""
        invoice = self.document(self.push(self.make_sale()))
        when = invoice["MetaData"]["LastUpdatedTime"]
        self.assertEqual(self.post(invoice_event(invoice["Id"], "Update", when)).status_code, 200)
        if fail_processing:
            self.sandbox.inject("500", count=5, path="/cdc")
        self.process_events()
        self.sandbox.clear_requests()
        return invoice

    def test_healthy_webhooks_back_off_to_the_safety_interval(self):
        self.deliver_event()
        self.assertEqual(self.sweep_at(5), 0)
        self.assertEqual(self.sweep_at(30), 0)
        self.assertEqual(self.sweep_at(61), 1, "the safety sweep runs hourly")
        self.assertEqual(self.sweep_at(70), 1)
        self.assertEqual(self.sweep_at(122), 2)

    def test_the_safety_interval_is_a_system_parameter(self):
        self.env["ir.config_parameter"].set_param("quickbooks_online.cdc_safety_minutes", "20")
        self.deliver_event()
        self.assertEqual(self.sweep_at(10), 0)
        self.assertEqual(self.sweep_at(21), 1)

    def test_webhooks_that_never_delivered_leave_the_sweep_at_every_run(self):
        self.assertEqual(self.sweep_at(5), 1)
        self.assertEqual(self.sweep_at(10), 2)
        self.deliver_event()
        self.assertEqual(self.sweep_at(15), 0, "the first delivery proves them")

    def test_failing_events_return_the_sweep_to_every_run(self):
        self.deliver_event()
        self.assertEqual(self.sweep_at(5), 0)
        self.deliver_event(fail_processing=True)
        event = self.Event.search([("attempts", "=", 1)])
        self.assertEqual(event.state, "pending", "it waits for a retry")
        self.assertEqual(self.sweep_at(10), 1)
        self.assertEqual(self.sweep_at(15), 2)

    def test_a_change_no_webhook_announced_returns_the_sweep_to_every_run(self):
        self.deliver_event()
        # A change made in QuickBooks of which no webhook arrives (silent webhooks).
        self.assertCreated(self.push(self.make_sale()))
        self.sandbox.clear_requests()
        self.assertEqual(self.sweep_at(5), 0)
        self.assertEqual(self.sweep_at(61), 1, "the safety sweep finds it")
        self.assertEqual(self.sweep_at(66), 2, "and the sweep runs every time again")
        self.assertEqual(self.sweep_at(71), 3)
