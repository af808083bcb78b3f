from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.quickbooks_online.qbo_sandbox import presets
from odoo.addons.quickbooks_online.qbo_sandbox.webhooks import sign

from .webhooks import WebhookCase, legacy_body


@tagged("post_install", "-at_install")
class TestWebhook(WebhookCase):
    """Intuit's signed notifications, received by Odoo's public route."""

    # ------------------------------------------------------------------ end to end
    def test_delete_in_sandbox_reverts_the_order_through_the_signed_webhook(self):
        order = self.make_sale()
        invoice = self.document(self.push(order))
        relay = self.start_relay("legacy")
        self.sandbox.delete_entity(presets.US_REALM, "Invoice", invoice["Id"])
        self.assertEqual([r.status_code for r in self.forward(relay)], [200])
        event = self.Event.search([("entity_id", "=", invoice["Id"])])
        self.assertEqual(
            (event.entity, event.operation, event.state), ("Invoice", "Delete", "pending")
        )
        self.process_events()
        self.assert_reverted(order)
        self.assertEqual(event.state, "done")

    def test_cloudevents_deletion_of_a_bill_reverts_the_purchase_order(self):
        order = self.make_purchase()
        bill = self.document(self.push(order))
        relay = self.start_relay("cloudevents")
        self.sandbox.delete_entity(presets.US_REALM, "Bill", bill["Id"])
        self.assertEqual([r.status_code for r in self.forward(relay)], [200])
        self.process_events()
        self.assert_reverted(order)
        self.assertTrue(order.message_ids.filtered(lambda m: "The bill " in (m.body or "")))
        self.assertEqual(
            dict(order._fields["qbo_status"].selection)[order.qbo_status], "Not billed"
        )

    def test_webhook_stores_and_answers_without_calling_qbo(self):
        order = self.make_sale()
        invoice = self.document(self.push(order))
        self.sandbox.clear_requests()
        body = legacy_body(
            presets.US_REALM, ("Invoice", invoice["Id"], "Update", "2026-01-01T10:00:00.000Z")
        )
        response = self.post(body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.all_requests(), [], "the webhook must never call QBO")
        self.assertEqual(self.Event.search_count([("entity_id", "=", invoice["Id"])]), 1)
        # the processing cron was woken up
        cron = self.env.ref("quickbooks_online.ir_cron_qbo_process_events")
        self.assertTrue(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]))

    # ------------------------------------------------------------------ refusals
    def test_forged_or_missing_signature_changes_nothing(self):
        order = self.make_sale()
        invoice = self.document(self.push(order))
        self.sandbox.delete_entity(presets.US_REALM, "Invoice", invoice["Id"])
        body = legacy_body(
            presets.US_REALM, ("Invoice", invoice["Id"], "Delete", "2026-01-01T10:00:00.000Z")
        )
        with mute_logger("odoo.addons.quickbooks_online.controllers.webhook"):
            forged = self.post(body, token="not-the-verifier-token")
            missing = self.post(body, token=None)
            tampered = self.post(body.replace(b"Delete", b"Update"), signature=sign(body, "x"))
        self.assertEqual(
            [forged.status_code, missing.status_code, tampered.status_code], [403, 403, 403]
        )
        self.assertFalse(self.Event.search([]))
        self.process_events()
        self.assertEqual(order.qbo_status, "created")
        self.assertEqual(order.qbo_txn_id, invoice["Id"])

    def test_unknown_realm_is_acknowledged_and_ignored(self):
        # Signed by the app (Intuit notifies every company that authorized it).
        body = legacy_body("999999", ("Invoice", "1", "Delete", "2026-01-01T10:00:00.000Z"))
        response = self.post(body)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.Event.search([]))

    def test_unreadable_body_is_refused(self):
        with mute_logger("odoo.addons.quickbooks_online.controllers.webhook"):
            response = self.post(b'{"eventNotifications": "nope"}')
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Event.search([]))

    # ------------------------------------------------------------------ harmless repeats
    def test_duplicate_deliveries_are_stored_once_and_harmless(self):
        order = self.make_sale()
        invoice = self.document(self.push(order))
        self.sandbox.delete_entity(presets.US_REALM, "Invoice", invoice["Id"])
        body = legacy_body(
            presets.US_REALM, ("Invoice", invoice["Id"], "Delete", "2026-01-01T10:00:00.000Z")
        )
        self.assertEqual(self.post(body).status_code, 200)
        self.assertEqual(self.post(body).status_code, 200)
        self.assertEqual(self.Event.search_count([]), 1)
        self.process_events()
        self.assert_reverted(order)
        # Delivered again after processing: still one event, nothing changes.
        self.assertEqual(self.post(body).status_code, 200)
        self.assertEqual(self.Event.search_count([]), 1)
        self.process_events()
        self.assert_reverted(order)

    def test_out_of_order_events_are_harmless(self):
        order = self.make_sale()
        invoice = self.document(self.push(order))
        self.sandbox.delete_entity(presets.US_REALM, "Invoice", invoice["Id"])
        # The deletion arrives first, the older update after it was processed.
        delete = legacy_body(
            presets.US_REALM, ("Invoice", invoice["Id"], "Delete", "2026-01-01T10:00:05.000Z")
        )
        update = legacy_body(
            presets.US_REALM, ("Invoice", invoice["Id"], "Update", "2026-01-01T10:00:00.000Z")
        )
        self.post(delete)
        self.process_events()
        self.assert_reverted(order)
        self.post(update)
        self.process_events()
        self.assert_reverted(order)

    def test_late_update_does_not_revert_a_live_invoice(self):
        """An update announced before a (stale) deletion of another document: each is
        checked against QBO, so the live invoice stays created."""
        live_order, gone_order = self.make_sale(), self.make_sale()
        live = self.document(self.push(live_order))
        gone = self.document(self.push(gone_order))
        self.sandbox.delete_entity(presets.US_REALM, "Invoice", gone["Id"])
        self.post(
            legacy_body(
                presets.US_REALM,
                ("Invoice", gone["Id"], "Delete", "2026-01-01T10:00:05.000Z"),
                ("Invoice", live["Id"], "Delete", "2026-01-01T10:00:04.000Z"),
            )
        )
        self.process_events()
        self.assert_reverted(gone_order)
        self.assertEqual(live_order.qbo_status, "created")
        self.assertEqual(live_order.qbo_txn_id, live["Id"])
