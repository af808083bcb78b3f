from datetime import datetime

from odoo import Command
from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .orders import QboPushCase


@tagged("post_install", "-at_install")
class TestPushNonUS(QboPushCase):
    """A UK company (GBP, VAT codes per line, multi-currency on in QBO)."""

    realm_id = presets.GB_REALM

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        gbp = cls.env.ref("base.GBP")
        eur = cls.env.ref("base.EUR")
        (gbp | eur).active = True
        company = cls.env["res.company"].create(
            {"name": "QBO UK Ltd", "currency_id": gbp.id, "country_id": cls.env.ref("base.uk").id}
        )
        cls.env.user.company_ids |= company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[company.id]))
        cls.company = company
        cls.connection = cls.connect_company(company, presets.GB_REALM)
        codes = {
            code.qbo_id: code
            for code in cls.env["qbo.tax.code"].create(
                [
                    {
                        "connection_id": cls.connection.id,
                        "qbo_id": qbo_id,
                        "name": name,
                        "for_sales": True,
                        "for_purchases": True,
                    }
                    for qbo_id, name in (("2", "20.0% S"), ("4", "0.0% Z"))
                ]
            )
        }
        group = cls.env["account.tax.group"].create(
            {"name": "VAT", "company_id": company.id, "country_id": company.country_id.id}
        )
        taxes = (
            cls.env["account.tax"]
            .with_company(company)
            .with_context(
                default_tax_group_id=group.id,
                default_company_id=company.id,
                default_country_id=company.country_id.id,
            )
        )
        # attribute, name, rate, QBO tax code, other values
        for attr, name, amount, code, values in (
            ("vat20", "VAT 20%", 20.0, "2", {}),
            (
                "vat20_included",
                "VAT 20% incl.",
                20.0,
                "2",
                {"price_include_override": "tax_included"},
            ),
            ("zero", "Zero rated", 0.0, "4", {}),
            ("vat20_purchase", "VAT 20% purchases", 20.0, "2", {"type_tax_use": "purchase"}),
        ):
            values.update(name=name, amount=amount, qbo_tax_code_id=codes[code].id)
            setattr(cls, attr, taxes.create(values))
        cls.unmapped = taxes.create({"name": "VAT 5% (unmapped)", "amount": 5.0})
        cls.env["res.currency.rate"].create(
            {"currency_id": eur.id, "company_id": company.id, "name": "2025-01-01", "rate": 1.25}
        )

    def test_connection_is_non_us(self):
        self.assertFalse(self.connection.is_us)
        self.assertEqual(self.connection.qbo_currency, "GBP")

    def test_invoice_with_vat_codes_per_line_tax_excluded(self):
        order = self.make_sale(
            [
                (self.product, 2, 40.0, {"tax_ids": [Command.set(self.vat20.ids)]}),
                (self.service, 1, 25.0, {"tax_ids": [Command.set(self.zero.ids)]}),
            ]
        )
        self.push(order)
        self.assertCreated(order)
        [invoice] = self.qbo_docs()
        self.assertEqual(invoice["GlobalTaxCalculation"], "TaxExcluded")
        lines = [line for line in invoice["Line"] if line["DetailType"] == "SalesItemLineDetail"]
        self.assertEqual(
            [line["SalesItemLineDetail"]["TaxCodeRef"]["value"] for line in lines], ["2", "4"]
        )
        self.assertEqual(invoice["TxnTaxDetail"]["TotalTax"], 16.0)
        self.assertEqual(invoice["TotalAmt"], order.amount_total)
        self.assertEqual(order.amount_total, 121.0)
        self.assertFalse(order.qbo_amount_warning)
        self.assertEqual(invoice["CurrencyRef"]["value"], "GBP")
        self.assertEqual(invoice["ExchangeRate"], 1)  # home currency

    def test_tax_included_prices_are_sent_tax_excluded(self):
        order = self.make_sale(
            [(self.product, 3, 12.0, {"tax_ids": [Command.set(self.vat20_included.ids)]})]
        )
        self.assertEqual(order.amount_total, 36.0)
        self.push(order)
        self.assertCreated(order)
        [invoice] = self.qbo_docs()
        [line] = [line for line in invoice["Line"] if line["DetailType"] == "SalesItemLineDetail"]
        self.assertEqual(line["Amount"], 30.0)
        self.assertEqual(line["SalesItemLineDetail"]["UnitPrice"], 10.0)
        self.assertEqual(invoice["GlobalTaxCalculation"], "TaxExcluded")
        self.assertEqual(invoice["TotalAmt"], 36.0)
        self.assertFalse(order.qbo_amount_warning)

    def test_foreign_currency_sends_currency_and_rate(self):
        eur = self.env.ref("base.EUR")
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": eur.id, "company_id": self.company.id}
        )
        partner = self.env["res.partner"].create(
            {"name": "Lyon Café", "email": "cafe@lyon.example"}
        )
        order = self.make_sale(
            [(self.product, 1, 50.0, {"tax_ids": [Command.set(self.vat20.ids)]})],
            partner=partner,
            pricelist_id=pricelist.id,
        )
        order.date_order = datetime(2025, 2, 1, 12, 0)
        self.push(order)
        self.assertCreated(order)
        [invoice] = self.qbo_docs()
        self.assertEqual(invoice["CurrencyRef"]["value"], "EUR")
        self.assertEqual(invoice["ExchangeRate"], 0.8)  # GBP for one EUR, from Odoo's rate 1.25
        self.assertEqual(invoice["TotalAmt"], 60.0)
        self.assertEqual(invoice["HomeTotalAmt"], 48.0)
        customer = self.realm_store.get("Customer", invoice["CustomerRef"]["value"])
        self.assertEqual(customer["CurrencyRef"]["value"], "EUR")

    def test_unmapped_tax_and_untaxed_line_stop_before_any_call(self):
        order = self.make_sale(
            [
                (self.product, 1, 10.0, {"tax_ids": [Command.set(self.unmapped.ids)]}),
                (self.service, 1, 10.0),
            ]
        )
        self.push(order)
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("VAT 5% (unmapped)", order.qbo_error)
        self.assertIn("tax on every line", order.qbo_error)
        self.assertEqual(self.api_requests(), [])

    def test_bill_with_purchase_vat(self):
        order = self.make_purchase(
            [(self.product, 5, 8.0, {"tax_ids": [Command.set(self.vat20_purchase.ids)]})]
        )
        self.push(order)
        self.assertCreated(order)
        [bill] = self.qbo_docs("Bill")
        self.assertEqual(bill["GlobalTaxCalculation"], "TaxExcluded")
        detail = bill["Line"][0]["ItemBasedExpenseLineDetail"]
        self.assertEqual(detail["TaxCodeRef"]["value"], "2")
        self.assertEqual(bill["Line"][0]["Amount"], 40.0)
        self.assertEqual(bill["TotalAmt"], 48.0)
        self.assertEqual(order.amount_total, 48.0)
        self.assertFalse(order.qbo_amount_warning)
