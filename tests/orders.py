"""The vocabulary of the Odoo tests: parties, products, orders, their push, and
what the sandbox saw. One name per thing, in every test module (methods of
:class:`QboOrdersMixin`, which :class:`QboPushCase` and :class:`QboHttpCase` carry):

- **parties and products**, made once per class by ``setup_orders``: ``customer`` and
  ``vendor``, ``product`` (goods) and ``service``, all untaxed; more with
  ``make_product``; ``make_qbo_user`` is a QuickBooks user who sells and buys.
- **orders**: ``make_sale`` and ``make_purchase``, confirmed unless told otherwise;
  a line is ``(product, qty[, price[, values]])``; ``deliver`` validates a delivery.
- **the push**: ``push`` is the order's *Create invoice/bill* button; ``push_queued``
  the background push of what the list's bulk action queued; ``document`` a pushed
  order's document as the sandbox holds it, ``qbo_customer`` the customer of the test's
  invoice; ``assertCreated``; ``warm_up``.
- **the sandbox**: ``realm_store``; ``qbo_docs`` the objects this test created there;
  ``api_requests`` the Accounting API requests it received (tokens left out),
  ``all_requests`` every request; ``wait_for_qbo``.
- **crons**: ``run_cron`` runs one of the addon's crons as the scheduler would;
  ``sweep`` is the CDC sweep's, ``process_events`` the webhook events'.

Orders reach QuickBooks only through the addon's own doors (the button, the bulk
action and its cron): no test writes the push's fields itself. The other doors:
JSON-RPC as each role (``rpc``, ``rpc_push``) in :mod:`.security_common`, Intuit's
webhooks in :mod:`.webhooks`, the consent page and callback in :mod:`.common`
(``QboOAuthCase``), a company of its own connected through all of them in
:mod:`.config_doors`.
"""

import time

from odoo import Command
from odoo.tests import HttpCase, new_test_user

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboCase, QboSandboxMixin

#: each kind of order: its model, its quantity field, the product's price it takes, the
#: class's partner it is made for, its confirm button
SALE = ("sale.order", "product_uom_qty", "list_price", "customer", "action_confirm")
PURCHASE = ("purchase.order", "product_qty", "standard_price", "vendor", "button_confirm")
#: entities whose objects made by earlier tests of the class ``qbo_docs`` leaves out
TRACKED = (
    "Invoice",
    "Bill",
    "CreditMemo",
    "VendorCredit",
    "Customer",
    "Vendor",
    "Item",
    "JournalEntry",
)


