"""US QuickBooks companies on rate groups (no automated sales tax) map their sales taxes.

Such a company charges the rate group an invoice names, so the setup maps every Odoo sales
tax to one, and an order whose taxes name no group, or several, is not sent. A QuickBooks
administrator who is not a system administrator runs the setup, a QuickBooks user pushes,
both over JSON-RPC; the sandbox holds what arrived.
"""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .security_common import QboRolesCase

WIZARD = "qbo.setup.wizard"


@tagged("post_install", "-at_install")
class TestUsRateGroups(QboRolesCase):
    """The sandbox's US company (its preset is on rate groups) and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        california = cls.env["res.country.state"].search(
            [("country_id.code", "=", "US"), ("code", "=", "CA")]
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Harbour Books",
                "is_company": True,
                "street": "3 Pier Lane",
                "city": "Oakland",
                "zip": "94607",
                "state_id": california.id,
                "country_id": cls.env.ref("base.us").id,
            }
        )
        cls.lamp = cls.env["product.product"].create(
            {
                "name": "Reading Lamp",
                "default_code": "USRG-LAMP",
                "type": "consu",
                "list_price": 25.0,
                "taxes_id": [Command.clear()],
            }
        )
        Tax = cls.env["account.tax"]
        cls.alameda_tax = Tax.create({"name": "Alameda 8.25%", "amount": 8.25})
        cls.boston_tax = Tax.create({"name": "Boston 6.25%", "amount": 6.25})
        cls.purchase_tax = Tax.create(
            {"name": "Vendor tax 5%", "amount": 5.0, "type_tax_use": "purchase"}
        )

    # ------------------------------------------------------------------ helpers
    def automated_sales_tax(self):
        self.sandbox.set_preferences(presets.US_REALM, automated_sales_tax=True)
        self.addCleanup(self.sandbox.set_preferences, presets.US_REALM, automated_sales_tax=False)
        self.connection._qbo_read_company()

    def setup_to_taxes(self):
        """The QuickBooks administrator opens the setup and continues past the ledger
        screen (the connection's accounts are kept); the wizard's id and screen."""
        action = self.rpc(
            "qbo_admin", "qbo.connection", "action_qbo_open_setup", [self.connection.id]
        )
        wizard_id = action["res_id"]
        self.rpc("qbo_admin", WIZARD, "action_overview_continue", [wizard_id])
        self.rpc("qbo_admin", WIZARD, "action_ledger_continue", [wizard_id])
        [screen] = self.rpc(
            "qbo_admin", WIZARD, "read", [wizard_id], ["state", "tax_step", "taxes_missing"]
        )
        return wizard_id, screen

    def tax_lines(self, wizard_id):
        return self.rpc(
            "qbo_admin",
            "qbo.setup.wizard.tax",
            "search_read",
            [("wizard_id", "=", wizard_id)],
            ["tax_id", "type_tax_use", "qbo_tax_code_id"],
        )

    def group(self, name):
        return self.env["qbo.tax.code"].search(
            [("connection_id", "=", self.connection.id), ("name", "=", name)]
        )

    def map_every_tax(self, wizard_id, default="Alameda"):
        """Map the lines left empty to ``default``, continue and finish the setup."""
        commands = [
            Command.update(line["id"], {"qbo_tax_code_id": self.group(default).id})
            for line in self.tax_lines(wizard_id)
            if not line["qbo_tax_code_id"]
        ]
        self.rpc("qbo_admin", WIZARD, "write", [wizard_id], {"tax_line_ids": commands})
        self.rpc("qbo_admin", WIZARD, "action_taxes_continue", [wizard_id])
        self.rpc("qbo_admin", WIZARD, "action_done", [wizard_id])

    def order(self, *taxes):
        """A confirmed order: one 4 × 25.00 lamp line per tax set of ``taxes``."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.users["qbo_user"].id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.lamp.id,
                            "product_uom_qty": 4,
                            "price_unit": 25.0,
                            "tax_ids": [Command.set(tax.ids)],
                        }
                    )
                    for tax in taxes
                ],
            }
        )
        order.action_confirm()
        return order

    def invoice_posts(self):
        return [
            record
            for record in self.sandbox.requests
            if record.method == "POST" and (record.entity or "").lower() == "invoice"
        ]

    # ------------------------------------------------------------------ setup
    def test_setup_maps_every_sales_tax_to_a_rate_group(self):
        wizard_id, screen = self.setup_to_taxes()
        self.assertEqual(screen["state"], "taxes")
        self.assertTrue(screen["tax_step"])
        lines = self.tax_lines(wizard_id)
        company_sales_taxes = self.env["account.tax"].search(
            [("company_id", "=", self.env.company.id), ("type_tax_use", "=", "sale")]
        )
        self.assertEqual({line["tax_id"][0] for line in lines}, set(company_sales_taxes.ids))
        self.assertEqual({line["type_tax_use"] for line in lines}, {"sale"}, "bills are gross")
        # The rate groups only: TAX and NON mark lines, an invoice can't name them.
        codes = self.env["qbo.tax.code"].search([("connection_id", "=", self.connection.id)])
        self.assertEqual(sorted(codes.mapped("name")), ["Alameda", "Boston"])
        prefilled = {line["tax_id"][0]: line["qbo_tax_code_id"] for line in lines}
        self.assertEqual(prefilled[self.alameda_tax.id][0], self.group("Alameda").id)
        self.assertEqual(prefilled[self.boston_tax.id][0], self.group("Boston").id)
        left = company_sales_taxes - self.alameda_tax - self.boston_tax
        self.assertTrue(left)
        for tax in left:
            self.assertIn(tax.display_name, screen["taxes_missing"])
        error = self.rpc_error("qbo_admin", WIZARD, "action_taxes_continue", [wizard_id])
        self.assertIn("UserError", error)
        [screen] = self.rpc("qbo_admin", WIZARD, "read", [wizard_id], ["state"])
        self.assertEqual(screen["state"], "taxes")
        self.map_every_tax(wizard_id)
        [screen] = self.rpc("qbo_admin", WIZARD, "read", [wizard_id], ["state"])
        self.assertEqual(screen["state"], "done")
        self.assertEqual(self.alameda_tax.qbo_tax_code_id, self.group("Alameda"))
        self.assertEqual(left.qbo_tax_code_id, self.group("Alameda"))
        self.assertFalse(self.purchase_tax.qbo_tax_code_id)

    def test_setup_is_not_done_while_a_sales_tax_is_unmapped(self):
        wizard_id, _screen = self.setup_to_taxes()
        self.map_every_tax(wizard_id)
        late = self.env["account.tax"].create({"name": "Late tax 3%", "amount": 3.0})
        [screen] = self.rpc("qbo_admin", WIZARD, "read", [wizard_id], ["state"])
        self.assertEqual(screen["state"], "done")
        self.connection.sudo().setup_done = False
        error = self.rpc_error("qbo_admin", WIZARD, "action_done", [wizard_id])
        self.assertIn("UserError", error)
        self.assertFalse(self.connection.setup_done)
        self.assertFalse(late.qbo_tax_code_id)

    def test_tax_form_shows_the_rate_group(self):
        wizard_id, _screen = self.setup_to_taxes()
        self.map_every_tax(wizard_id)
        taxes = self.alameda_tax | self.purchase_tax
        rows = self.rpc(
            "qbo_user", "account.tax", "read", taxes.ids, ["qbo_tax_mapping", "qbo_tax_code_id"]
        )
        self.assertEqual(
            [(row["qbo_tax_mapping"], row["qbo_tax_code_id"]) for row in rows],
            [("rate_group", [self.group("Alameda").id, "Alameda"]), (False, False)],
        )
        views = self.rpc("qbo_user", "account.tax", "get_views", [[False, "form"]], options={})
        arch = views["views"]["form"]["arch"]
        self.assertIn('string="QuickBooks rate group"', arch)

    # ------------------------------------------------------------------ push
    def test_mapped_order_reaches_quickbooks_with_odoo_total(self):
        wizard_id, _screen = self.setup_to_taxes()
        self.map_every_tax(wizard_id)
        order = self.rpc_push(self.order(self.alameda_tax, self.env["account.tax"]))
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        invoice = self.sandbox.store(presets.US_REALM).get("Invoice", order.qbo_txn_id)
        self.assertEqual(invoice["TxnTaxDetail"]["TxnTaxCodeRef"]["value"], "2")
        self.assertEqual(order.amount_total, 208.25)
        self.assertEqual(invoice["TotalAmt"], order.amount_total)
        self.assertEqual(order.qbo_total, order.amount_total)
        self.assertFalse(order.qbo_amount_warning)

    def test_a_zero_rate_tax_charges_nothing_in_quickbooks(self):
        """A 0 % sales tax (an exempt sale) is mapped like any other, but the line goes as
        non-taxable: a rate group on it would charge the group's rate in QuickBooks."""
        exempt = self.env["account.tax"].create({"name": "Exempt 0%", "amount": 0.0})
        wizard_id, _screen = self.setup_to_taxes()
        self.map_every_tax(wizard_id)
        order = self.rpc_push(self.order(self.alameda_tax, exempt))
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        invoice = self.sandbox.store(presets.US_REALM).get("Invoice", order.qbo_txn_id)
        codes = [
            line["SalesItemLineDetail"]["TaxCodeRef"]["value"]
            for line in invoice["Line"]
            if line["DetailType"] == "SalesItemLineDetail"
        ]
        self.assertEqual(codes, ["TAX", "NON"])
        self.assertEqual(order.amount_total, 208.25)
        self.assertEqual(invoice["TotalAmt"], order.amount_total)
        self.assertFalse(order.qbo_amount_warning)

    def test_unmapped_tax_is_not_sent(self):
        order = self.rpc_push(self.order(self.alameda_tax))
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("Map these taxes to QuickBooks rate groups", order.qbo_error)
        self.assertIn("Alameda 8.25%", order.qbo_error)
        self.assertFalse(order.qbo_txn_id)
        self.assertEqual(self.invoice_posts(), [])

    def test_taxes_on_several_rate_groups_are_not_sent(self):
        wizard_id, _screen = self.setup_to_taxes()
        self.map_every_tax(wizard_id)
        order = self.rpc_push(self.order(self.alameda_tax, self.boston_tax))
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("several QuickBooks rate groups (Alameda, Boston)", order.qbo_error)
        self.assertEqual(self.invoice_posts(), [])

    # ------------------------------------------------------------------ automated sales tax
    def test_automated_sales_tax_has_no_tax_step(self):
        self.automated_sales_tax()
        _wizard_id, screen = self.setup_to_taxes()
        self.assertEqual(screen["state"], "import")
        self.assertFalse(screen["tax_step"])
        order = self.rpc_push(self.order(self.alameda_tax))
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        invoice = self.sandbox.store(presets.US_REALM).get("Invoice", order.qbo_txn_id)
        self.assertEqual(invoice["TotalAmt"], order.amount_total)
