"""Every way of cancelling a pushed order withdraws its QuickBooks document, or is refused.

The Cancel button voids the invoice (deletes the bill); the mass cancel of the sales list
does the same; writing the state directly over RPC would skip the withdrawal, so it is
refused while the document is open in QuickBooks Online.
"""

from odoo.tests import tagged

from .security_common import QboRolesCase


@tagged("post_install", "-at_install")
class TestOrderCancel(QboRolesCase):
    def assert_cancel_refused(self, role, order):
        """``role`` writes the cancelled state on ``order`` over RPC: refused."""
        self.assert_refused(
            role, order._name, "write", [order.id], {"state": "cancel"}, exception="UserError"
        )

    def test_writing_the_state_cannot_leave_the_invoice_open(self):
        for role in ("salesperson", "qbo_user", "system_admin"):
            with self.subTest(role=role):
                order = self.make_sale(user_id=self.users[role].id)
                invoice = self.document(self.rpc_push(order))
                self.assert_cancel_refused(role, order)
                self.assertEqual(order.state, "sale")
                stored = self.realm_store.get("Invoice", invoice["Id"])
                self.assertEqual(stored["Balance"], invoice["TotalAmt"])

    def test_writing_the_state_cannot_leave_the_bill_open(self):
        order = self.make_purchase()
        bill = self.document(self.rpc_push(order))
        self.assert_cancel_refused("qbo_user", order)
        self.assertEqual(order.state, "purchase")
        self.assertTrue(self.realm_store.get("Bill", bill["Id"]))

    def test_the_mass_cancel_voids_the_invoices(self):
        order = self.make_sale(user_id=self.users["qbo_user"].id)
        invoice = self.document(self.rpc_push(order))
        wizard = self.rpc(
            "qbo_user", "sale.mass.cancel.orders", "create", [{"sale_order_ids": [order.id]}]
        )
        self.rpc("qbo_user", "sale.mass.cancel.orders", "action_mass_cancel", wizard)
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.qbo_status, "voided")
        stored = self.realm_store.get("Invoice", invoice["Id"])
        self.assertTrue(stored["PrivateNote"].startswith("Voided"))
