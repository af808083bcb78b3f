"""The configuration matrix's doors: a company of its own connected to a sandbox
company through the consent page, the callback and the setup wizard over JSON-RPC,
its orders pushed by a QuickBooks user, and the six combinations of choices.

Shared by :mod:`.test_config_matrix` (over JSON-RPC), :mod:`.test_config_matrix_tour`
(in the browser) and :mod:`.test_mode_switch`. Its orders are of that company, made by
``matrix_sale``/``matrix_purchase``/``matrix_product`` (taxed, in the company's currency)
and pushed by ``rpc_push``, the QuickBooks user's push over JSON-RPC as in
:mod:`.security_common`.
"""

from urllib.parse import parse_qsl, urlsplit

import requests

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.quickbooks_online.qbo import const
from odoo.addons.quickbooks_online.qbo_sandbox import presets

#: what the administrator picks for each account the wizard asks for
ACCOUNT_NAMES = {
    "income_account_id": "Sales of Product Income",
    "purchase_account_id": "Cost of Goods Sold",
    "payable_account_id": "Accounts Payable (A/P)",
    "cogs_account_id": "Cost of Goods Sold",
    "inventory_account_id": "Inventory Asset",
}
#: the QuickBooks document each kind of order is pushed as
ENTITIES = {"sale.order": "Invoice", "purchase.order": "Bill"}
#: the accounts each choice needs, as the wizard shows them
NEEDED = {
    "sales": {"income_account_id"},
    "purchases": {"purchase_account_id", "payable_account_id"},
    "inventory": {"cogs_account_id", "inventory_account_id"},
}


def needed_accounts(sales, purchases, mode):
    """The account fields a combination of choices needs."""
    chosen = {"sales": sales, "purchases": purchases, "inventory": mode == "inventory"}
    return set().union(*(NEEDED[choice] for choice, on in chosen.items() if on))


