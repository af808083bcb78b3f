"""The shipping charge of a sales form: QBO's ``SHIPPING_ITEM_ID`` line, taken only when
the company's Shipping preference (``SalesFormsPrefs.AllowShipping``) is on."""

from qbo_sandbox import presets
from qbo_sandbox.tests.helpers import invoice_payload


def _with_shipping(amount, tax="NON"):
    payload = invoice_payload(amount=100.0)
    payload["Line"].append(
        {
            "DetailType": "SalesItemLineDetail",
            "Amount": amount,
            "SalesItemLineDetail": {
                "ItemRef": {"value": "SHIPPING_ITEM_ID"},
                "TaxCodeRef": {"value": tax},
            },
        }
    )
    return payload


def test_shipping_preference_is_off_by_default_and_can_be_switched(srv, us):
    def allow_shipping():
        return us.get("/preferences").json()["Preferences"]["SalesFormsPrefs"]["AllowShipping"]

    assert allow_shipping() is False
    srv.set_preferences(presets.US_REALM, allow_shipping=True)
    assert allow_shipping() is True


def test_shipping_line_refused_while_off_and_totalled_once_on(srv, us):
    response = us.post("/invoice", _with_shipping(12.5))
    assert response.status_code == 400, response.text
    error = response.json()["Fault"]["Error"][0]
    assert (error["code"], error["element"]) == ("2500", "ItemRef")
    assert "SHIPPING_ITEM_ID" in error["Detail"]
    assert (
        not us.query("select * from Invoice where TotalAmt = '112.5'")
        .json()["QueryResponse"]
        .get("Invoice")
    )
    # the same invoice once the preference is on: the charge counts in the total
    srv.set_preferences(presets.US_REALM, allow_shipping=True)
    invoice = us.create("Invoice", _with_shipping(12.5))
    assert invoice["TotalAmt"] == 112.5
    shipping = [
        line
        for line in invoice["Line"]
        if line.get("SalesItemLineDetail", {}).get("ItemRef", {}).get("value") == "SHIPPING_ITEM_ID"
    ]
    assert [line["Amount"] for line in shipping] == [12.5]
