"""Two real transactions pushing orders of one new customer, and what each leaves committed.

These need real, separate transactions: each test commits its connection, customer,
product and order, and removes them at the end.
"""

import threading
import time

from odoo import Command, api
from odoo.exceptions import ConcurrencyError
from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboCommittedCase
from .sandbox_setup import connect_company


@tagged("post_install", "-at_install")
class TestConcurrentPushes(QboCommittedCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tz": "UTC"})
            company = env.ref("base.main_company")
            connection = connect_company(env, self.sandbox, company, presets.US_REALM)
            partner = env["res.partner"].create({"name": "Concurrent Customer"})
            product = env["product.product"].create(
                {"name": "Concurrent Lamp", "default_code": "CONC-1", "type": "consu"}
            )
            order = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": 1, "price_unit": 10.0}
                        )
                    ],
                }
            )
            order.order_line.tax_ids = False
            # a confirmed order, without the pickings a confirmation makes
            cr.execute(
                "UPDATE sale_order SET state = 'sale', qbo_status = 'queued' WHERE id = %s",
                [order.id],
            )
            self.ids = {
                "connection": connection.id,
                "partner": partner.id,
                "product": product.id,
                "order": order.id,
            }
        self.addCleanup(self.cleanup)

    def cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            cr.execute("DELETE FROM qbo_push_intent WHERE res_id = %s", [self.ids["order"]])
            cr.execute("DELETE FROM sale_order WHERE id = %s", [self.ids["order"]])
            env["qbo.connection"].browse(self.ids["connection"]).unlink()
            env["product.product"].browse(self.ids["product"]).unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()

    def transaction(self):
        """A transaction that has begun (its snapshot taken), as a push's request has."""
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        cr.execute("SELECT 1")
        return api.Environment(cr, api.SUPERUSER_ID, {"tz": "UTC"})

    def other_push_links_the_customer(self, commit_after=0):
        """Another push, of another order of the customer, links it and commits (after
        ``commit_after`` seconds: meanwhile the link is written, not committed).

        :return: the thread of the other push, once the link is written
        """
        written = threading.Event()

        def other_push():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                env["qbo.link"].create(
                    {
                        "connection_id": self.ids["connection"],
                        "res_model": "res.partner",
                        "res_id": self.ids["partner"],
                        "qbo_entity": "Customer",
                        "qbo_id": "1",
                    }
                )
                env.flush_all()
                written.set()
                time.sleep(commit_after)

        thread = threading.Thread(target=other_push)
        thread.start()
        self.addCleanup(thread.join)
        written.wait(10)
        if not commit_after:
            thread.join()
        return thread

    def committed(self, model, record_id, field):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            return env[model].browse(record_id)[field]

    def test_button_push_meeting_another_push_link_is_run_again(self):
        """The second push of a new customer meets the first one's link: Odoo runs the
        request again (ConcurrencyError), the user never sees "duplicate key"."""
        env = self.transaction()
        self.other_push_links_the_customer()
        order = env["sale.order"].browse(self.ids["order"])
        with self.assertRaises(ConcurrencyError):
            order.action_qbo_push()
        env.cr.rollback()
        self.assertEqual(self.committed("sale.order", self.ids["order"], "qbo_status"), "queued")

    def test_cron_chunk_meeting_another_push_link_stays_queued(self):
        """The background push's chunk meets another push's link (written before the
        chunk's insert, committed after): the chunk is rolled back to its savepoint and
        left queued for a new run; the job does not fail."""
        env = self.transaction()
        cron = env.ref("quickbooks_online.ir_cron_qbo_push")
        triggers = env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        # The job commits as it starts: the other push commits once the job has begun.
        other = self.other_push_links_the_customer(commit_after=2)
        env["qbo.push.intent"]._cron_push_queued()  # raised the conflict before
        other.join()
        self.assertEqual(self.committed("sale.order", self.ids["order"], "qbo_status"), "queued")
        self.assertFalse(self.committed("sale.order", self.ids["order"], "qbo_error"))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            self.assertGreater(
                env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers
            )

    def test_push_rolled_back_leaves_only_its_intent(self):
        """The push commits nothing of its own: a request rolled back after it leaves the
        order as it was, but the intent, committed in its own transaction before the
        create, makes the next push look in QBO first and link the invoice made."""
        env = self.transaction()
        order = env["sale.order"].browse(self.ids["order"])
        order.action_qbo_push()
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        txn_id = order.qbo_txn_id
        env.cr.rollback()
        self.assertEqual(self.committed("sale.order", self.ids["order"], "qbo_status"), "queued")
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM qbo_push_intent WHERE res_id = %s", [order.id])
            self.assertEqual(cr.fetchone()[0], 1)
        env = self.transaction()
        order = env["sale.order"].browse(self.ids["order"])
        order.action_qbo_push()
        self.assertEqual((order.qbo_status, order.qbo_txn_id), ("created", txn_id))
        env.cr.rollback()
