from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from ..services.send import document_key
from .orders import QboPushCase

REALM = presets.US_REALM


@tagged("post_install", "-at_install")
class TestDeletionThenPushAgain(QboPushCase):
    """With the real push: a deleted invoice comes back as *Not invoiced*, and pushing
    again creates a new invoice (a new idempotency generation, not a replay)."""

    def test_push_delete_push_again(self):
        order = self.make_sale()
        order.action_qbo_push()
        first_id, first_key = order.qbo_txn_id, document_key(order)
        self.assertEqual(order.qbo_status, "created")
        self.sweep()
        self.sandbox.delete_entity(REALM, "Invoice", first_id)
        self.sweep()
        self.assertEqual(order.qbo_status, "not_pushed")
        self.assertNotEqual(document_key(order), first_key)
        self.sandbox.clear_requests()
        order.action_qbo_push()
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        self.assertNotEqual(order.qbo_txn_id, first_id)
        self.assertEqual(
            [i["Id"] for i in self.sandbox.store(REALM).all("Invoice") if i["Id"] == first_id],
            [],
        )
        self.assertTrue(self.sandbox.store(REALM).get("Invoice", order.qbo_txn_id))

    def test_payment_after_the_push(self):
        order = self.make_sale()
        order.action_qbo_push()
        self.sweep()
        self.sandbox.add_payment(REALM, order.qbo_txn_id, order.qbo_total / 2)
        self.sweep()
        self.assertEqual(order.qbo_payment_status, "partial")
        self.assertEqual(order.qbo_balance, order.qbo_total / 2)
