"""The addon's fields on orders, attacked over JSON-RPC by people who may edit the order."""

import uuid

from odoo.tests import tagged

from .security_common import QboRolesCase

#: a value for each of the addon's own order fields that would change what is pushed
TAMPERING = {
    "qbo_status": "queued",
    "qbo_txn_id": "999",
    "qbo_doc_number": "X-1",
    "qbo_generation": 7,
    "qbo_refusals": 3,
    "qbo_error": False,
    "qbo_pushed_at": "2020-01-01 00:00:00",
    "qbo_total": 1.0,
    "qbo_balance": 0.0,
    "qbo_payment_status": "paid",
    "qbo_amount_warning": "none",
    "qbo_push_key": "replayed-key",
}


@tagged("post_install", "-at_install")
class TestOrderFields(QboRolesCase):
    def invoices_of(self, order):
        return [
            doc for doc in self.realm_store.all("Invoice") if doc.get("PrivateNote") == order.name
        ]

    def test_salesperson_cannot_queue_an_order_for_the_push(self):
        order = self.make_sale(user_id=self.users["salesperson"].id)
        self.assert_refused(
            "salesperson", "sale.order", "write", [order.id], {"qbo_status": "queued"}
        )
        self.assertEqual(order.qbo_status, "not_pushed")
        self.push_queued()
        self.assertEqual(self.invoices_of(order), [])
        # The button is refused too: only QuickBooks users push, and their button works.
        self.assert_refused("salesperson", "sale.order", "action_qbo_push_queue", [order.id])
        self.rpc("qbo_user", "sale.order", "action_qbo_push_queue", [order.id])
        self.assertEqual(order.qbo_status, "queued")
        self.push_queued()
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        self.assertEqual(len(self.invoices_of(order)), 1)

    def test_no_field_of_the_addon_is_writable_on_orders(self):
        purchase = self.make_purchase()
        for role in ("salesperson", "qbo_user", "qbo_admin", "system_admin"):
            orders = [self.make_sale(user_id=self.users[role].id)] + (
                [] if role == "salesperson" else [purchase]
            )
            for order in orders:
                for name, value in TAMPERING.items():
                    with self.subTest(role=role, model=order._name, field=name):
                        self.assert_refused(role, order._name, "write", [order.id], {name: value})
                self.assertEqual(order.qbo_status, "not_pushed")
                self.assertFalse(order.qbo_push_key or order.qbo_txn_id or order.qbo_generation)

    def test_creating_an_order_cannot_set_the_addons_fields(self):
        values = {"partner_id": self.customer.id, "user_id": self.users["salesperson"].id}
        self.assert_refused(
            "salesperson", "sale.order", "create", [dict(values, qbo_status="queued")]
        )
        self.assert_refused(
            "salesperson",
            "sale.order",
            "create",
            [values],
            context={"default_qbo_status": "queued", "default_qbo_txn_id": "1"},
        )
        self.assertFalse(self.env["sale.order"].search([("qbo_status", "=", "queued")]))

    def test_quickbooks_user_cannot_push_a_duplicate_invoice(self):
        order = self.make_sale(user_id=self.users["qbo_user"].id)
        self.rpc("qbo_user", "sale.order", "action_qbo_push", [order.id])
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        # Bump the generation (a new request id) and queue the order again.
        self.assert_refused(
            "qbo_user",
            "sale.order",
            "write",
            [order.id],
            {"qbo_generation": order.qbo_generation + 1, "qbo_status": "queued"},
        )
        self.assert_refused("qbo_user", "sale.order", "write", [order.id], {"qbo_status": "error"})
        self.rpc("qbo_user", "sale.order", "action_qbo_push", [order.id])
        self.push_queued()
        self.assertEqual(len(self.invoices_of(order)), 1)

    def test_quickbooks_user_cannot_link_an_order_to_another_invoice(self):
        first = self.make_sale(user_id=self.users["qbo_user"].id)
        self.rpc("qbo_user", "sale.order", "action_qbo_push", [first.id])
        second = self.make_sale(user_id=self.users["qbo_user"].id)
        self.assert_refused(
            "qbo_user",
            "sale.order",
            "write",
            [second.id],
            {"qbo_status": "created", "qbo_txn_id": first.qbo_txn_id},
        )
        self.assertFalse(second.qbo_txn_id)


