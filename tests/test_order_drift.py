"""An order changed or cancelled after its push: flagged, updated in QBO, voided."""

import json

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .orders import QboHttpCase, QboPushCase


def _ids(document):
    return {"Id": document["Id"], "SyncToken": document["SyncToken"]}


def item_qty(document):
    return [
        line[line["DetailType"]]["Qty"]
        for line in document["Line"]
        if line.get("DetailType") in ("SalesItemLineDetail", "ItemBasedExpenseLineDetail")
    ]


@tagged("post_install", "-at_install")
class TestOrderDrift(QboPushCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qbo_user = cls.make_qbo_user("qbo_drift_user")

    def pushed_sale(self, qty=6):
        order = self.push(self.make_sale(lines=[(self.product, qty, 40.0)]))
        self.assertCreated(order)
        self.assertFalse(order.qbo_changed)
        self.sandbox.clear_requests()
        return order

    def writes(self, entity):
        return [
            r
            for r in self.api_requests()
            if r.method == "POST" and r.path.lower().endswith("/" + entity)
        ]

    # ------------------------------------------------------------------ changed since pushed
    def test_quantity_change_is_flagged_with_the_difference(self):
        order = self.pushed_sale()
        order.order_line.product_uom_qty = 99
        self.assertTrue(order.qbo_changed)
        self.assertIn("Quantity of [LAMP-01] Desk Lamp: 6.0 → 99.0", order.qbo_changes)
        self.assertIn("Total: $\xa0240.00 → $\xa03,960.00", order.qbo_changes)
        self.assertEqual(order.qbo_status, "created")
        # the list filter finds it
        self.assertIn(order, self.env["sale.order"].search([("qbo_changed", "=", True)]))

    def test_added_line_is_flagged_then_sent(self):
        order = self.pushed_sale()
        order.write({"order_line": [self._command(self.service, 2, 25.0)]})
        self.assertIn("Line added: [SRV-ASM] Assembly × 2.0", order.qbo_changes)
        order.with_user(self.qbo_user).action_qbo_update()
        self.assertEqual(item_qty(self.document(order)), [6, 2])
        self.assertEqual(self.document(order)["TotalAmt"], 290.0)
        self.assertFalse(order.qbo_changed)

    def test_update_sends_the_new_quantity_over_the_same_invoice(self):
        order = self.pushed_sale()
        # the accountant added a message for the customer in QuickBooks
        client = self.connection._qbo_client()
        invoice = self.document(order)
        memo = {"value": "Thank you for your business"}
        client.update("Invoice", {**_ids(invoice), "CustomerMemo": memo}, "drift-memo-1")
        token = self.document(order)["SyncToken"]
        order.order_line.product_uom_qty = 99
        self.sandbox.clear_requests()
        order.with_user(self.qbo_user).action_qbo_update()
        order.invalidate_recordset()
        invoice = self.document(order)
        self.assertEqual(item_qty(invoice), [99])
        self.assertEqual(invoice["TotalAmt"], 3960.0)
        self.assertEqual(int(invoice["SyncToken"]), int(token) + 1)
        self.assertEqual(len(self.qbo_docs()), 1, "no second invoice")
        self.assertEqual(len(self.writes("invoice")), 1)
        self.assertEqual(invoice["CustomerMemo"], memo, "a sparse update keeps it")
        self.assertFalse(order.qbo_changed)
        self.assertEqual(order.qbo_total, 3960.0)
        self.assertFalse(order.qbo_error)
        self.assertIn("Quantity of [LAMP-01] Desk Lamp", order.message_ids[0].body)

    def test_update_reads_again_and_retries_once_on_a_stale_token(self):
        order = self.pushed_sale()
        order.order_line.product_uom_qty = 10
        self.sandbox.inject("5010", count=1, path="/invoice", method="POST")
        order.with_user(self.qbo_user).action_qbo_update()
        order.invalidate_recordset()
        self.assertEqual(item_qty(self.document(order)), [10])
        self.assertEqual(len(self.writes("invoice")), 2)
        self.assertFalse(order.qbo_changed)

    def test_paid_invoice_is_not_updated(self):
        order = self.pushed_sale()
        self.sandbox.add_payment(self.realm_id, order.qbo_txn_id, 100.0)
        order.order_line.product_uom_qty = 99
        action = order.with_user(self.qbo_user).action_qbo_update()
        order.invalidate_recordset()
        self.assertEqual(item_qty(self.document(order)), [6])
        self.assertEqual(self.writes("invoice"), [])
        self.assertIn("already has a payment", order.qbo_error)
        self.assertIn("credit memo", action["params"]["message"])
        self.assertEqual(order.qbo_status, "created")
        self.assertEqual(order.qbo_payment_status, "partial")
        self.assertTrue(order.qbo_changed, "the difference stays visible")

    def test_update_of_an_invoice_deleted_in_quickbooks_puts_the_order_back(self):
        order = self.pushed_sale()
        invoice = self.document(order)
        self.connection._qbo_client().delete("Invoice", invoice["Id"], invoice["SyncToken"], "d1")
        order.order_line.product_uom_qty = 9
        action = order.with_user(self.qbo_user).action_qbo_update()
        order.invalidate_recordset()
        self.assertIn("was deleted in QuickBooks Online", action["params"]["message"])
        self.assertEqual(order.qbo_status, "not_pushed")
        self.assertFalse(order.qbo_changed)
        self.assertEqual(self.qbo_docs(), [], "nothing created behind the user's back")

    # ------------------------------------------------------------------ cancel
    def test_cancel_voids_the_invoice(self):
        order = self.pushed_sale()
        order.with_user(self.qbo_user).action_cancel()
        order.invalidate_recordset()
        invoice = self.document(order)
        self.assertEqual(invoice["TotalAmt"], 0)
        self.assertTrue(invoice["PrivateNote"].startswith("Voided"))
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.qbo_status, "voided")
        self.assertFalse(order.qbo_changed)

    def test_cancel_of_a_paid_invoice_is_refused(self):
        order = self.pushed_sale()
        self.sandbox.add_payment(self.realm_id, order.qbo_txn_id, 240.0)
        with self.assertRaisesRegex(UserError, "remove or refund the payment"):
            order.with_user(self.qbo_user).action_cancel()
        self.assertEqual(self.document(order)["TotalAmt"], 240.0)
        self.assertEqual(self.writes("invoice"), [])

    # ------------------------------------------------------------------ purchase orders
    def test_purchase_order_update_then_cancel_deletes_the_bill(self):
        order = self.push(self.make_purchase(lines=[(self.product, 3, 20.0)]))
        self.assertCreated(order)
        order.order_line.product_qty = 7
        self.assertIn("Quantity of [LAMP-01] Desk Lamp: 3.0 → 7.0", order.qbo_changes)
        order.with_user(self.qbo_user).action_qbo_update()
        order.invalidate_recordset()
        self.assertEqual(item_qty(self.document(order)), [7])
        self.assertEqual(self.document(order)["TotalAmt"], 140.0)
        self.assertFalse(order.qbo_changed)
        bill_id = order.qbo_txn_id
        order.with_user(self.qbo_user).button_cancel()
        order.invalidate_recordset()
        self.assertIsNone(self.realm_store.get("Bill", bill_id))
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.qbo_status, "not_pushed")
        self.assertIn("deleted in QuickBooks Online", order.message_ids[0].body)

    def test_cancel_of_a_paid_bill_is_refused(self):
        order = self.push(self.make_purchase())
        self.sandbox.add_bill_payment(self.realm_id, order.qbo_txn_id, 10.0)
        with self.assertRaisesRegex(UserError, "remove or refund the payment"):
            order.with_user(self.qbo_user).button_cancel()
        self.assertTrue(self.realm_store.get("Bill", order.qbo_txn_id))

    @staticmethod
    def _command(product, qty, price):
        return (0, 0, {"product_id": product.id, "product_uom_qty": qty, "price_unit": price})