class ConfigDoors:
    """A company connected through its doors: consent page, callback, wizard, push."""

    realm_id = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_sandbox()
        cls.company = cls.make_company()
        cls.connection = cls.env["qbo.connection"]._for_company(cls.company)
        # What a system administrator enters once: the Intuit app's credentials.
        cls.connection.write(
            {
                "environment": const.CUSTOM,
                "base_url": cls.sandbox.url,
                "client_id": presets.CLIENT_ID,
                "client_secret": presets.CLIENT_SECRET,
            }
        )
        users = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.qbo_admin = new_test_user(
            cls.env,
            login=f"qbo_matrix_admin_{cls.realm_id}",
            groups="base.group_user,quickbooks_online.group_qbo_manager",
            **users,
        )
        cls.qbo_user = new_test_user(
            cls.env,
            login=f"qbo_matrix_user_{cls.realm_id}",
            groups="base.group_user,quickbooks_online.group_qbo_user,"
            "sales_team.group_sale_salesman_all_leads,purchase.group_purchase_user",
            **users,
        )
        cls.customer = cls.env["res.partner"].create({"name": "Matrix Customer"})
        cls.vendor = cls.env["res.partner"].create({"name": "Matrix Supplier"})
        cls.category = (
            cls.env["product.category"]
            .with_company(cls.company)
            .create(
                {
                    "name": "Matrix goods",
                    "property_cost_method": "standard",
                    "property_valuation": "real_time",
                }
            )
        )
        cls.sale_taxes, cls.purchase_taxes = cls.make_taxes()

    @classmethod
    def make_company(cls):
        return cls.env.company

    @classmethod
    def make_taxes(cls):
        """The company's taxes put on the order lines (none for a US company)."""
        return cls.env["account.tax"], cls.env["account.tax"]

    # ------------------------------------------------------------------ doors
    def rpc(self, model, method, *args, **kwargs):
        """``method`` of ``model`` over JSON-RPC, as the web client calls it."""
        context = {"allowed_company_ids": [self.company.id], "tz": "UTC"}
        result = self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": kwargs | {"context": context},
            },
        )
        self.env.invalidate_all()
        return result

    def connect(self):
        """The administrator clicks Connect, picks the realm at Intuit, comes back:
        the id of the setup wizard the callback opened."""
        return int(self.connect_location().rsplit("/", 1)[1])

    def connect_location(self):
        """As :meth:`connect`, but the URL of the wizard the callback redirected to."""
        self.authenticate(self.qbo_admin.login, self.qbo_admin.login)
        action = self.rpc("qbo.connection", "action_qbo_connect", [self.connection.id])
        consent = dict(parse_qsl(urlsplit(action["url"]).query))
        answer = requests.post(
            f"{self.sandbox.url}/connect/oauth2",
            data=dict(consent, realm_id=self.realm_id, action="allow"),
            allow_redirects=False,
            timeout=10,
        )
        location = urlsplit(answer.headers["Location"])
        response = self.url_open(f"{location.path}?{location.query}", allow_redirects=False)
        self.assertEqual(response.status_code, 303, response.text)
        self.assertIn("action_qbo_setup_wizard", response.headers["Location"])
        self.env.invalidate_all()
        return response.headers["Location"]

    def run_wizard(self, wizard_id, sales, purchases, mode):
        """Walk the wizard's screens, choosing only the accounts it asks for."""
        wizard = "qbo.setup.wizard"
        self.rpc(wizard, "action_overview_continue", [wizard_id])
        self.rpc(
            wizard,
            "write",
            [wizard_id],
            {"sync_sales": sales, "sync_purchases": purchases, "accounting_mode": mode},
        )
        needed_fields = [name.removesuffix("_id") + "_needed" for name in ACCOUNT_NAMES]
        [screen] = self.rpc(wizard, "read", [wizard_id], needed_fields)
        asked = {name for name in ACCOUNT_NAMES if screen[name.removesuffix("_id") + "_needed"]}
        expected = needed_accounts(sales, purchases, mode)
        self.assertEqual(asked, expected, "the wizard asks for what the options need")
        accounts = self.env["qbo.account"].search([("connection_id", "=", self.connection.id)])
        self.rpc(
            wizard,
            "write",
            [wizard_id],
            {
                name: accounts.filtered(lambda a, n=ACCOUNT_NAMES[name]: a.name == n).id
                for name in asked
            },
        )
        self.rpc(wizard, "action_ledger_continue", [wizard_id])
        self.map_taxes(wizard_id)
        [screen] = self.rpc(wizard, "read", [wizard_id], ["state"])
        self.assertEqual(screen["state"], "import")
        self.rpc(wizard, "action_done", [wizard_id])
        connection = self.connection.sudo()
        self.assertTrue(connection.setup_done)
        for name in ACCOUNT_NAMES:
            self.assertEqual(bool(connection[name]), name in asked, name)

    def map_taxes(self, wizard_id):
        """Map every tax of the tax screen to the QBO code :attr:`tax_code`."""
        code = self.env["qbo.tax.code"].search(
            [("connection_id", "=", self.connection.id), ("name", "=", self.tax_code)]
        )
        self.assertTrue(code)
        lines = self.rpc(
            "qbo.setup.wizard.tax",
            "search_read",
            [("wizard_id", "=", wizard_id)],
            ["id", "amount"],
        )
        self.assertTrue(lines)
        commands = [Command.update(line["id"], {"qbo_tax_code_id": code.id}) for line in lines]
        self.rpc("qbo.setup.wizard", "write", [wizard_id], {"tax_line_ids": commands})
        self.rpc("qbo.setup.wizard", "action_taxes_continue", [wizard_id])

    def rpc_push(self, order):
        self.authenticate(self.qbo_user.login, self.qbo_user.login)
        self.rpc(order._name, "action_qbo_push", [order.id])
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        return order

    # ------------------------------------------------------------------ orders
    def matrix_product(self, tag, mode):
        # The cost is per company: set it in the order's company.
        product = (
            self.env["product.product"]
            .with_company(self.company)
            .create(
                {
                    "name": f"Matrix {tag}",
                    "default_code": f"MX-{self.realm_id[-1]}-{tag}",
                    "type": "consu",
                    "is_storable": mode == "inventory",
                    "categ_id": self.category.id,
                    "standard_price": 10.0,
                    "list_price": 40.0,
                    "taxes_id": [Command.set(self.sale_taxes.ids)],
                    "supplier_taxes_id": [Command.set(self.purchase_taxes.ids)],
                }
            )
        )
        if mode == "inventory":
            warehouse = self.env["stock.warehouse"].search(
                [("company_id", "=", self.company.id)], limit=1
            )
            self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
        return product

    def matrix_order(self, model, partner, product, taxes, **line):
        return (
            self.env[model]
            .with_company(self.company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "tax_ids": [Command.set(taxes.ids)], **line}
                        )
                    ],
                }
            )
        )

    def matrix_sale(self, product):
        order = self.matrix_order(
            "sale.order", self.customer, product, self.sale_taxes, product_uom_qty=2, price_unit=40
        )
        order.action_confirm()
        return order

    def matrix_purchase(self, product):
        order = self.matrix_order(
            "purchase.order",
            self.vendor,
            product,
            self.purchase_taxes,
            product_qty=3,
            price_unit=10,
        )
        order.button_confirm()
        return order


