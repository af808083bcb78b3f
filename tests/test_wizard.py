"""The setup wizard's screens against the sandbox, for a US and a GB QuickBooks company."""

from ast import literal_eval

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboCase


class WizardCase(QboCase):
    def setUp(self):
        super().setUp()
        self.connection.setup_done = False
        self.wizard = self.env["qbo.setup.wizard"].create({"connection_id": self.connection.id})

    def account(self, name):
        return self.env["qbo.account"].search(
            [("connection_id", "=", self.connection.id), ("name", "=", name)]
        )

    def fill_ledger(self, mode="simple"):
        self.wizard.action_overview_continue()
        self.assertEqual(self.wizard.state, "ledger")
        self.wizard.write(
            {
                "sync_sales": True,
                "sync_purchases": True,
                "accounting_mode": mode,
                "income_account_id": self.account("Sales of Product Income").id,
                "purchase_account_id": self.account("Cost of Goods Sold").id,
                "payable_account_id": self.account("Accounts Payable (A/P)").id,
                "cogs_account_id": self.account("Cost of Goods Sold").id,
                "inventory_account_id": self.account("Inventory Asset").id,
            }
        )


@tagged("post_install", "-at_install")
class TestWizardUS(WizardCase):
    def test_ledger_requires_accounts_and_us_skips_taxes(self):
        # On automated sales tax (rate-group companies map their taxes: test_us_rate_groups)
        self.sandbox.set_preferences(self.realm_id, automated_sales_tax=True)
        self.addCleanup(self.sandbox.set_preferences, self.realm_id, automated_sales_tax=False)
        self.connection._qbo_read_company()
        self.wizard.action_overview_continue()
        accounts = self.env["qbo.account"].search([("connection_id", "=", self.connection.id)])
        self.assertEqual(len(accounts), len(presets.CHART))
        self.wizard.write({"income_account_id": False, "accounting_mode": "inventory"})
        self.assertFalse(self.wizard.ledger_ready)
        with self.assertRaisesRegex(UserError, "Income account"):
            self.wizard.action_ledger_continue()
        self.fill_ledger(mode="inventory")
        self.assertTrue(self.wizard.ledger_ready)
        self.wizard.action_ledger_continue()
        self.assertEqual(self.wizard.state, "import", "US companies have no tax step")
        self.assertEqual(self.connection.accounting_mode, "inventory")
        self.assertEqual(self.connection.inventory_account_id, self.account("Inventory Asset"))
        self.wizard.action_done()
        self.assertTrue(self.connection.setup_done)
        self.assertEqual(self.wizard.state, "done")

    def test_account_domains_filter_by_type(self):
        self.wizard.action_overview_continue()
        Account = self.env["qbo.account"]
        for field, expected in (
            ("income_account_id", {"Services", "Sales of Product Income"}),
            ("payable_account_id", {"Accounts Payable (A/P)"}),
            ("inventory_account_id", {"Inventory Asset"}),
            (
                "purchase_account_id",
                {"Cost of Goods Sold", "Advertising", "Office Expenses"},
            ),
        ):
            domain = self.wizard._fields[field].domain.replace(
                "connection_id)", f"{self.connection.id})"
            )
            names = set(Account.search(literal_eval(domain)).mapped("name"))
            self.assertEqual(names, expected, field)

    def test_simple_mode_forgets_inventory_accounts(self):
        self.fill_ledger(mode="simple")
        self.wizard.action_ledger_continue()
        self.assertFalse(self.connection.cogs_account_id)
        self.assertFalse(self.connection.inventory_account_id)

    def test_mapping_changes_are_tracked_on_the_connection(self):
        # Run the hooks of the transaction that connected the company, as its commit would:
        # changes to a record created in the same transaction are not tracked.
        self.env.cr.flush()
        before = self.connection.income_account_id
        self.fill_ledger(mode="inventory")
        self.wizard.action_ledger_continue()
        self.env.cr.flush()  # and as the wizard's commit would: the tracking is written then
        values = self.connection.message_ids.tracking_value_ids
        changes = {value.field_id.name: value for value in values}
        self.assertEqual(changes["accounting_mode"].old_value_char, "Simple accounting")
        self.assertEqual(changes["accounting_mode"].new_value_char, "Accounting with inventory")
        self.assertEqual(changes["income_account_id"].old_value_char, before.display_name)
        self.assertEqual(
            changes["income_account_id"].new_value_char,
            self.account("Sales of Product Income").display_name,
        )

    def test_wizard_refuses_a_connection_needing_reconnect(self):
        self.connection.state = "reconnect"
        with self.assertRaisesRegex(UserError, "reconnect"):
            self.wizard.action_overview_continue()