@tagged("post_install", "-at_install")
class TestCogsFields(QboRolesCase):
    """A journal entry made by hand in QBO is never deleted by the addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connection.accounting_mode = "inventory"

    def hand_made_entry(self):
        """A journal entry a QBO user keyed in by hand (not from Odoo)."""
        accounts = self.connection.cogs_account_id | self.connection.inventory_account_id
        lines = [
            {
                "DetailType": "JournalEntryLineDetail",
                "Amount": 1234.0,
                "JournalEntryLineDetail": {
                    "PostingType": posting,
                    "AccountRef": {"value": account.qbo_id},
                },
            }
            for posting, account in zip(("Debit", "Credit"), accounts, strict=True)
        ]
        return self.connection._qbo_client().create(
            "JournalEntry",
            {"DocNumber": f"ADJ-{uuid.uuid4().hex[:6]}", "Line": lines},
            uuid.uuid4().hex,
        )

    def invoiced_order(self):
        order = self.make_sale(user_id=self.users["salesperson"].id)
        self.assertCreated(self.push(order))
        return order

    def test_salesperson_cannot_aim_the_cogs_cron_at_an_entry(self):
        entry = self.hand_made_entry()
        order = self.invoiced_order()
        for values in (
            {"qbo_cogs_status": "pending", "qbo_cogs_txn_id": entry["Id"]},
            {"qbo_cogs_txn_id": entry["Id"]},
            {"qbo_cogs_invoice_id": "1"},
            {"qbo_cogs_generation": 3},
        ):
            with self.subTest(values=values):
                self.assert_refused("salesperson", "sale.order", "write", [order.id], values)
        self.assertFalse(order.qbo_cogs_txn_id)
        self.run_cron("ir_cron_qbo_cogs")
        self.assertTrue(self.realm_store.get("JournalEntry", entry["Id"]))

    def test_salesperson_cannot_post_cogs(self):
        order = self.invoiced_order()
        self.sandbox.clear_requests()
        self.assert_refused("salesperson", "sale.order", "action_qbo_post_cogs", [order.id])
        self.assertEqual(self.all_requests(), [])

    def test_an_entry_the_addon_did_not_post_is_never_deleted(self):
        """Even when an order names it (data from before this check, or changed in the
        database), an entry without the order's mark stays in QBO."""
        entry = self.hand_made_entry()
        order = self.invoiced_order()
        order.sudo().write({"qbo_cogs_status": "pending", "qbo_cogs_txn_id": entry["Id"]})
        self.sandbox.clear_requests()
        self.run_cron("ir_cron_qbo_cogs")
        self.assertTrue(self.realm_store.get("JournalEntry", entry["Id"]))
        self.assertEqual([r.method for r in self.sandbox.requests], ["GET"])
        self.assertEqual(order.qbo_cogs_status, "error")
        self.assertIn("not posted by Odoo", order.qbo_cogs_error)


@tagged("post_install", "-at_install")
class TestCacheRecords(QboRolesCase):
    def test_nobody_deletes_the_links_to_quickbooks_over_rpc(self):
        order = self.make_sale(user_id=self.users["qbo_user"].id)
        self.rpc("qbo_user", "sale.order", "action_qbo_push", [order.id])
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        links = self.env["qbo.link"].search([("connection_id", "=", self.connection.id)])
        self.assertTrue(links)
        for role in ("qbo_user", "qbo_admin", "system_admin"):
            with self.subTest(role=role):
                self.assert_refused(role, "qbo.link", "unlink", links.ids)
        self.assertTrue(links.exists() == links)
        # The next order of the same customer reuses the QuickBooks customer it is linked to.
        customers = len(self.realm_store.all("Customer"))
        second = self.make_sale(user_id=self.users["qbo_user"].id)
        self.rpc("qbo_user", "sale.order", "action_qbo_push", [second.id])
        self.assertEqual(second.qbo_status, "created", second.qbo_error)
        self.assertEqual(len(self.realm_store.all("Customer")), customers)
