"""The setup's choices (mapped accounts, tax codes) attacked over JSON-RPC by a QuickBooks
administrator of one company, with the ids of another company's records.

The choice lists of the screens only offer the connection's own records; the server
must refuse the rest, since the wizard writes the tax mapping as superuser.
"""

from odoo.tests import tagged

from .security_common import QboRolesCase


@tagged("post_install", "-at_install")
class TestSetupAcrossCompanies(QboRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Company B: its own QBO company, tax codes and taxes; the attacker is not a member.
        cls.connect_company_b("QBO Setup Company B", country_id=cls.env.ref("base.uk").id)
        cls.connection_b._qbo_sync_tax_codes()
        cls.taxes_b = cls.env["account.tax"]._qbo_create_from_codes(cls.connection_b, [])
        cls.codes_b = cls.env["qbo.tax.code"].search([("connection_id", "=", cls.connection_b.id)])

    def wizard(self):
        """A setup wizard of the attacker's own connection, opened over JSON-RPC."""
        return self.rpc(
            "qbo_admin", "qbo.setup.wizard", "create", {"connection_id": self.connection.id}
        )

    def test_mapped_accounts_belong_to_the_connection(self):
        before = {
            name: self.connection[name] for name in ("income_account_id", "payable_account_id")
        }
        foreign = self.connection_b.payable_account_id
        self.assert_refused(
            "qbo_admin",
            "qbo.connection",
            "write",
            [self.connection.id],
            {"income_account_id": foreign.id},
            exception="ValidationError",
        )
        wizard = self.wizard()
        self.rpc(
            "qbo_admin",
            "qbo.setup.wizard",
            "write",
            [wizard],
            {"sync_sales": True, "income_account_id": foreign.id},
        )
        self.assert_refused(
            "qbo_admin",
            "qbo.setup.wizard",
            "action_ledger_continue",
            [wizard],
            exception="ValidationError",
        )
        self.assertEqual(
            {name: self.connection[name] for name in before},
            before,
        )
        # Orders still go out with the company's own income account.
        order = self.make_sale(user_id=self.users["qbo_user"].id)
        self.rpc("qbo_user", "sale.order", "action_qbo_push", [order.id])
        self.assertEqual(order.qbo_status, "created", order.qbo_error)

    def test_the_wizard_maps_only_its_own_company_taxes(self):
        tax_b = self.taxes_b.filtered(lambda tax: tax.type_tax_use == "sale")[:1]
        code_b = tax_b.qbo_tax_code_id
        other_code_b = (self.codes_b - code_b)[:1]
        self.assertTrue(tax_b and code_b and other_code_b)
        own_tax = self.env["account.tax"].search(
            [("company_id", "=", self.env.company.id), ("type_tax_use", "=", "sale")], limit=1
        )
        own_code = own_tax.qbo_tax_code_id
        for tax, code in ((tax_b, other_code_b), (own_tax, other_code_b)):
            with self.subTest(tax=tax.company_id.name):
                # A line the screen never offers, then the wizard's Continue that saves it.
                wizard = self.wizard()
                line = {"tax_id": tax.id, "qbo_tax_code_id": code.id}
                error = self.rpc_error(
                    "qbo_admin",
                    "qbo.setup.wizard",
                    "write",
                    [wizard],
                    {"tax_line_ids": [(0, 0, line)]},
                ) or self.rpc_error(
                    "qbo_admin", "qbo.setup.wizard", "action_taxes_continue", [wizard]
                )
                self.assertIn("ValidationError", str(error))
        self.assertEqual(tax_b.qbo_tax_code_id, code_b)
        self.assertEqual(own_tax.qbo_tax_code_id, own_code)
