"""The configuration matrix in the browser: {US, GB} x {sales, purchases, both} x
{simple, inventory}, one test per combination.

Each test connects a fresh connection through the sandbox's consent page and the Odoo
callback, then a QuickBooks administrator (not a system administrator) walks the setup
wizard in Chromium with the combination's choices. A QuickBooks user opens an order of
each enabled kind and clicks its push button; the documents are deleted in the sandbox
and the CDC sweep reverts the orders.

Shared, because it is the same for every combination: the sandbox, the company, its
users and taxes (one class per realm). Each test rolls its connection and orders back.
"""

from odoo.tests import HttpCase, tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboSandboxMixin
from .config_doors import NEEDED, ConfigCombinations, GBCompany, needed_accounts
from .orders import QboOrdersMixin

#: the action of each kind of order's form, and the tour that pushes an order from it
PUSH_TOURS = {
    "sale.order": ("sale.action_orders", "qbo_push_invoice"),
    "purchase.order": ("purchase.purchase_form_action", "qbo_push_bill"),
}


class ConfigMatrixTour(ConfigCombinations):
    """The six combinations of one QBO company, in the browser."""

    def run_combination(self, sales, purchases, mode):
        location = self.connect_location()
        path = location[location.index("/odoo/") :]
        sides = "both" if sales and purchases else "sales" if sales else "purchases"
        realm = "us" if self.realm_id == presets.US_REALM else "gb"
        tour = f"qbo_setup_matrix_{realm}_{sides}_{mode}"
        self.start_tour(path, tour, login=self.qbo_admin.login)
        connection = self.connection.sudo()
        connection.invalidate_recordset()
        self.assertTrue(connection.setup_done)
        self.assertEqual(
            (connection.sync_sales, connection.sync_purchases, connection.accounting_mode),
            (sales, purchases, mode),
        )
        asked = needed_accounts(sales, purchases, mode)
        for field in set().union(*NEEDED.values()):
            self.assertEqual(bool(connection[field]), field in asked, field)
        self.push_and_revert(sales, purchases, mode, self.push_in_browser)

    def push_in_browser(self, orders):
        """The QuickBooks user opens each order's form and clicks its push button."""
        for order in orders:
            action, tour = PUSH_TOURS[order._name]
            self.start_tour(f"/odoo/action-{action}/{order.id}", tour, login=self.qbo_user.login)
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestConfigMatrixTourUS(ConfigMatrixTour, QboSandboxMixin, QboOrdersMixin, HttpCase):
    """The US company on automated sales tax, as most are (no tax step); the HTTP matrix
    runs it on rate groups, with the tax step."""

    realm_id = presets.US_REALM
    tax_code = "Alameda"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox.set_preferences(presets.US_REALM, automated_sales_tax=True)


@tagged("post_install", "-at_install")
class TestConfigMatrixTourGB(
    GBCompany, ConfigMatrixTour, QboSandboxMixin, QboOrdersMixin, HttpCase
):
    pass