@tagged("post_install", "-at_install")
class TestOrderDriftRpc(QboHttpCase):
    """Through the web client's door: only QuickBooks users update, or cancel a pushed order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chair = cls.env["product.product"].create(
            {
                "name": "Drift Fitting",
                "default_code": "DRIFT-01",
                "list_price": 30.0,
                "type": "service",
                # untaxed: the US company is on rate groups, taxes are another test's matter
                "taxes_id": [Command.clear()],
            }
        )
        new_test_user(
            cls.env,
            login="drift_salesman",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
        )
        new_test_user(
            cls.env,
            login="drift_qbo_user",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,"
            "quickbooks_online.group_qbo_user",
        )

    def pushed_order(self):
        order = self.make_sale([(self.chair, 6)])
        order.action_qbo_push()
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        return order

    def call_as_salesman(self, method, order, login="drift_salesman"):
        """``method`` of the order over JSON-RPC as the salesperson; the decoded answer."""
        self.authenticate(login, login)
        params = {"model": "sale.order", "method": method, "args": [order.ids], "kwargs": {}}
        response = self.url_open(
            f"/web/dataset/call_kw/sale.order/{method}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        return response.json()

    def test_salesperson_without_quickbooks_group_cannot_update(self):
        order = self.pushed_order()
        order.order_line.product_uom_qty = 99
        self.assertTrue(order.qbo_changed)
        token = self.document(order)["SyncToken"]
        answer = self.call_as_salesman("action_qbo_update", order)
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertIn("Only QuickBooks users", answer["error"]["data"]["message"])
        self.assertEqual(self.document(order)["SyncToken"], token)
        self.assertEqual(item_qty(self.document(order)), [6])

    def test_only_a_quickbooks_user_cancels_a_pushed_order(self):
        """Cancelling voids the invoice in the books: a salesperson without the QuickBooks
        group is told to ask a QuickBooks user, and nothing changes in QuickBooks."""
        order = self.pushed_order()
        answer = self.call_as_salesman("action_cancel", order)
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError")
        self.assertIn("QuickBooks user", answer["error"]["data"]["message"])
        self.assertEqual(order.state, "sale")
        self.assertFalse(self.document(order)["PrivateNote"].startswith("Voided"))
        answer = self.call_as_salesman("action_cancel", order, login="drift_qbo_user")
        self.assertNotIn("error", answer)
        self.assertTrue(self.document(order)["PrivateNote"].startswith("Voided"))
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.qbo_status, "voided")

    def test_quickbooks_user_cannot_cancel_a_paid_order(self):
        order = self.pushed_order()
        self.sandbox.add_payment(self.realm_id, order.qbo_txn_id, 30.0)
        answer = self.call_as_salesman("action_cancel", order, login="drift_qbo_user")
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError")
        self.assertIn("remove or refund the payment", answer["error"]["data"]["message"])
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.document(order)["TotalAmt"], 180.0)
