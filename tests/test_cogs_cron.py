"""Who calls QuickBooks for a COGS entry: the cron (or the *Post COGS* button), never
the ORM operation that made the entry due (the push's record of the invoice, a
delivery, the deletion sync); and the cron's run over its whole backlog."""

import hashlib
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.quickbooks_online.models import sale_order as sale_order_module
from odoo.addons.quickbooks_online.services import cogs

from .inventory import REALM, CogsCase


@tagged("post_install", "-at_install")
class TestCogsCron(CogsCase):
    def journal_requests(self, operation=None):
        return [
            r
            for r in self.sandbox.requests
            if r.entity == "JournalEntry"
            and (operation is None or r.query.get("operation") == operation)
        ]

    def cron_triggers(self):
        cron = self.env.ref("quickbooks_online.ir_cron_qbo_cogs")
        return self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])

    def test_invoice_of_a_delivered_order_leaves_the_entry_to_the_cron(self):
        order = self.make_sale([(self.goods, 2)])
        self.deliver(order)
        triggers = self.cron_triggers()
        self.sandbox.clear_requests()
        self.assertCreated(self.push(order))
        self.assertEqual(self.journal_requests(), [], "no COGS request inside the push")
        self.assertEqual(order.qbo_cogs_status, "pending")
        self.assertTrue(self.cron_triggers() - triggers, "the COGS cron was woken up")
        self.run_cron("ir_cron_qbo_cogs")
        self.assert_entry(order, 25.0)

    def test_invoice_deleted_in_quickbooks_the_cron_deletes_the_entry(self):
        order = self.make_sale([(self.goods, 1)])
        self.deliver(order)
        invoice = self.invoice(order)
        entry_id = self.assert_entry(order, 12.5)["Id"]
        self.sweep()
        self.sandbox.delete_entity(REALM, "Invoice", invoice["Id"])
        triggers = self.cron_triggers()
        self.sandbox.clear_requests()
        self.sweep()
        # The sweep only marks the order: the entry is still in QBO, the cron deletes it.
        self.assertEqual(self.journal_requests("delete"), [], "no delete inside the sweep")
        self.assertTrue(self.sandbox.store(REALM).get("JournalEntry", entry_id))
        self.assertEqual(order.qbo_status, "not_pushed")
        self.assertEqual(order.qbo_cogs_status, "pending")
        self.assertEqual(order.qbo_cogs_txn_id, entry_id)
        self.assertTrue(self.cron_triggers() - triggers, "the COGS cron was woken up")
        self.run_cron("ir_cron_qbo_cogs")
        self.assertEqual([r.status for r in self.journal_requests("delete")], [200])
        self.assertIsNone(self.sandbox.store(REALM).get("JournalEntry", entry_id))
        self.assertEqual(order.qbo_cogs_status, "none", order.qbo_cogs_error)
        self.assertFalse(order.qbo_cogs_txn_id)

    def test_a_backlog_beyond_one_batch_is_posted_in_one_scheduler_run(self):
        self.patch(sale_order_module, "COGS_BATCH", 2)
        orders = self.env["sale.order"]
        for _ in range(3):
            order = self.make_sale([(self.goods, 1)])
            self.assertCreated(self.push(order))
            self.deliver(order)
            orders |= order
        self.assertEqual(set(orders.mapped("qbo_cogs_status")), {"pending"})
        self.run_cron("ir_cron_qbo_cogs")
        for order in orders:
            self.assert_entry(order, 12.5)

    def test_throttled_cron_waits_as_quickbooks_asks(self):
        orders = self.make_sale([(self.goods, 1)]) | self.make_sale([(self.goods, 1)])
        for order in orders:
            self.assertCreated(self.push(order))
            self.deliver(order)
        triggers = self.cron_triggers()
        self.sandbox.inject("429", count=1, path="/journalentry", retry_after=600)
        self.addCleanup(self.sandbox.injector.clear)
        self.sandbox.clear_requests()
        started = fields.Datetime.now()
        self.run_cron("ir_cron_qbo_cogs")
        # One request throttled, none sent after it; the orders wait, without an error.
        self.assertEqual([r.status for r in self.journal_requests()], [429])
        self.assertEqual(set(orders.mapped("qbo_cogs_status")), {"pending"})
        self.assertEqual(orders.mapped("qbo_cogs_error"), [False, False])
        again = (self.cron_triggers() - triggers).mapped("call_at")
        self.assertTrue(again)
        self.assertGreaterEqual(min(again), started + timedelta(seconds=590))
        self.run_cron("ir_cron_qbo_cogs")
        for order in orders:
            self.assert_entry(order, 12.5)

    def test_keys_are_those_already_sent(self):
        """The request id and the entry's mark keep today's values: QBO replays by the
        one, and the connector deletes only the entries carrying the other."""
        order = self.make_sale([(self.goods, 1)])
        self.env["ir.config_parameter"].sudo().set_param("database.uuid", "db-uuid-1")
        for generation, action in ((0, "create"), (3, "delete-7")):
            order.sudo().qbo_cogs_generation = generation
            seed = f"db-uuid-1|sale.order|{order.id}|cogs|{generation}|{action}"
            self.assertEqual(
                cogs.request_id(order, action), hashlib.sha256(seed.encode()).hexdigest()[:40]
            )
        seed = f"db-uuid-1|sale.order|{order.id}|cogs-entry"
        self.assertEqual(
            cogs.marker(order), f"[odoo-cogs:{hashlib.sha256(seed.encode()).hexdigest()[:20]}]"
        )
