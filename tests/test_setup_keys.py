"""The keys the setup sends to QBO stay what they were: a retry after an upgrade must
send the same ``requestid`` as the attempt before it."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.quickbooks_online.services.item_alignment import item_expense_key


@tagged("post_install", "-at_install")
class TestSetupKeys(TransactionCase):
    def test_item_expense_key_is_pinned(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "database.uuid", "5f0c3c9e-1111-4222-8333-944455556666"
        )
        connection = self.env["qbo.connection"].browse(7)
        account = self.env["qbo.account"].new({"qbo_id": "84"})
        row = {"Id": "31", "SyncToken": "4", "Name": "Widget"}
        key = item_expense_key(connection, row, account)
        self.assertEqual(key, "x0b8b4fe862887f7153b03f35166835c")
        self.assertEqual(len(key), 32)
        row["SyncToken"] = "5"
        self.assertNotEqual(item_expense_key(connection, row, account), key)
