"""The crons of what comes back from QBO follow the one cron protocol: they count their
whole backlog, and when QBO throttles they come back after its Retry-After, not at once."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo.webhooks import Event
from odoo.addons.quickbooks_online.services.const import EVENT_BATCH

from .orders import QboPushCase

#: longer than the client waits by itself: QBO's throttle reaches the cron
RETRY_AFTER = 600


@tagged("post_install", "-at_install")
class TestSyncCrons(QboPushCase):
    def cron(self, name):
        return self.env.ref(f"quickbooks_online.{name}")

    def triggers_after(self, cron, seconds):
        """Triggers of ``cron`` at least ``seconds`` from now (a few seconds' leeway)."""
        at = fields.Datetime.now() + timedelta(seconds=seconds - 5)
        return self.env["ir.cron.trigger"].search(
            [("cron_id", "=", cron.id), ("call_at", ">=", at)]
        )

    def progress(self, cron):
        return self.env["ir.cron.progress"].search([("cron_id", "=", cron.id)], order="id")

    def test_events_beyond_one_batch_are_counted_and_all_processed(self):
        """More pending events than one run reads: Odoo is told that work remains, runs the
        job again, and no event is left pending."""
        other = self.env["res.company"].create({"name": "Not connected yet"})
        connection = self.env["qbo.connection"]._for_company(other)
        extra = 3
        moment = datetime(2030, 5, 1, 12, 0)
        events = [
            Event("4620816365", "Payment", str(n), "Create", moment, f"e{n}")
            for n in range(EVENT_BATCH + extra)
        ]
        self.assertEqual(self.env["qbo.event"].sudo()._store(connection, events), len(events))
        cron = self.cron("ir_cron_qbo_process_events")
        self.progress(cron).unlink()

        self.run_cron("ir_cron_qbo_process_events")

        pending = self.env["qbo.event"].search_count([("state", "=", "pending")])
        self.assertEqual(pending, 0)
        first = self.progress(cron)[:1]
        self.assertEqual((first.done, first.remaining), (EVENT_BATCH, extra))

    def test_throttled_sweep_comes_back_after_retry_after(self):
        self.sandbox.inject("429", count=1, path="/cdc", retry_after=RETRY_AFTER)
        self.sandbox.clear_requests()
        cron = self.cron("ir_cron_qbo_cdc_sweep")

        self.run_cron("ir_cron_qbo_cdc_sweep")

        self.assertEqual(len(self.api_requests("/cdc")), 1, "no immediate re-run")
        self.assertTrue(self.triggers_after(cron, RETRY_AFTER))
        self.assertFalse(self.connection.cdc_since)

    def test_throttled_import_comes_back_after_retry_after(self):
        self.env["ir.config_parameter"].set_param("quickbooks_online.import_page_size", 2)
        self.assertFalse(self.connection._qbo_import_partners_start())
        self.sandbox.inject("429", count=1, path="/query", retry_after=RETRY_AFTER)
        self.sandbox.clear_requests()
        cron = self.cron("ir_cron_qbo_import_partners")

        self.run_cron("ir_cron_qbo_import_partners")

        self.assertEqual(len(self.api_requests("/query")), 1, "no immediate re-run")
        self.assertEqual(self.connection.import_state, "running")
        self.assertFalse(self.connection.import_error)
        self.assertEqual(self.connection.import_progress, 0)
        self.assertTrue(self.triggers_after(cron, RETRY_AFTER))

        # Once QBO accepts requests again, the import goes on where it stopped.
        self.run_cron("ir_cron_qbo_import_partners")
        self.assertEqual(self.connection.import_state, "done")
        self.assertEqual(self.connection.import_progress, 100)
