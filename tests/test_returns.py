"""Goods returned after the invoice or bill: QBO credit memos and vendor credits.

Orders go through the real push; their deliveries, receipts and returns through
Odoo's stock operations; what QBO holds is read from the sandbox's store.
"""

from odoo.tests import tagged

from .common import HOSTILE
from .orders import QboPushCase
from .return_common import ReturnsMixin


@tagged("post_install", "-at_install")
class TestReturns(ReturnsMixin, QboPushCase):
    def invoiced_and_delivered(self, qty):
        order = self.push(self.make_sale([(self.product, qty, 40.0)]))
        self.assertCreated(order)
        return order, self.deliver(order)

    def assert_credit(self, credit, entity, party_key, party_id, qty, price):
        """``credit`` is created and QBO holds its one document, as expected."""
        self.assertEqual(credit.qbo_status, "created", credit.qbo_error)
        docs = [doc for doc in self.qbo_docs(entity) if doc["Id"] == credit.qbo_txn_id]
        self.assertEqual(len(docs), 1)
        doc = docs[0]
        self.assertEqual(doc[party_key]["value"], party_id)
        self.assertEqual(doc["PrivateNote"], credit.picking_id.name)
        items = [line for line in doc["Line"] if "Qty" in str(line)]
        self.assertEqual(len(items), 1)
        detail = next(value for key, value in items[0].items() if key.endswith("LineDetail"))
        self.assertEqual((detail["Qty"], detail["UnitPrice"]), (qty, price))
        self.assertEqual(doc["TotalAmt"], qty * price)
        self.assertEqual(credit.qbo_total, qty * price)
        self.assertIn(entity.lower(), credit.qbo_url)
        self.assertIn(credit.qbo_txn_id, credit.qbo_url)
        return doc

    # ------------------------------------------------------------------ sales
    def test_full_sale_return_becomes_a_credit_memo_from_the_cron(self):
        order, delivery = self.invoiced_and_delivered(2)
        self.sandbox.clear_requests()
        returned = self.return_goods(delivery, 2)
        credit = self.credit_of(returned)
        self.assertEqual(credit.qbo_status, "queued")
        self.assertEqual(credit.return_type, "credit_memo")
        self.assertEqual(self.api_requests(), [], "no QuickBooks call inside the stock operation")
        cron = self.env.ref("quickbooks_online.ir_cron_qbo_push")
        self.assertTrue(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]))
        self.push_queued()
        invoice = self.realm_store.get("Invoice", order.qbo_txn_id)
        self.assert_credit(
            credit, "CreditMemo", "CustomerRef", invoice["CustomerRef"]["value"], 2, 40.0
        )
        self.assertEqual(order.qbo_return_ids, credit)
        self.assertEqual(credit.qbo_cogs_status, "none", "simple mode: no cost of goods")
        self.assertIn(f"/app/creditmemo?txnId={credit.qbo_txn_id}", order.message_ids[0].body)
        # The order's invoice stays as it was.
        self.assertEqual(order.qbo_status, "created")
        self.assertEqual(invoice["TotalAmt"], 80.0)

    def test_partial_returns_make_one_credit_memo_each(self):
        order, delivery = self.invoiced_and_delivered(5)
        first = self.credit_of(self.return_goods(delivery, 2))
        second = self.credit_of(self.return_goods(delivery, 1))
        self.push_queued()
        customer = self.realm_store.get("Invoice", order.qbo_txn_id)["CustomerRef"]["value"]
        self.assert_credit(first, "CreditMemo", "CustomerRef", customer, 2, 40.0)
        self.assert_credit(second, "CreditMemo", "CustomerRef", customer, 1, 40.0)
        self.assertEqual(order.qbo_return_ids, first | second)
        self.assertEqual(len(self.qbo_docs("CreditMemo")), 2)
        # Pushing again sends nothing more.
        self.sandbox.clear_requests()
        (first | second).action_qbo_push()
        self.push_queued()
        self.assertEqual(self.api_requests(), [])

    def test_return_before_the_invoice_makes_no_credit(self):
        order = self.make_sale([(self.product, 2, 40.0)])
        returned = self.return_goods(self.deliver(order), 1)
        self.assertFalse(self.credit_of(returned), "the invoice will bill what is left")

    def test_the_button_pushes_now(self):
        _order, delivery = self.invoiced_and_delivered(3)
        credit = self.credit_of(self.return_goods(delivery, 1))
        user = self.make_qbo_user("qbo_returns_user")
        credit.with_user(user).action_qbo_push()
        credit.invalidate_recordset()
        self.assertEqual(credit.qbo_status, "created", credit.qbo_error)
        self.assertEqual(len(self.qbo_docs("CreditMemo")), 1)

    def test_credit_memo_of_an_invoice_deleted_meanwhile_says_why(self):
        order, delivery = self.invoiced_and_delivered(2)
        credit = self.credit_of(self.return_goods(delivery, 1))
        order._qbo_mark_deleted()
        self.sandbox.clear_requests()
        self.push_queued()
        self.assertEqual(credit.qbo_status, "error")
        self.assertIn("not in QuickBooks Online", credit.qbo_error)
        self.assertIn(order.name, credit.qbo_error)
        self.assertFalse(self.qbo_docs("CreditMemo"))
        self.assertEqual(self.api_requests(), [], "stopped before any call")

    # ------------------------------------------------------------------ purchases
    def test_purchase_return_becomes_a_vendor_credit(self):
        order = self.push(self.make_purchase([(self.product, 3, 20.0)]))
        self.assertCreated(order)
        receipt = self.receive(order)
        credit = self.credit_of(self.return_goods(receipt, 1))
        self.assertEqual(credit.return_type, "vendor_credit")
        self.push_queued()
        bill = self.realm_store.get("Bill", order.qbo_txn_id)
        doc = self.assert_credit(
            credit, "VendorCredit", "VendorRef", bill["VendorRef"]["value"], 1, 20.0
        )
        self.assertEqual(doc["APAccountRef"]["value"], self.connection.payable_account_id.qbo_id)
        self.assertEqual(order.qbo_return_ids, credit)
        self.assertFalse(self.qbo_docs("CreditMemo"))

    # ------------------------------------------------------------------ once
    def test_lost_answer_under_the_hostile_profile_gives_one_credit_memo(self):
        """requestid ignored, custom numbers off: only the look in QBO keeps it to one."""
        _order, delivery = self.invoiced_and_delivered(2)
        credit = self.credit_of(self.return_goods(delivery, 1))
        self.sandbox.set_profile(**HOSTILE)
        self.addCleanup(self.sandbox.set_profile)
        self.addCleanup(self.sandbox.injector.clear)
        self.connection.custom_txn_numbers = False
        self.sandbox.inject("commit_then_fail", count=1, path="/creditmemo", method="POST")
        self.sandbox.inject("500", count=5, path="/batch", method="POST")
        credit.action_qbo_push()
        credit.invalidate_recordset()
        self.assertEqual(credit.qbo_status, "error")
        self.assertEqual(len(self.qbo_docs("CreditMemo")), 1, "QBO holds the credit memo")
        self.sandbox.injector.clear()
        credit.action_qbo_push()
        credit.invalidate_recordset()
        self.assertEqual(credit.qbo_status, "created", credit.qbo_error)
        docs = self.qbo_docs("CreditMemo")
        self.assertEqual([doc["Id"] for doc in docs], [credit.qbo_txn_id])

    # ------------------------------------------------------------------ deletion
    def test_credit_memo_deleted_in_quickbooks_is_back_to_not_pushed(self):
        order, delivery = self.invoiced_and_delivered(2)
        credit = self.credit_of(self.return_goods(delivery, 2))
        self.push_queued()
        self.assertEqual(credit.qbo_status, "created", credit.qbo_error)
        self.sweep()
        memo_id = credit.qbo_txn_id
        self.sandbox.delete_entity(self.realm_id, "CreditMemo", memo_id)
        self.sweep()
        self.assertEqual(credit.qbo_status, "not_pushed")
        self.assertFalse(credit.qbo_txn_id)
        self.assertEqual(credit.qbo_generation, 1)
        self.assertIn("deleted in QuickBooks Online", order.message_ids[0].body)
        self.assertEqual(order.qbo_status, "created", "the invoice is left alone")
        # Pushed again: one new credit memo, under a new key.
        credit.action_qbo_push()
        credit.invalidate_recordset()
        self.assertEqual(credit.qbo_status, "created", credit.qbo_error)
        self.assertNotEqual(credit.qbo_txn_id, memo_id)
        self.assertEqual(len(self.realm_store.all("CreditMemo")) - len(self.known["CreditMemo"]), 1)
