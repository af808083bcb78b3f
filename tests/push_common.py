"""Shared ground of the push tests: orders, products and request counting."""

import time

from odoo import Command
from odoo.tests import new_test_user

from .common import QboCase


class QboPushCase(QboCase):
    """A connected company plus helpers building confirmed orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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

    def make_sale(self, lines=None, partner=None, confirm=True, **values):
        """A sales order; ``lines`` are (product, qty, price[, extra values]) tuples."""
        lines = lines if lines is not None else [(self.product, 2, 40.0)]
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "order_line": [
                    Command.create(self._line(line, "product_uom_qty")) for line in lines
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def make_purchase(self, lines=None, partner=None, confirm=True, **values):
        lines = lines if lines is not None else [(self.product, 3, 20.0)]
        order = self.env["purchase.order"].create(
            {
                "partner_id": (partner or self.vendor).id,
                "order_line": [Command.create(self._line(line, "product_qty")) for line in lines],
                **values,
            }
        )
        if confirm:
            order.button_confirm()
        return order

    @staticmethod
    def _line(line, qty_field):
        if isinstance(line, dict):
            return line
        product, qty, price, *extra = line
        values = {"product_id": product.id, qty_field: qty, "price_unit": price, "tax_ids": []}
        if extra:
            values.update(extra[0])
        return values

    # ------------------------------------------------------------------ QBO side
    #: entities whose objects made by earlier tests of the class are left out of ``new``
    TRACKED = ("Invoice", "Bill", "Customer", "Vendor", "Item")

    def setUp(self):
        super().setUp()
        # One sandbox serves the whole class and keeps what earlier tests wrote.
        self.known = {
            entity: {obj["Id"] for obj in self.realm_store.all(entity)} for entity in self.TRACKED
        }
        self.sandbox.clear_requests()

    @property
    def realm_store(self):
        return self.sandbox.store(self.realm_id)

    def new(self, entity):
        """Objects of ``entity`` created in QBO during this test."""
        return [obj for obj in self.realm_store.all(entity) if obj["Id"] not in self.known[entity]]

    def qbo_docs(self, entity="Invoice"):
        return self.new(entity)

    def api_requests(self):
        """Accounting API requests the sandbox received (token requests left out)."""
        return [r for r in self.sandbox.requests if r.path.startswith("/v3/company/")]

    def push(self, order):
        order.action_qbo_push()
        order.invalidate_recordset()
        return order

    def assertCreated(self, order):
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        self.assertTrue(order.qbo_txn_id)

    def warm_up(self):
        """Push one order so that the customer and the product are linked."""
        self.push(self.make_sale())
        self.known["Invoice"] |= {doc["Id"] for doc in self.qbo_docs()}
        self.sandbox.clear_requests()

    def wait_for_qbo(self):
        """Let QBO finish the requests our side stopped waiting for, before counting."""
        for _attempt in range(300):
            if all(r.status is not None for r in self.sandbox.requests):
                return
            time.sleep(0.1)
        self.fail("QBO still works on a request")
