"""US sales tax: rate groups (legacy) and automated sales tax with its TotalTax override."""

import requests

from qbo_sandbox import presets
from qbo_sandbox.tests.helpers import invoice_payload


def ship_to(state):
    return {"Line1": "1 Market St", "City": "Somewhere", "CountrySubDivisionCode": state}


def taxed_invoice(state=None, **extra):
    """200 taxable and 50 non-taxable, shipped to ``state`` (the customer's address if None)."""
    payload = invoice_payload(amount=200.0, tax="TAX", **extra)
    payload["Line"].append(invoice_payload(amount=50.0, tax="NON")["Line"][0])
    if state:
        payload["ShipAddr"] = ship_to(state)
    return payload


def automated(srv, on=True):
    response = requests.post(
        f"{srv.url}/_sandbox/preferences",
        json={"realm_id": presets.US_REALM, "automated_sales_tax": on},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_automated_tax_follows_the_ship_to_state_not_the_sent_group(srv, us):
    automated(srv)
    prefs = us.get("/preferences").json()["Preferences"]
    assert prefs["TaxPrefs"]["PartnerTaxEnabled"] is True
    boston = {"TxnTaxCodeRef": {"value": "3"}}
    inv = us.create("Invoice", taxed_invoice("CA", TxnTaxDetail=boston))
    # Alameda (7.25 % + 1 %) for California, on the 200 of TAX lines only
    assert inv["TxnTaxDetail"]["TxnTaxCodeRef"] == {"value": "2"}
    assert inv["TxnTaxDetail"]["TotalTax"] == 16.5
    assert inv["TotalAmt"] == 266.5
    inv = us.create("Invoice", taxed_invoice("ma"))
    assert inv["TxnTaxDetail"]["TxnTaxCodeRef"] == {"value": "3"}
    assert inv["TxnTaxDetail"]["TotalTax"] == 12.5


def test_automated_tax_without_ship_to_uses_the_company_address(srv, us):
    automated(srv)
    payload = taxed_invoice()
    customer = us.read("Customer", "1").json()["Customer"]
    assert "ShipAddr" not in customer
    inv = us.create("Invoice", payload)
    # the company is in California
    assert inv["TxnTaxDetail"]["TotalTax"] == 16.5


def test_automated_tax_charges_nothing_where_the_company_does_not_collect(srv, us):
    automated(srv)
    for address in (ship_to("TX"), {"Line1": "1 Market St", "City": "Oakland"}):
        payload = taxed_invoice(TxnTaxDetail={"TotalTax": 14.5})
        payload["ShipAddr"] = address
        inv = us.create("Invoice", payload)
        assert inv["TxnTaxDetail"] == {"TotalTax": 0}
        assert inv["TotalAmt"] == 250.0


def test_automated_tax_honours_the_total_tax_override(srv, us):
    # rate groups (no automated sales tax) recompute the tax whatever TotalTax says
    alameda = {"TxnTaxCodeRef": {"value": "2"}, "TotalTax": 14.5}
    assert us.create("Invoice", taxed_invoice("CA", TxnTaxDetail=alameda))["TotalAmt"] == 266.5
    automated(srv)
    inv = us.create("Invoice", taxed_invoice("CA", TxnTaxDetail={"TotalTax": 14.5}))
    detail = inv["TxnTaxDetail"]
    assert detail["TotalTax"] == 14.5
    assert detail["TxnTaxCodeRef"] == {"value": "2"}
    # prorated over the group's rates: 7.25 / 8.25 and 1 / 8.25 of 14.50
    assert [line["Amount"] for line in detail["TaxLine"]] == [12.74, 1.76]
    assert inv["TotalAmt"] == 264.5


def test_automated_tax_counts_a_line_without_code_as_taxable(srv, us):
    payload = taxed_invoice("CA")
    del payload["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"]
    legacy = us.create("Invoice", payload)
    assert legacy["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"] == {"value": "NON"}
    automated(srv)
    payload = taxed_invoice("CA")
    del payload["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"]
    inv = us.create("Invoice", payload)
    assert inv["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"] == {"value": "TAX"}
    assert inv["TxnTaxDetail"]["TotalTax"] == 16.5
