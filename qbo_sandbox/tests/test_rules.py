"""QBO's business rules and the fault each one raises."""

from qbo_sandbox import presets
from qbo_sandbox.tests.helpers import bill_payload, fault_codes, invoice_payload, je_payload


def first_error(response):
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["Fault"]["type"] == "ValidationFault" and "time" in body
    return body["Fault"]["Error"][0]


def test_display_name_unique_across_customers_vendors_employees(us):
    # "Blue Sky Logistics" is a preset vendor; "Old Client (deleted)" an inactive customer
    for entity, name in (
        ("customer", "Blue Sky Logistics"),
        ("vendor", "acme supplies"),
        ("vendor", "Emily Platt"),
        ("customer", "Old Client (deleted)"),
    ):
        error = first_error(us.post(f"/{entity}", {"DisplayName": name}))
        assert error["code"] == "6240"
        assert error["Message"] == "Duplicate Name Exists Error"


def test_display_name_built_from_name_parts_or_2020(us):
    cust = us.create("Customer", {"GivenName": "Jane", "FamilyName": "Roe"})
    assert cust["DisplayName"] == "Jane Roe"
    error = first_error(us.post("/customer", {"CompanyName": "No Person"}))
    assert (error["code"], error["element"]) == ("2020", "DisplayName")


def test_item_name_unique(us):
    error = first_error(
        us.post("/item", {"Name": "widget", "Type": "Service", "IncomeAccountRef": {"value": "1"}})
    )
    assert error["code"] == "6240"


def test_item_rules(us):
    assert first_error(us.post("/item", {"Name": "X", "Type": "Group"}))["code"] == "2170"
    error = first_error(
        us.post(
            "/item",
            {
                "Name": "Stock",
                "Type": "Inventory",
                "IncomeAccountRef": {"value": "2"},
                "ExpenseAccountRef": {"value": "3"},
                "QtyOnHand": 1,
                "InvStartDate": "2024-01-01",
            },
        )
    )
    assert (error["code"], error["element"]) == ("2020", "AssetAccountRef")


def test_docnumber_duplicate_is_6140_with_existing_txn_id(us):
    first = us.create("Invoice", invoice_payload(DocNumber="SO-7"))
    error = first_error(us.post("/invoice", invoice_payload(DocNumber="SO-7")))
    assert error["code"] == "6140"
    assert error["Detail"].endswith(
        f"DocNumber=SO-7 is assigned to TxnType=Invoice with TxnId={first['Id']}"
    )
    # other transaction types have their own numbers; the URL option allows duplicates
    us.create("JournalEntry", je_payload(DocNumber="SO-7"))
    assert (
        us.post(
            "/invoice", invoice_payload(DocNumber="SO-7"), include="allowduplicatedocnum"
        ).status_code
        == 200
    )


def test_docnumber_auto_numbered_without_custom_numbers(srv, us):
    srv.set_preferences(presets.US_REALM, custom_txn_numbers=False)
    a = us.create("Invoice", invoice_payload())
    b = us.create("Invoice", invoice_payload())
    assert int(b["DocNumber"]) == int(a["DocNumber"]) + 1
    us.create("Invoice", invoice_payload(DocNumber=a["DocNumber"]))  # no 6140 then


def test_docnumber_too_long_is_2050(us):
    error = first_error(us.post("/invoice", invoice_payload(DocNumber="X" * 22)))
    assert (error["code"], error["element"]) == ("2050", "DocNumber")


def test_required_fields_are_2020_naming_the_element(us):
    error = first_error(us.post("/invoice", {"Line": invoice_payload()["Line"]}))
    assert (error["code"], error["element"]) == ("2020", "CustomerRef")
    error = first_error(us.post("/bill", {"VendorRef": {"value": "5"}}))
    assert (error["code"], error["element"]) == ("2020", "Line")


def test_6140_and_2020_reported_together(us):
    us.create("JournalEntry", je_payload(DocNumber="JE-1"))
    bad = je_payload(DocNumber="JE-1")
    del bad["Line"][1]["JournalEntryLineDetail"]["AccountRef"]
    response = us.post("/journalentry", bad)
    assert fault_codes(response) == ["6140", "2020"]
    assert response.json()["Fault"]["Error"][1]["element"] == "AccountRef"


