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
from .config_doors import ConfigDoors
from .orders import QboOrdersMixin


@tagged("post_install", "-at_install")
class TestModeSwitch(ConfigDoors, QboSandboxMixin, QboOrdersMixin, HttpCase):
    realm_id = presets.US_REALM
    #: the rate group the setup maps the US sales taxes to
    tax_code = "Alameda"

    def item(self, product):
        store = self.realm_store
        [item] = [i for i in store.all("Item") if i.get("Sku") == product.default_code]
        return item

    def user_item(self, **payload):
        """An item made by a user in QuickBooks."""
        create = ENTITIES["Item"].create
        self.sandbox._as_user(self.realm_id, lambda ctx: create(ctx, payload))

    def switch(self, mode):
        """The administrator runs the wizard again from the connection; returns its id."""
        self.authenticate(self.qbo_admin.login, self.qbo_admin.login)
        action = self.rpc("qbo.connection", "action_qbo_open_setup", [self.connection.id])
        self.run_wizard(action["res_id"], True, True, mode)
        return action["res_id"]

    def test_switch_to_inventory_and_back(self):
        store = self.realm_store
        account = {a["Name"]: a["Id"] for a in store.all("Account")}
        self.run_wizard(self.connect(), True, True, "simple")
        ours = self.matrix_product("ours", "inventory")
        theirs = self.matrix_product("theirs", "inventory")
        tracked = self.matrix_product("tracked", "inventory")
        # Items the user made in QuickBooks before: the push matches them by SKU.
        accounts = {
            "IncomeAccountRef": {"value": account["Sales of Product Income"]},
            "ExpenseAccountRef": {"value": account["Cost of Goods Sold"]},
        }
        self.user_item(
            Name="Their widget", Sku=theirs.default_code, Type="NonInventory", **accounts
        )
        self.user_item(
            Name="Their tracked widget",
            Sku=tracked.default_code,
            Type="Inventory",
            QtyOnHand=0,
            InvStartDate="2026-01-01",
            AssetAccountRef={"value": account["Inventory Asset"]},
            **accounts,
        )
        for product in (ours, theirs, tracked):
            self.rpc_push(self.matrix_purchase(product))
        # Someone edits our item in QuickBooks meanwhile: the first update meets a 5010.
        self.sandbox.inject("5010", path="/item")
        self.assertEqual(
            self.item(ours)["ExpenseAccountRef"]["value"], account["Cost of Goods Sold"]
        )

        wizard_id = self.switch("inventory")

        # Ours now expenses purchases to the inventory asset; theirs is untouched and listed.
        self.assertEqual(self.item(ours)["ExpenseAccountRef"]["value"], account["Inventory Asset"])
        self.assertEqual(
            self.item(theirs)["ExpenseAccountRef"]["value"], account["Cost of Goods Sold"]
        )
        [wizard] = self.rpc("qbo.setup.wizard", "read", [wizard_id], ["items_notice"])
        notice = wizard["items_notice"] or ""
        updates = [r for r in self.sandbox.requests if r.method == "POST" and r.entity == "Item"]
        self.assertEqual([r.status for r in updates], [400, 200], "5010, read again, retried")
        self.assertIn("1 QuickBooks items created by Odoo", notice)
        self.assertIn('Item "Their widget"', notice)
        self.assertIn('to "Inventory Asset" instead of "Cost of Goods Sold"', notice)
        self.assertIn('Item "Their tracked widget" is an inventory item in QuickBooks', notice)
        self.assertNotIn(self.item(ours)["Name"], notice)
        chatter = self.connection.sudo().message_ids.mapped("body")
        self.assertTrue(any("Their widget" in body for body in chatter), chatter)

        # A bill of the goods debits the inventory asset; selling them moves the cost to
        # COGS once: one entry, debit COGS, credit the inventory asset.
        bill_order = self.rpc_push(self.matrix_purchase(ours))
        [line] = store.get("Bill", bill_order.qbo_txn_id)["Line"]
        item_id = line["ItemBasedExpenseLineDetail"]["ItemRef"]["value"]
        self.assertEqual(item_id, self.item(ours)["Id"])
        expensed_to = store.get("Item", item_id)["ExpenseAccountRef"]["value"]
        self.assertEqual(expensed_to, account["Inventory Asset"])
        entries_before = {e["Id"] for e in store.all("JournalEntry")}
        sale = self.matrix_sale(ours)
        self.deliver(sale)
        self.rpc_push(sale)
        self.run_cron("ir_cron_qbo_cogs")  # woken up by the push
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
