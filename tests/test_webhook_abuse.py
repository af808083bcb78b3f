"""Hostile deliveries to the public webhook route, sent as an anonymous sender would."""

import logging
import threading
import time
from contextlib import closing

from odoo import sql_db
from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from odoo.addons.quickbooks_online.qbo_sandbox import presets
from odoo.addons.quickbooks_online.services.const import (
    WEBHOOK_MAX_BODY,
    WEBHOOK_REFUSALS_LOG_SECONDS,
)

from .webhooks import WebhookCase, invoice_event

WEBHOOK_LOGGER = "odoo.addons.quickbooks_online.controllers.webhook"


@tagged("post_install", "-at_install")
class TestWebhookAbuse(WebhookCase):
    def test_chunked_body_over_the_limit_is_refused(self):
        """No Content-Length: the stream itself is read up to the limit (it was read whole and
        parsed before the signature was checked)."""
        filler = "x" * (WEBHOOK_MAX_BODY + 16 * 1024)
        body = invoice_event(filler, "Update", "2026-01-01T10:00:00Z")
        chunks = [body[start : start + 64 * 1024] for start in range(0, len(body), 64 * 1024)]
        response = self.post(iter(chunks), signature="bm90IHRoZSBzaWduYXR1cmU=")
        self.assertEqual(response.request.headers.get("Transfer-Encoding"), "chunked")
        self.assertEqual(response.status_code, 413)
        self.assertFalse(self.Event.search([]))

    def test_deep_nesting_is_no_server_error(self):
        deep = b"[" * 100_000 + b"]" * 100_000
        with self.assertNoLogs(level=logging.ERROR):
            anonymous = self.post(deep, signature="bm90IHRoZSBzaWduYXR1cmU=")
            with self.assertLogs(WEBHOOK_LOGGER, "WARNING") as logs:
                signed = self.post(deep)
        self.assertEqual((anonymous.status_code, signed.status_code), (403, 400))
        self.assertIn("nested deeper", logs.output[0])
        self.assertNotIn("Traceback", signed.text + anonymous.text)
        self.assertFalse(self.Event.search([]))

    def test_forged_deliveries_are_logged_as_a_summary_not_one_line_each(self):
        body = invoice_event("1", "Delete", "2026-01-01T10:00:00Z")
        later = 2 * WEBHOOK_REFUSALS_LOG_SECONDS
        with freeze_time("2031-03-01 10:00:00"), self.assertLogs(WEBHOOK_LOGGER) as burst:
            statuses = [self.post(body, token="forged-token").status_code for _ in range(19)]
            statuses.append(self.post(body, token=None).status_code)
        with freeze_time(f"2031-03-01 10:{later // 60:02d}:00"):
            with self.assertLogs(WEBHOOK_LOGGER) as summary:
                statuses.append(self.post(body, token="forged-token").status_code)
        self.assertEqual(statuses, [403] * 21)
        self.assertEqual([r.levelname for r in burst.records], ["WARNING"])
        self.assertEqual([r.levelname for r in summary.records], ["WARNING"])
        self.assertIn("20 deliveries refused", summary.output[0])
        self.assertFalse(self.Event.search([]))

    def test_a_delivery_survives_odoo_retrying_the_request(self):
        """A concurrent transaction (the event cron holding its row while another worker
        locks a user) deadlocks with the delivery: Odoo rolls back and runs the route
        again, which must still see the body."""
        body = invoice_event("77", "Delete", "2026-01-01T10:00:00Z")
        cron = self.env.ref("quickbooks_online.ir_cron_qbo_process_events")
        public = self.env.ref("base.public_user")
        with closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as other:
            other.execute("SELECT id FROM ir_cron WHERE id = %s FOR UPDATE NOWAIT", [cron.id])
            locker = threading.Thread(target=_deadlock_the_waiting_request, args=(other, public))
            locker.start()
            try:
                with self.assertLogs("odoo.service.model", logging.INFO) as retries:
                    response = self.post(body)
            finally:
                locker.join()
        self.assertIn("DEADLOCK_DETECTED", retries.output[0])
        self.assertEqual(response.status_code, 200)
        event = self.Event.search([("entity_id", "=", "77")])
        self.assertEqual((event.operation, event.state), ("Delete", "pending"))

    def test_an_event_dated_year_one_does_not_block_the_others(self):
        kept_order, gone_order = self.make_sale(), self.make_sale()
        kept = self.document(self.push(kept_order))
        gone = self.push_then_delete(gone_order)
        bad = invoice_event(kept["Id"], "Update", "0001-01-01T00:00:00Z")
        good = invoice_event(gone["Id"], "Delete", "2026-01-01T10:00:00Z")
        self.assertEqual([self.post(bad).status_code, self.post(good).status_code], [200, 200])
        self.process_events()
        self.assert_reverted(gone_order)
        self.assertEqual(kept_order.qbo_status, "created")
        events = {event.entity_id: event for event in self.Event.search([])}
        self.assertEqual(events[gone["Id"]].state, "done")
        self.assertEqual(events[kept["Id"]].state, "failed")
        self.assertIn("can't be right", events[kept["Id"]].error)
        # The next run has nothing left over to trip on.
        self.process_events()
        self.assertEqual(self.Event.search_count([("state", "=", "pending")]), 0)

    def test_a_connection_that_fails_does_not_block_the_others(self):
        broken = self.connect_company(
            self.env["res.company"].create({"name": "QBO Broken Settings Ltd"}), presets.GB_REALM
        )
        # Its settings went bad after it connected (no save accepts them, so straight in
        # the database): no client can be made for it.
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE qbo_connection SET environment = 'retired' WHERE id = %s", broken.id)
        )
        broken.invalidate_recordset()
        order = self.make_sale()
        invoice = self.push_then_delete(order)
        first = invoice_event("5", "Delete", "2026-01-01T09:00:00Z", realm_id=presets.GB_REALM)
        then = invoice_event(invoice["Id"], "Delete", "2026-01-01T10:00:00Z")
        self.assertEqual([self.post(first).status_code, self.post(then).status_code], [200, 200])
        with self.assertLogs("odoo.addons.quickbooks_online.services.sweep", logging.ERROR):
            self.process_events()
        self.assert_reverted(order)
        failed = self.Event.search([("connection_id", "=", broken.id)])
        self.assertEqual(failed.state, "failed")
        self.assertIn("could not be processed", failed.error)


def _deadlock_the_waiting_request(other, user):
    """Once the delivery waits for the cron row ``other`` holds, lock the user it already
    references: a deadlock PostgreSQL breaks by failing the delivery's transaction, the
    first to wait. Then let everything go, as a finished transaction would."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        other.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        if other.fetchone()[0]:
            break
        time.sleep(0.02)
    other.execute("SELECT id FROM res_users WHERE id = %s FOR UPDATE", [user.id])
    other.rollback()