def test_unknown_ref_is_2500_and_inactive_ref_is_610(us):
    assert first_error(us.post("/invoice", invoice_payload(customer="9999")))["code"] == "2500"
    inactive = first_error(us.post("/invoice", invoice_payload(customer="4")))  # Old Client
    assert inactive["code"] == "610" and "inactive" in inactive["Detail"]
    assert first_error(us.post("/invoice", invoice_payload(item="5")))["code"] == "610"


def test_journal_entry_rules(us):
    one_line = je_payload()
    one_line["Line"] = one_line["Line"][:1]
    error = first_error(us.post("/journalentry", one_line))
    assert error["code"] == "6000" and "Fill out at least two detail lines" in error["Detail"]
    unbalanced = je_payload()
    unbalanced["Line"][1]["Amount"] = 9.0
    assert first_error(us.post("/journalentry", unbalanced))["code"] == "6000"
    receivable = je_payload(debit="6")  # Accounts Receivable (A/R)
    error = first_error(us.post("/journalentry", receivable))
    assert "When you use Accounts Receivable, you must choose a customer" in error["Detail"]
    receivable["Line"][0]["JournalEntryLineDetail"]["Entity"] = {
        "Type": "Customer",
        "EntityRef": {"value": "1"},
    }
    assert us.post("/journalentry", receivable).status_code == 200
    payable = je_payload(credit="5")
    assert "Accounts Payable" in first_error(us.post("/journalentry", payable))["Detail"]


def test_amount_must_equal_qty_times_unit_price(us):
    payload = invoice_payload(amount=100.0)
    payload["Line"][0]["SalesItemLineDetail"].update(Qty=3, UnitPrice=33.33)
    error = first_error(us.post("/invoice", payload))
    assert error["code"] == "6070" and "UnitPrice * Qty" in error["Message"]
    payload["Line"][0]["Amount"] = 99.99
    assert us.post("/invoice", payload).status_code == 200


def test_foreign_currency_needs_multicurrency(srv, us):
    error = first_error(us.post("/invoice", invoice_payload(CurrencyRef={"value": "EUR"})))
    assert error["code"] == "6000" and error["element"] == "CurrencyRef"
    srv.set_preferences(presets.US_REALM, multi_currency=True)
    eur_customer = us.create(
        "Customer", {"DisplayName": "Euro Kunde", "CurrencyRef": {"value": "EUR"}}
    )
    inv = us.create(
        "Invoice",
        invoice_payload(
            customer=eur_customer["Id"],
            amount=100.0,
            CurrencyRef={"value": "EUR"},
            ExchangeRate=1.1,
        ),
    )
    assert inv["HomeTotalAmt"] == 110.0 and inv["ExchangeRate"] == 1.1


def test_gb_lines_need_a_tax_code(gb):
    payload = invoice_payload(customer="1", tax=None)
    del payload["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"]
    error = first_error(gb.post("/invoice", payload))
    assert error["code"] == "6000" and "VAT" in error["Detail"]


def test_gb_vat_tax_excluded_and_inclusive(gb):
    inv = gb.create("Invoice", invoice_payload(customer="1", amount=100.0, tax="2"))
    assert inv["GlobalTaxCalculation"] == "TaxExcluded"
    assert inv["TxnTaxDetail"]["TotalTax"] == 20.0 and inv["TotalAmt"] == 120.0
    assert inv["TxnTaxDetail"]["TaxLine"][0]["TaxLineDetail"]["TaxRateRef"] == {"value": "1"}
    assert inv["HomeTotalAmt"] == 120.0 and inv["CurrencyRef"]["value"] == "GBP"
    inclusive = gb.create(
        "Invoice",
        invoice_payload(customer="1", amount=120.0, tax="2", GlobalTaxCalculation="TaxInclusive"),
    )
    assert inclusive["TxnTaxDetail"]["TotalTax"] == 20.0 and inclusive["TotalAmt"] == 120.0
    reduced = gb.create("Bill", bill_payload(vendor="4", amount=50.0, account="7", tax="3"))
    assert reduced["TxnTaxDetail"]["TotalTax"] == 2.5 and reduced["TotalAmt"] == 52.5
    rate_ref = reduced["TxnTaxDetail"]["TaxLine"][0]["TaxLineDetail"]["TaxRateRef"]
    assert rate_ref == {"value": "4"}  # the purchase rate of 5.0% R


