"""Cancelling or deleting an order whose invoice or bill is open in QuickBooks Online.

Odoo would forget the order while QBO keeps the document and what it says is owed;
the document is voided (or deleted) in QBO first, and the order may then be cancelled.
"""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .security_common import QboRolesCase


@tagged("post_install", "-at_install")
class TestOrderCancel(QboRolesCase):
    def push(self, model, order):
        self.rpc("qbo_user", model, "action_qbo_push", [order.id])
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        return self.sandbox.store(self.realm_id).get(order._qbo_entity, order.qbo_txn_id)

    def test_an_invoiced_sale_is_cancelled_after_its_invoice(self):
        order = self.make_order()
        invoice = self.push("sale.order", order)
        self.assert_refused(
            "qbo_user", "sale.order", "action_cancel", [order.id], exception="UserError"
        )
        self.assertEqual(order.state, "sale")
        with self.assertRaises(UserError):
            order.unlink()
        self.assertTrue(order.exists())
        stored = self.sandbox.store(self.realm_id).get("Invoice", invoice["Id"])
        self.assertEqual(stored["Balance"], invoice["TotalAmt"])
        # Voided in QBO: the order hears of it and may be cancelled.
        self.sandbox.void_entity(self.realm_id, "Invoice", invoice["Id"])
        self.sweep()
        self.assertEqual(order.qbo_status, "voided")
        self.rpc("qbo_user", "sale.order", "action_cancel", [order.id])
        self.assertEqual(order.state, "cancel")

    def test_a_billed_purchase_is_not_cancelled(self):
        order = self.make_purchase_order()
        bill = self.push("purchase.order", order)
        self.assert_refused(
            "qbo_user", "purchase.order", "button_cancel", [order.id], exception="UserError"
        )
        self.assertEqual(order.state, "purchase")
        self.assertTrue(self.sandbox.store(self.realm_id).get("Bill", bill["Id"]))
