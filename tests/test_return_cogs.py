"""The COGS reversal of goods returned after the order's COGS entry (inventory mode)."""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.quickbooks_online.services import cogs

from .inventory import REALM, CogsCase


@tagged("post_install", "-at_install")
class TestReturnCogs(CogsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Untaxed: these tests are about the cost, not the preset's rate groups.
        cls.goods.write({"default_code": "QBO-RET-WIDGET", "taxes_id": [Command.clear()]})

    def credit_memos(self):
        return self.sandbox.store(REALM).all("CreditMemo")

    def test_return_after_the_cogs_entry_is_reversed_at_its_valued_cost(self):
        order = self.make_sale([(self.goods, 3)])
        delivery = self.deliver(order)
        self.invoice(order)
        order_entry = self.assert_entry(order, 37.5)
        credit = self.credit_of(self.return_goods(delivery, 1))
        self.assertEqual(credit.qbo_cogs_status, "pending")
        self.push_queued()
        self.assertEqual(credit.qbo_status, "created", credit.qbo_error)
        self.assertEqual(credit.qbo_cogs_status, "pending", "not posted inside the push")
        self.run_cron("ir_cron_qbo_return_cogs")
        self.assertEqual(credit.qbo_cogs_status, "posted", credit.qbo_cogs_error)
        self.assertEqual(credit.qbo_cogs_amount, 12.5)
        entry = self.sandbox.store(REALM).get("JournalEntry", credit.qbo_cogs_txn_id)
        lines = {line["JournalEntryLineDetail"]["PostingType"]: line for line in entry["Line"]}
        self.assertEqual(lines["Debit"]["Amount"], 12.5)
        self.assertEqual(lines["Credit"]["Amount"], 12.5)
        self.assertEqual(
            lines["Debit"]["JournalEntryLineDetail"]["AccountRef"]["value"],
            self.connection.inventory_account_id.qbo_id,
        )
        self.assertEqual(
            lines["Credit"]["JournalEntryLineDetail"]["AccountRef"]["value"],
            self.connection.cogs_account_id.qbo_id,
        )
        self.assertIn(cogs.marker(credit), entry["PrivateNote"])
        # The order's own entry is left as it was; the two together are the net cost.
        self.assertEqual(self.entry(order), order_entry)
        self.assertEqual(order.qbo_cogs_status, "posted")
        self.assertAlmostEqual(self.valuation(order), 25.0)
        # Once: the cron and the button send nothing more.
        self.sandbox.clear_requests()
        self.run_cron("ir_cron_qbo_return_cogs")
        credit.action_qbo_push()
        self.assertFalse([r for r in self.sandbox.requests if r.entity == "JournalEntry"])

    def test_return_before_the_cogs_entry_is_deducted_by_that_entry(self):
        order = self.make_sale([(self.goods, 3)])
        self.assertCreated(self.push(order))
        delivery = self.deliver(order, qty=2)
        credit = self.credit_of(self.return_goods(delivery, 1))
        self.assertEqual(credit.qbo_cogs_status, "none")
        self.push_queued()
        self.assertEqual(credit.qbo_status, "created", credit.qbo_error)
        self.run_cron("ir_cron_qbo_return_cogs")
        self.deliver(order)
        self.run_cron("ir_cron_qbo_cogs")
        self.assert_entry(order, 25.0)  # 2 + 1 delivered, 1 returned, at 12.50
        self.assertFalse(credit.qbo_cogs_txn_id)
        self.assertEqual(len(self.entries()), 1)