class ConfigCombinations(ConfigDoors):
    """The six combinations of one QBO company (``realm_id``), each walked through
    :meth:`run_combination` (over JSON-RPC here, in the browser in the tours)."""

    def run_combination(self, sales, purchases, mode):
        raise NotImplementedError

    def push_and_revert(self, sales, purchases, mode, push_orders):
        """Push an order of each enabled kind with ``push_orders(orders)``, check what
        QuickBooks holds, delete the documents there and see the CDC sweep revert them."""
        tag = f"{'S' if sales else ''}{'P' if purchases else ''}-{mode[:3]}"
        product = self.matrix_product(tag, mode)
        store = self.sandbox.store(self.realm_id)
        orders = []
        if sales:
            orders.append(self.matrix_sale(product))
            if mode == "inventory":
                self.deliver(orders[0])
        if purchases:
            orders.append(self.matrix_purchase(product))
        push_orders(orders)
        for order in orders:
            self.assertEqual(order.qbo_status, "created", order.qbo_error)
            doc = store.get(ENTITIES[order._name], order.qbo_txn_id)
            self.assertEqual(doc["DocNumber"], order.qbo_doc_number)
        if sales and mode == "inventory":
            self.run_cron("ir_cron_qbo_cogs")  # woken up by the push
            self.assertEqual(orders[0].qbo_cogs_status, "posted", orders[0].qbo_cogs_error)
            self.assertTrue(store.get("JournalEntry", orders[0].qbo_cogs_txn_id))
        [item] = [i for i in store.all("Item") if i.get("Sku") == product.default_code]
        self.assertEqual("IncomeAccountRef" in item, sales, item)
        self.assertEqual("ExpenseAccountRef" in item, purchases, item)
        for order in orders:
            self.sandbox.delete_entity(self.realm_id, ENTITIES[order._name], order.qbo_txn_id)
        self.sweep()
        for order in orders:
            self.assertEqual(order.qbo_status, "not_pushed", order.name)
            self.assertFalse(order.qbo_txn_id)
        if sales and mode == "inventory":
            self.assertNotEqual(orders[0].qbo_cogs_status, "posted")

    def test_sales_simple(self):
        self.run_combination(True, False, "simple")

    def test_purchases_simple(self):
        self.run_combination(False, True, "simple")

    def test_both_simple(self):
        self.run_combination(True, True, "simple")

    def test_sales_inventory(self):
        self.run_combination(True, False, "inventory")

    def test_purchases_inventory(self):
        self.run_combination(False, True, "inventory")

    def test_both_inventory(self):
        self.run_combination(True, True, "inventory")


class GBCompany:
    """A British company of its own, with a 20% VAT for sales and one for purchases."""

    realm_id = presets.GB_REALM
    tax_code = "20.0% S"

    @classmethod
    def make_company(cls):
        gbp = cls.env.ref("base.GBP")
        gbp.active = True
        return cls.env["res.company"].create(
            {
                "name": "QBO Matrix Ltd",
                "currency_id": gbp.id,
                "country_id": cls.env.ref("base.uk").id,
            }
        )

    @classmethod
    def make_taxes(cls):
        company = cls.company
        group = cls.env["account.tax.group"].create(
            {"name": "VAT", "company_id": company.id, "country_id": company.country_id.id}
        )
        taxes = cls.env["account.tax"].with_company(company)
        values = {
            "amount": 20.0,
            "company_id": company.id,
            "country_id": company.country_id.id,
            "tax_group_id": group.id,
        }
        return (
            taxes.create(dict(values, name="Matrix VAT 20%", type_tax_use="sale")),
            taxes.create(dict(values, name="Matrix VAT 20% purchases", type_tax_use="purchase")),
        )
