from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .orders import QboPushCase


@tagged("post_install", "-at_install")
class TestPushCron(QboPushCase):
    """The background push run by Odoo's cron runner, as the scheduler runs it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("quickbooks_online.ir_cron_qbo_push")

    def test_throttled_cron_waits_for_qbo_retry_after(self):
        """QBO says "wait 600 s": the job ends with nothing reported remaining (else Odoo
        would run it again at once) and a trigger at Retry-After; the orders stay queued."""
        self.warm_up()
        sale, purchase = self.make_sale(), self.make_purchase()
        sale.action_qbo_push_queue()
        purchase.action_qbo_push_queue()
        self.sandbox.inject("429", count=1, path="/batch", retry_after=600)
        before = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        start = fields.Datetime.now()
        self.cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual((sale.qbo_status, purchase.qbo_status), ("queued", "queued"))
        self.assertEqual(self.qbo_docs("Invoice") + self.qbo_docs("Bill"), [])
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", self.cron.id)], order="id desc", limit=1
        )
        self.assertEqual(progress.remaining, 0)
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]) - before
        self.assertTrue(
            any(
                start + timedelta(seconds=590) <= t.call_at <= start + timedelta(seconds=610)
                for t in triggers
            ),
            triggers.mapped("call_at"),
        )
        self.assertFalse(
            triggers.filtered(lambda t: t.call_at < start + timedelta(seconds=590)),
            "no run before QBO's Retry-After",
        )