def test_gb_customer_currency_must_match(gb):
    # Paris Bistro SARL (Id 2) is a EUR customer
    error = first_error(
        gb.post("/invoice", invoice_payload(customer="2", tax="2", CurrencyRef={"value": "GBP"}))
    )
    assert error["code"] == "6000"
    inv = gb.create(
        "Invoice", invoice_payload(customer="2", amount=10.0, tax="4", ExchangeRate=0.85)
    )
    assert inv["CurrencyRef"]["value"] == "EUR" and inv["HomeTotalAmt"] == 8.5


def test_us_sales_tax_from_txn_tax_code(us):
    payload = invoice_payload(
        amount=200.0, tax="TAX", TxnTaxDetail={"TxnTaxCodeRef": {"value": "2"}}
    )
    payload["Line"].append(invoice_payload(amount=50.0, tax="NON")["Line"][0])
    inv = us.create("Invoice", payload)
    assert inv["TxnTaxDetail"]["TotalTax"] == 16.5  # 8.25% of the 200 taxable
    assert inv["TotalAmt"] == 266.5
    assert "GlobalTaxCalculation" not in inv


def test_payment_marks_invoice_paid(srv, us):
    inv = us.create("Invoice", invoice_payload(amount=100.0))
    payment = srv.add_payment(presets.US_REALM, inv["Id"], 40)
    partly = us.read("Invoice", inv["Id"]).json()["Invoice"]
    assert partly["Balance"] == 60.0 and partly["SyncToken"] == "1"
    assert partly["LinkedTxn"] == [{"TxnId": payment["Id"], "TxnType": "Payment"}]
    assert us.read("Customer", "1").json()["Customer"]["Balance"] == 60.0
    us.create(
        "Payment",
        {
            "CustomerRef": {"value": "1"},
            "TotalAmt": 60,
            "Line": [{"Amount": 60, "LinkedTxn": [{"TxnId": inv["Id"], "TxnType": "Invoice"}]}],
        },
    )
    assert us.read("Invoice", inv["Id"]).json()["Invoice"]["Balance"] == 0
    too_much = us.post(
        "/payment",
        {
            "CustomerRef": {"value": "1"},
            "TotalAmt": 5,
            "Line": [{"Amount": 5, "LinkedTxn": [{"TxnId": inv["Id"], "TxnType": "Invoice"}]}],
        },
    )
    assert first_error(too_much)["code"] == "6000"
    deleting = us.post("/invoice", {"Id": inv["Id"], "SyncToken": "2"}, operation="delete")
    assert first_error(deleting)["code"] == "6000"


def test_deleting_a_payment_reopens_the_invoice(srv, us):
    inv = us.create("Invoice", invoice_payload(amount=100.0))
    payment = srv.add_payment(presets.US_REALM, inv["Id"], 100)
    assert us.read("Invoice", inv["Id"]).json()["Invoice"]["Balance"] == 0
    us.post("/payment", {"Id": payment["Id"], "SyncToken": "0"}, operation="delete")
    reopened = us.read("Invoice", inv["Id"]).json()["Invoice"]
    assert reopened["Balance"] == 100.0 and reopened["LinkedTxn"] == []


def test_bill_payment(srv, us):
    bill = us.create("Bill", bill_payload(amount=80.0))
    srv.add_bill_payment(presets.US_REALM, bill["Id"], 80)
    paid = us.read("Bill", bill["Id"]).json()["Bill"]
    assert paid["Balance"] == 0 and paid["LinkedTxn"][0]["TxnType"] == "BillPayment"
    missing = us.post(
        "/billpayment", {"VendorRef": {"value": "5"}, "TotalAmt": 1, "PayType": "Check", "Line": []}
    )
    assert first_error(missing)["code"] == "2020"


