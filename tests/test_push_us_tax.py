"""US sales tax: QuickBooks' total agrees with Odoo's, or the order says why.

QuickBooks companies on automated sales tax work the tax out from the ship-to address and
honour only a ``TotalTax`` override; older ones apply the rate group the invoice names. A
QuickBooks user with sales rights pushes over JSON-RPC; the sandbox holds what arrived.
"""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.quickbooks_online.qbo import Token
from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboSandboxMixin


@tagged("post_install", "-at_install")
class TestPushUsTax(QboSandboxMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_sandbox()
        cls.connection = cls.connect_company(cls.env.company, presets.US_REALM)
        cls.seller = new_test_user(
            cls.env,
            login="qbo_us_tax_seller",
            groups="base.group_user,quickbooks_online.group_qbo_user,"
            "sales_team.group_sale_salesman_all_leads",
        )
        states = cls.env["res.country.state"].search([("country_id.code", "=", "US")])
        state = {s.code: s for s in states if s.code in ("CA", "TX")}
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Bayside Cafe",
                "is_company": True,
                "street": "12 Harbour Road",
                "city": "Oakland",
                "zip": "94607",
                "state_id": state["CA"].id,
                "country_id": cls.env.ref("base.us").id,
            }
        )
        cls.texas = cls.env["res.partner"].create(
            {
                "name": "Austin Depot",
                "street": "500 Congress Ave",
                "city": "Austin",
                "zip": "78701",
                "state_id": state["TX"].id,
                "country_id": cls.env.ref("base.us").id,
            }
        )
        product = {"type": "consu", "taxes_id": [Command.clear()]}
        cls.lamp = cls.env["product.product"].create(
            dict(product, name="Brass Lamp", default_code="UST-LAMP", list_price=25.0)
        )
        cls.labour = cls.env["product.product"].create(
            dict(product, name="Fitting", default_code="UST-FIT", list_price=25.0, type="service")
        )

    def setUp(self):
        super().setUp()
        self.connection._qbo_store_token(
            Token.from_response(self.sandbox.grant(self.connection.realm_id))
        )
        self.env.flush_all()

    # ------------------------------------------------------------------ helpers
    def automated_sales_tax(self):
        """The QuickBooks company uses automated sales tax; the connection reads it as at
        connect time."""
        self.sandbox.set_preferences(presets.US_REALM, automated_sales_tax=True)
        self.addCleanup(self.sandbox.set_preferences, presets.US_REALM, automated_sales_tax=False)
        self.connection._qbo_read_company()
        self.assertTrue(self.connection.automated_sales_tax)

    def tax(self, name, rate, group=None):
        values = {"name": name, "amount": rate}
        if group:
            values["qbo_tax_code_id"] = (
                self.env["qbo.tax.code"]
                .create(
                    {
                        "connection_id": self.connection.id,
                        "qbo_id": group[0],
                        "name": group[1],
                        "for_sales": True,
                    }
                )
                .id
            )
        return self.env["account.tax"].create(values)

    def order(self, lines, **values):
        """A confirmed order of ``lines`` [(product, qty, taxes)] at 25.00 a unit."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": 25.0,
                            "tax_ids": [Command.set(taxes.ids)],
                        }
                    )
                    for product, qty, taxes in lines
                ],
                **values,
            }
        )
        order.action_confirm()
        return order

    def push(self, order):
        """The salesperson clicks *Create invoice*."""
        self.authenticate(self.seller.login, self.seller.login)
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/sale.order/action_qbo_push",
            {
                "model": "sale.order",
                "method": "action_qbo_push",
                "args": [order.ids],
                "kwargs": {"context": {"allowed_company_ids": [order.company_id.id]}},
            },
        )
        self.env.invalidate_all()
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        return self.sandbox.store(presets.US_REALM).get("Invoice", order.qbo_txn_id)

    def pushed_warning(self, order, qbo_total):
        """Push ``order``, check QuickBooks' total; return the warning (plain spaces)."""
        self.assertEqual(self.push(order)["TotalAmt"], qbo_total)
        self.assertFalse(order.qbo_error)
        return order.qbo_amount_warning.replace("\xa0", " ")

    def assertCodes(self, invoice, codes):
        self.assertEqual(
            [
                line["SalesItemLineDetail"]["TaxCodeRef"]["value"]
                for line in invoice["Line"]
                if line["DetailType"] == "SalesItemLineDetail"
            ],
            codes,
        )

    # ------------------------------------------------------------------ automated sales tax
    def test_automated_sales_tax_gets_odoo_tax_as_override(self):
        self.automated_sales_tax()
        tax = self.tax("Sales tax 7.25%", 7.25)
        order = self.order([(self.lamp, 4, tax), (self.labour, 2, self.env["account.tax"])])
        self.assertEqual(order.amount_total, 157.25)
        invoice = self.push(order)
        self.assertEqual(invoice["ShipAddr"]["CountrySubDivisionCode"], "CA")
        # QBO's own rate for California is 8.25 %; the override keeps Odoo's 7.25 on 100.
        self.assertEqual(invoice["TxnTaxDetail"]["TotalTax"], 7.25)
        self.assertEqual(invoice["TotalAmt"], 157.25)
        self.assertCodes(invoice, ["TAX", "NON"])
        self.assertEqual(order.qbo_total, 157.25)
        self.assertFalse(order.qbo_amount_warning)

    def test_automated_sales_tax_difference_names_the_ship_to_address(self):
        self.automated_sales_tax()
        tax = self.tax("Sales tax 7.25%", 7.25)
        order = self.order([(self.lamp, 4, tax)], partner_shipping_id=self.texas.id)
        # The company collects no tax in Texas: QuickBooks charges none, override or not.
        warning = self.pushed_warning(order, 100.0)
        self.assertIn("QuickBooks computed $ 0.00 sales tax for the ship-to address", warning)
        self.assertIn("Odoo computed $ 7.25", warning)
        self.assertIn("delivery address", warning)

    def test_switch_to_automated_sales_tax_is_noticed(self):
        """Connected while on rate groups; the QuickBooks company then turns to automated
        sales tax: the first invoice whose tax differs says why, the next one agrees."""
        self.connection._qbo_read_company()
        self.assertFalse(self.connection.automated_sales_tax)
        self.sandbox.set_preferences(presets.US_REALM, automated_sales_tax=True)
        self.addCleanup(self.sandbox.set_preferences, presets.US_REALM, automated_sales_tax=False)
        # Mapped as the rate-group company's setup required; QuickBooks now ignores the group.
        tax = self.tax("Sales tax 7.25%", 7.25, group=("2", "Alameda"))
        first = self.order([(self.lamp, 4, tax)])
        warning = self.pushed_warning(first, 108.25)
        self.assertIn("QuickBooks computed $ 8.25 sales tax for the ship-to address", warning)
        self.assertTrue(self.connection.automated_sales_tax)
        second = self.order([(self.lamp, 4, tax)])
        self.assertEqual(self.push(second)["TotalAmt"], 107.25)
        self.assertFalse(second.qbo_amount_warning)

    # ------------------------------------------------------------------ rate groups
    def test_rate_group_mode_sends_the_mapped_group(self):
        self.connection._qbo_read_company()
        self.assertFalse(self.connection.automated_sales_tax)
        tax = self.tax("Boston 6.25%", 6.25, group=("3", "Boston"))
        order = self.order([(self.lamp, 4, tax), (self.labour, 2, self.env["account.tax"])])
        invoice = self.push(order)
        self.assertEqual(invoice["TxnTaxDetail"]["TxnTaxCodeRef"]["value"], "3")
        self.assertEqual(invoice["TotalAmt"], order.amount_total)
        self.assertEqual(order.amount_total, 156.25)
        self.assertCodes(invoice, ["TAX", "NON"])
        self.assertFalse(order.qbo_amount_warning)

    def test_rate_group_with_another_rate_names_the_group(self):
        tax = self.tax("Sales tax 10%", 10.0, group=("2", "Alameda"))
        warning = self.pushed_warning(self.order([(self.lamp, 4, tax)]), 108.25)
        self.assertIn("QuickBooks' rate group Alameda charged $ 8.25 sales tax", warning)
        self.assertIn("Odoo computed $ 10.00", warning)
        self.assertIn("make the Odoo tax's rate match the group's", warning)
