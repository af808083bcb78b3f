"""Browser tours of the whole setup, after a real OAuth round trip through the sandbox."""

from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo import const
from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboOAuthCase


@tagged("post_install", "-at_install")
class TestSetupWizardTour(QboOAuthCase):
    def connect_and_tour(self, realm_id, tour):
        path = self.consent(self.admin, realm_id)
        self.authenticate("admin", "admin")
        response = self.callback(path)
        self.assertEqual(response.status_code, 303)
        wizard_path = response.headers["Location"].split("://", 1)[-1]
        wizard_path = wizard_path[wizard_path.index("/odoo/") :]
        self.start_tour(wizard_path, tour, login="admin")
        connection = self.connection.sudo()
        connection.invalidate_recordset()
        self.assertEqual(connection.state, "connected")
        self.assertTrue(connection.setup_done)
        self.assertEqual(connection.payable_account_id.name, "Accounts Payable (A/P)")
        self.assertEqual(connection.import_state, "done")
        return connection

    def test_us_company_skips_the_tax_step(self):
        # On automated sales tax, read at connect (rate-group companies map their taxes)
        self.sandbox.set_preferences(presets.US_REALM, automated_sales_tax=True)
        self.addCleanup(self.sandbox.set_preferences, presets.US_REALM, automated_sales_tax=False)
        self.connect_and_tour(presets.US_REALM, "qbo_setup_wizard_us")

    def test_gb_company_maps_every_tax(self):
        gbp = self.env.ref("base.GBP")
        gbp.active = True
        company = self.env["res.company"].create(
            {
                "name": "QBO Tour UK Ltd",
                "country_id": self.env.ref("base.uk").id,
                "currency_id": gbp.id,
            }
        )
        self.admin.write({"company_ids": [(4, company.id)], "company_id": company.id})
        self.connection = self.env["qbo.connection"]._for_company(company)
        self.connection.write(
            {
                "environment": const.CUSTOM,
                "base_url": self.sandbox.url,
                "client_id": presets.CLIENT_ID,
                "client_secret": presets.CLIENT_SECRET,
            }
        )
        group = self.env["account.tax.group"].create(
            {"name": "VAT", "company_id": company.id, "country_id": company.country_id.id}
        )
        Tax = self.env["account.tax"].with_company(company)
        taxes = Tax.create(
            [
                {"name": "UK 20% Sales", "amount": 20, "type_tax_use": "sale"},
                {"name": "UK Exempt Sales", "amount": 0, "type_tax_use": "sale"},
                {"name": "UK 20% Purchases", "amount": 20, "type_tax_use": "purchase"},
            ]
        )
        self.assertEqual(taxes.tax_group_id, group)
        connection = self.connect_and_tour(presets.GB_REALM, "qbo_setup_wizard_gb")
        self.assertFalse(connection.mismatch_warning)
        self.assertEqual(
            [tax.qbo_tax_code_id.name for tax in taxes], ["20.0% S", "Exempt", "20.0% S"]
        )