def test_bill_cannot_be_voided(us):
    bill = us.create("Bill", bill_payload())
    response = us.post("/bill", {"Id": bill["Id"], "SyncToken": "0"}, operation="void")
    assert response.status_code == 400


def test_read_only_entities_and_settings(us):
    assert us.post("/taxcode", {"Name": "New"}).status_code == 400
    assert us.read("TaxCode", "TAX").json()["TaxCode"]["Name"] == "TAX"
    prefs = us.get("/preferences").json()["Preferences"]
    assert prefs["SalesFormsPrefs"]["CustomTxnNumbers"] is True
    assert prefs["CurrencyPrefs"]["MultiCurrencyEnabled"] is False
    info = us.get(f"/companyinfo/{presets.US_REALM}").json()["CompanyInfo"]
    assert info["Country"] == "US"


def test_closed_books_refuse_transactions_dated_in_the_closed_period(srv, us):
    open_invoice = us.create("Invoice", invoice_payload(TxnDate="2025-02-01"))
    prefs = srv.set_preferences(presets.US_REALM, book_close_date="2025-01-31")
    assert prefs["AccountingInfoPrefs"]["BookCloseDate"] == "2025-01-31"
    read = us.get("/preferences").json()["Preferences"]
    assert read["AccountingInfoPrefs"]["BookCloseDate"] == "2025-01-31"
    closed = first_error(us.post("/invoice", invoice_payload(TxnDate="2025-01-31")))
    assert closed["code"] == "6210"
    assert closed["Message"] == "Account Period Closed"
    assert closed["element"] == "TxnDate"
    # the day after the close date is open; moving a document into the closed period is not
    assert us.post("/invoice", invoice_payload(TxnDate="2025-02-01")).status_code == 200
    moved = {"Id": open_invoice["Id"], "SyncToken": "0", "sparse": True, "TxnDate": "2025-01-15"}
    assert first_error(us.post("/invoice", moved))["code"] == "6210"
    srv.set_preferences(presets.US_REALM, book_close_date="2025-02-28")
    deleting = {"Id": open_invoice["Id"], "SyncToken": "0"}
    assert first_error(us.post("/invoice", deleting, operation="delete"))["code"] == "6210"
    srv.set_preferences(presets.US_REALM, book_close_date="")
    assert us.post("/invoice", deleting, operation="delete").status_code == 200


def test_item_accounts_of_each_side(us):
    """A NonInventory item needs one side's account; each side needs its own to use it."""
    error = first_error(us.post("/item", {"Name": "No side", "Type": "NonInventory"}))
    assert (error["code"], error["element"]) == ("2020", "ExpenseAccountRef")
    sold = us.create(
        "Item", {"Name": "Sold only", "Type": "NonInventory", "IncomeAccountRef": {"value": "2"}}
    )
    bought = us.create(
        "Item", {"Name": "Bought only", "Type": "NonInventory", "ExpenseAccountRef": {"value": "3"}}
    )
    assert us.post("/invoice", invoice_payload(item=sold["Id"])).status_code == 200
    error = first_error(us.post("/invoice", invoice_payload(item=bought["Id"])))
    assert (error["code"], error["element"]) == ("6000", "ItemRef")
    assert "no income account" in error["Detail"]
    bill = bill_payload()
    detail = {"ItemRef": {"value": sold["Id"]}, "Qty": 1, "UnitPrice": 10.0}
    bill["Line"] = [
        {
            "DetailType": "ItemBasedExpenseLineDetail",
            "Amount": 10.0,
            "ItemBasedExpenseLineDetail": detail,
        }
    ]
    error = first_error(us.post("/bill", bill))
    assert (error["code"], error["element"]) == ("6000", "ItemRef")
    assert "no expense account" in error["Detail"]
    detail["ItemRef"] = {"value": bought["Id"]}
    assert us.post("/bill", bill).status_code == 200
