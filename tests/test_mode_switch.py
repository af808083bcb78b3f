"""Switching to *Accounting with inventory* (and back) counts the cost of goods once.

Items created in simple mode expense purchases to the purchases account. After the
switch, bills of storable goods must debit the inventory asset account, which the COGS
entries credit when the goods are sold: the items the connector created are brought in
line, the ones it only matched by SKU are listed with what to change in QuickBooks.
"""

from odoo.tests import HttpCase, tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets
from odoo.addons.quickbooks_online.qbo_sandbox.entities import ENTITIES

from .common import QboSandboxMixin
from .sync_common import QboDocumentsMixin
from .test_config_matrix import ConfigDoors


@tagged("post_install", "-at_install")
class TestModeSwitch(ConfigDoors, QboSandboxMixin, QboDocumentsMixin, HttpCase):
    realm_id = presets.US_REALM

    def item(self, product):
        store = self.sandbox.store(self.realm_id)
        [item] = [i for i in store.all("Item") if i.get("Sku") == product.default_code]
        return item

    def switch(self, mode):
        """The administrator runs the wizard again from the connection; returns its notice."""
        self.authenticate(self.qbo_admin.login, self.qbo_admin.login)
        action = self.rpc("qbo.connection", "action_qbo_open_setup", [self.connection.id])
        self.run_wizard(action["res_id"], True, True, mode)
        [wizard] = self.rpc("qbo.setup.wizard", "read", [action["res_id"]], ["items_notice"])
        return wizard["items_notice"] or ""

    def test_switch_to_inventory_and_back(self):
        store = self.sandbox.store(self.realm_id)
        account = {a["Name"]: a["Id"] for a in store.all("Account")}
        self.run_wizard(self.connect(), True, True, "simple")
        ours = self.make_product("ours", "inventory")
        theirs = self.make_product("theirs", "inventory")
        # An item the user made in QuickBooks before: the push matches it by SKU.
        self.sandbox._as_user(
            self.realm_id,
            lambda ctx: ENTITIES["Item"].create(
                ctx,
                {
                    "Name": "Their widget",
                    "Sku": theirs.default_code,
                    "Type": "NonInventory",
                    "IncomeAccountRef": {"value": account["Sales of Product Income"]},
                    "ExpenseAccountRef": {"value": account["Cost of Goods Sold"]},
                },
            ),
        )
        self.push(self.make_purchase(ours))
        self.push(self.make_purchase(theirs))
        self.assertEqual(
            self.item(ours)["ExpenseAccountRef"]["value"], account["Cost of Goods Sold"]
        )

        notice = self.switch("inventory")

        # Ours now expenses purchases to the inventory asset; theirs is untouched and listed.
        self.assertEqual(self.item(ours)["ExpenseAccountRef"]["value"], account["Inventory Asset"])
        self.assertEqual(
            self.item(theirs)["ExpenseAccountRef"]["value"], account["Cost of Goods Sold"]
        )
        self.assertIn("1 QuickBooks items created by Odoo", notice)
        self.assertIn('Item "Their widget"', notice)
        self.assertIn('to "Inventory Asset" instead of "Cost of Goods Sold"', notice)
        self.assertNotIn(self.item(ours)["Name"], notice)
        chatter = self.connection.sudo().message_ids.mapped("body")
        self.assertTrue(any("Their widget" in body for body in chatter), chatter)

        # A bill of the goods debits the inventory asset; selling them moves the cost to
        # COGS once: one entry, debit COGS, credit the inventory asset.
        bill_order = self.push(self.make_purchase(ours))
        [line] = store.get("Bill", bill_order.qbo_txn_id)["Line"]
        item_id = line["ItemBasedExpenseLineDetail"]["ItemRef"]["value"]
        self.assertEqual(item_id, self.item(ours)["Id"])
        expensed_to = store.get("Item", item_id)["ExpenseAccountRef"]["value"]
        self.assertEqual(expensed_to, account["Inventory Asset"])
        entries_before = {e["Id"] for e in store.all("JournalEntry")}
        sale = self.make_sale(ours)
        self.deliver(sale)
        self.push(sale)
        self.assertEqual(sale.qbo_cogs_status, "posted", sale.qbo_cogs_error)
        [entry] = [e for e in store.all("JournalEntry") if e["Id"] not in entries_before]
        postings = {
            (
                line["JournalEntryLineDetail"]["PostingType"],
                line["JournalEntryLineDetail"]["AccountRef"]["value"],
            ): line["Amount"]
            for line in entry["Line"]
        }
        self.assertEqual(
            postings,
            {
                ("Debit", account["Cost of Goods Sold"]): 20.0,
                ("Credit", account["Inventory Asset"]): 20.0,
            },
        )

        # Back to simple accounting: purchases are expensed again, nothing stays on the asset.
        self.switch("simple")
        self.assertEqual(
            self.item(ours)["ExpenseAccountRef"]["value"], account["Cost of Goods Sold"]
        )