class QboOrdersMixin:
    """Orders of a company connected to the sandbox (``cls.connection``, ``cls.realm_id``)."""

    # ------------------------------------------------------------------ parties and products
    @classmethod
    def setup_orders(cls):
        """The class's customer, vendor, goods and service."""
        cls.env.user.tz = "UTC"
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Northwind Traders",
                "is_company": True,
                "email": "billing@northwind.example",
                "street": "12 Harbour Road",
                "city": "Oakland",
                "zip": "94607",
                "country_id": cls.env.ref("base.us").id,
            }
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Fabrikam Supplies", "is_company": True, "email": "ap@fabrikam.example"}
        )
        cls.product = cls.make_product("Desk Lamp", "LAMP-01", 40.0)
        cls.service = cls.make_product("Assembly", "SRV-ASM", 25.0, type="service")

    @classmethod
    def make_product(cls, name, sku, price, **values):
        """An untaxed product sold at ``price`` and bought at half of it."""
        return cls.env["product.product"].create(
            {
                "name": name,
                "default_code": sku,
                "list_price": price,
                "standard_price": price / 2,
                "type": "consu",
                "taxes_id": [Command.clear()],
                "supplier_taxes_id": [Command.clear()],
                **values,
            }
        )

    @classmethod
    def make_qbo_user(cls, login):
        """A QuickBooks user who also sells and buys (no QuickBooks administration)."""
        return new_test_user(
            cls.env,
            login=login,
            groups="base.group_user,quickbooks_online.group_qbo_user,"
            "sales_team.group_sale_salesman_all_leads,purchase.group_purchase_user",
        )

    # ------------------------------------------------------------------ orders
    def make_sale(self, lines=None, partner=None, confirm=True, **values):
        """A sales order of ``customer`` (default: two ``product`` at 40.0)."""
        default = [(self.product, 2, 40.0)]
        return self._make_order(SALE, default if lines is None else lines, partner, confirm, values)

    def make_purchase(self, lines=None, partner=None, confirm=True, **values):
        """A purchase order of ``vendor`` (default: three ``product`` at 20.0)."""
        default = [(self.product, 3, 20.0)]
        return self._make_order(
            PURCHASE, default if lines is None else lines, partner, confirm, values
        )

    @classmethod
    def _make_order(cls, kind, lines, partner, confirm, values):
        """An order of ``kind`` (:data:`SALE` or :data:`PURCHASE`) of ``partner`` (default:
        its kind's); a line is a dict of values or ``(product, qty[, price[, values]])``,
        untaxed, the price defaulting to the product's own."""
        model, qty_field, price_field, default_partner, confirm_method = kind
        commands = []
        for line in lines:
            if not isinstance(line, dict):
                product, qty, *rest = line
                extra = rest[1] if len(rest) > 1 else {}
                line = {
                    "product_id": product.id,
                    qty_field: qty,
                    "price_unit": rest[0] if rest else product[price_field],
                    "tax_ids": [],
                    **extra,
                }
            commands.append(Command.create(line))
        partner = partner or getattr(cls, default_partner)
        order = cls.env[model].create({"partner_id": partner.id, "order_line": commands, **values})
        if confirm:
            getattr(order, confirm_method)()
        return order

    def deliver(self, order, qty=None):
        """Validate the open delivery of ``order`` (all of it, or ``qty``: backorder)."""
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel") and p.picking_type_code == "outgoing"
        )
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if qty is None else qty
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    # ------------------------------------------------------------------ the push
    def push(self, order):
        """Click the order's push button (as the current user); the order, re-read."""
        order.action_qbo_push()
        order.invalidate_recordset()
        return order

    def push_queued(self):
        """Run the background push of the orders the list's bulk action queued."""
        self.run_cron("ir_cron_qbo_push")

    def document(self, order):
        """The QuickBooks document of a pushed ``order``, as the sandbox holds it."""
        self.assertTrue(order.qbo_txn_id, order.qbo_error or f"{order.name} is not in QuickBooks")
        return self.realm_store.get(order._qbo_kind().entity, order.qbo_txn_id)

    def qbo_customer(self):
        """The customer of the one invoice this test created, as the sandbox holds it."""
        [invoice] = self.qbo_docs()
        return self.realm_store.get("Customer", invoice["CustomerRef"]["value"])

    def assertCreated(self, order):
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        self.assertTrue(order.qbo_txn_id)

    def warm_up(self):
        """Push one order so that the customer and the product are linked."""
        self.push(self.make_sale())
        self.known["Invoice"] |= {doc["Id"] for doc in self.qbo_docs()}
        self.sandbox.clear_requests()

    # ------------------------------------------------------------------ the sandbox
    def setUp(self):
        super().setUp()
        # One sandbox serves the whole class and keeps what earlier tests wrote.
        self.known = {
            entity: {obj["Id"] for obj in self.realm_store.all(entity)} for entity in TRACKED
        }
        self.sandbox.clear_requests()

    @property
    def realm_store(self):
        return self.sandbox.store(self.realm_id)

    def qbo_docs(self, entity="Invoice"):
        """Objects of ``entity`` created in QBO during this test."""
        return [obj for obj in self.realm_store.all(entity) if obj["Id"] not in self.known[entity]]

    def api_requests(self, path_part=None):
        """Accounting API requests the sandbox received (token requests left out), only
        those whose path holds ``path_part`` (lower case) when given."""
        return [
            r
            for r in self.sandbox.requests
            if r.path.startswith("/v3/company/")
            and (path_part is None or path_part in r.path.lower())
        ]

    def all_requests(self, sandbox=None):
        """Every request ``sandbox`` (default: the class's) received, tokens included."""
        return list((sandbox or self.sandbox).requests)

    def wait_for_qbo(self):
        """Let QBO finish the requests our side stopped waiting for, before counting."""
        for _attempt in range(300):
            if all(r.status is not None for r in self.sandbox.requests):
                return
            time.sleep(0.1)
        self.fail("QBO still works on a request")

    # ------------------------------------------------------------------ crons
    def run_cron(self, name):
        """Run the cron ``quickbooks_online.<name>`` as the scheduler would."""
        self.env.ref(f"quickbooks_online.{name}").method_direct_trigger()
        self.env.invalidate_all()

    def sweep(self):
        self.run_cron("ir_cron_qbo_cdc_sweep")

    def process_events(self):
        self.run_cron("ir_cron_qbo_process_events")


class QboPushCase(QboOrdersMixin, QboCase):
    """A company connected to the sandbox, with the class's parties and products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_orders()


class QboHttpCase(QboOrdersMixin, QboSandboxMixin, HttpCase):
    """:class:`QboPushCase` in an HttpCase: Odoo serves its routes to the test."""

    realm_id = presets.US_REALM

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_sandbox()
        cls.connection = cls.connect_company(cls.env.company, cls.realm_id)
        cls.setup_orders()
