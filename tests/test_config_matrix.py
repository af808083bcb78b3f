"""Every setup choice works: {US, GB} x {sales, purchases, both} x {simple, inventory}.

Each test starts from a connection with the Intuit app's credentials only. A QuickBooks
administrator (not a system administrator) connects through the sandbox's consent page
and the Odoo callback, then runs the setup wizard over JSON-RPC, choosing only what the
options ask for. A QuickBooks user pushes an order of each enabled kind over JSON-RPC;
the sandbox's documents are deleted there and the CDC sweep brings the orders back.

One sandbox and one Odoo company serve each class; every test rolls its connection back,
and uses products of its own (their SKUs carry the combination), so no test finds the
items another one made.
"""

from odoo.tests import HttpCase, tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboSandboxMixin
from .config_doors import ConfigCombinations, GBCompany
from .orders import QboOrdersMixin


class ConfigMatrix(ConfigCombinations):
    """The six combinations over JSON-RPC, and what a later change of them asks for."""

    def run_combination(self, sales, purchases, mode):
        self.run_wizard(self.connect(), sales, purchases, mode)
        self.push_and_revert(sales, purchases, mode, lambda orders: [*map(self.rpc_push, orders)])

    def test_purchases_turned_on_later_says_how_to_fix_the_item(self):
        """An item made while only sales orders were synced has no expense account: the bill
        is refused with what to change in QuickBooks, and nothing is half-written."""
        self.run_wizard(self.connect(), True, False, "simple")
        product = self.matrix_product("later", "simple")
        self.rpc_push(self.matrix_sale(product))
        self.authenticate(self.qbo_admin.login, self.qbo_admin.login)
        wizard = self.rpc("qbo.connection", "action_qbo_open_setup", [self.connection.id])
        self.run_wizard(wizard["res_id"], True, True, "simple")
        order = self.matrix_purchase(product)
        bills = len(self.realm_store.all("Bill"))
        self.authenticate(self.qbo_user.login, self.qbo_user.login)
        self.rpc(order._name, "action_qbo_push", [order.id])
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("no expense account", order.qbo_error)
        self.assertIn("I purchase this product/service from a vendor", order.qbo_error)
        self.assertEqual(len(self.realm_store.all("Bill")), bills)


@tagged("post_install", "-at_install")
class TestConfigMatrixUS(ConfigMatrix, QboSandboxMixin, QboOrdersMixin, HttpCase):
    realm_id = presets.US_REALM
    #: the preset is on rate groups: its sales taxes are mapped to one (orders carry none)
    tax_code = "Alameda"


@tagged("post_install", "-at_install")
class TestConfigMatrixGB(GBCompany, ConfigMatrix, QboSandboxMixin, QboOrdersMixin, HttpCase):
    pass