@tagged("post_install", "-at_install")
class TestWizardGB(WizardCase):
    realm_id = presets.GB_REALM

    def test_every_tax_must_be_mapped_before_done(self):
        self.fill_ledger()
        self.wizard.action_ledger_continue()
        self.assertEqual(self.wizard.state, "taxes")
        codes = self.env["qbo.tax.code"].search([("connection_id", "=", self.connection.id)])
        standard = codes.filtered(lambda c: c.name == "20.0% S")
        self.assertEqual((standard.sales_rate, standard.purchase_rate), (20.0, 20.0))
        self.assertFalse(codes.filtered(lambda c: c.name == "No VAT").for_sales)
        taxes = self.wizard.tax_line_ids.tax_id
        self.assertEqual(set(taxes.mapped("type_tax_use")), {"sale", "purchase"})
        self.assertFalse(self.wizard.taxes_ready)
        with self.assertRaisesRegex(UserError, "Map every Odoo tax"):
            self.wizard.action_taxes_continue()
        zero = codes.filtered(lambda c: c.name == "0.0% Z")
        for line in self.wizard.tax_line_ids:
            line.qbo_tax_code_id = standard if line.amount else zero
        self.assertTrue(self.wizard.taxes_ready)
        self.wizard.action_taxes_continue()
        self.assertEqual(self.wizard.state, "import")
        self.assertTrue(all(tax.qbo_tax_code_id for tax in taxes))
        self.wizard.action_done()
        self.assertTrue(self.connection.setup_done)

    def test_tax_step_names_the_taxes_left_to_map(self):
        self.fill_ledger()
        self.wizard.action_ledger_continue()
        unmapped = self.wizard.tax_line_ids.filtered(lambda line: not line.qbo_tax_code_id)
        self.assertTrue(unmapped)
        for tax in unmapped.tax_id:
            self.assertIn(tax.display_name, self.wizard.taxes_missing)
        unmapped.qbo_tax_code_id = self.env["qbo.tax.code"].search(
            [("connection_id", "=", self.connection.id), ("name", "=", "No VAT")]
        )
        self.assertFalse(self.wizard.taxes_missing)

    def test_new_odoo_tax_blocks_done_until_mapped(self):
        self.fill_ledger()
        self.wizard.action_ledger_continue()
        self.wizard.action_create_missing_taxes()
        for line in self.wizard.tax_line_ids.filtered(lambda line: not line.qbo_tax_code_id):
            line.qbo_tax_code_id = self.env["qbo.tax.code"].search(
                [("connection_id", "=", self.connection.id), ("name", "=", "No VAT")]
            )
        self.wizard.action_taxes_continue()
        self.env["account.tax"].create(
            {"name": "QBO late tax", "amount": 7, "type_tax_use": "sale"}
        )
        with self.assertRaisesRegex(UserError, "QBO late tax"):
            self.wizard.action_done()
        self.assertFalse(self.connection.setup_done)

    def test_create_missing_taxes_from_qbo_codes(self):
        self.fill_ledger()
        self.wizard.action_ledger_continue()
        before = len(self.wizard.tax_line_ids)
        self.wizard.action_create_missing_taxes()
        created = self.wizard.tax_line_ids.filtered(lambda line: line.tax_id.qbo_tax_code_id)
        # 4 codes with a sales list and 4 with a purchase list, none mapped before.
        self.assertEqual(len(self.wizard.tax_line_ids) - before, 8)
        reduced = created.filtered(
            lambda line: (
                line.tax_id.qbo_tax_code_id.name == "5.0% R" and line.type_tax_use == "sale"
            )
        )
        self.assertEqual(reduced.amount, 5.0)
        self.assertEqual(reduced.qbo_tax_code_id, reduced.tax_id.qbo_tax_code_id)
        # Running it again creates nothing more.
        self.wizard.action_create_missing_taxes()
        self.assertEqual(len(self.wizard.tax_line_ids) - before, 8)
