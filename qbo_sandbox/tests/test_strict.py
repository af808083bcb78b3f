"""What real QBO refuses, the sandbox refuses: unknown properties, sizes, ids, paths."""

import pytest

from qbo_sandbox import presets
from qbo_sandbox.tests.helpers import bill_payload, fault_codes, invoice_payload, je_payload


def refused(response, code, element=None):
    assert response.status_code == 400, response.text
    error = response.json()["Fault"]["Error"][0]
    assert error["code"] == code, error
    if element is not None:
        assert error["element"] == element, error
    return error


def item_line(amount=10.0):
    return invoice_payload(amount=amount)["Line"][0]


# -- unknown or misplaced properties ---------------------------------------------------------------
@pytest.mark.parametrize(
    "entity,payload",
    [
        ("Invoice", invoice_payload(Foo="bar")),
        ("Bill", bill_payload(Memo="x")),
        ("JournalEntry", je_payload(Total=1)),
        ("Customer", {"DisplayName": "Extra Field", "Email": "a@b.co"}),
        ("Vendor", {"DisplayName": "Extra Field", "ShipAddr": {"Line1": "x"}}),
        ("Item", {"Name": "Extra", "Type": "Service", "Price": 3}),
        ("Account", {"Name": "Extra", "AccountType": "Expense", "Balance": 0}),
    ],
)
def test_unknown_property_is_2010(us, entity, payload):
    store = us.srv.store(presets.US_REALM)
    before = len(store.all(entity))
    error = refused(us.post(f"/{entity.lower()}", payload), "2010")
    assert error["Message"] == "Request has invalid or unsupported property"
    assert "Unrecognized field" in error["Detail"] and "not marked as ignorable" in error["Detail"]
    assert len(store.all(entity)) == before


def test_amount_inside_sales_item_line_detail_is_2010(us):
    payload = invoice_payload()
    payload["Line"][0]["SalesItemLineDetail"]["Amount"] = 100.0
    error = refused(us.post("/invoice", payload), "2010", "Amount")
    assert "SalesItemLineDetail" in error["Detail"]
    assert us.srv.store(presets.US_REALM).all("Invoice") == []


@pytest.mark.parametrize(
    "path,value",
    [
        (("CustomerRef", "id"), "1"),  # unknown key in a reference
        (("BillAddr", "Street"), "1 Main"),  # unknown key in an address
        (("Line", 0, "SalesItemLineDetail", "ItemRef", "Id"), "2"),
        (("Line", 0, "Memo"), "x"),  # unknown key on a line
        (("Line", 0, "AccountBasedExpenseLineDetail"), {}),  # a bill line detail on an invoice
        (("CustomerMemo", "text"), "hi"),
        (("TxnTaxDetail", "TaxCode"), "TAX"),
    ],
)
def test_unknown_or_misplaced_property_anywhere_in_an_invoice_is_2010(us, path, value):
    payload = invoice_payload(BillAddr={"Line1": "1 Main"}, CustomerMemo={"value": "Thanks"})
    payload["TxnTaxDetail"] = {}
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    refused(us.post("/invoice", payload), "2010", path[-1])


def test_line_detail_must_match_its_detail_type(us):
    bill = bill_payload()
    bill["Line"][0]["ItemBasedExpenseLineDetail"] = {"ItemRef": {"value": "2"}}
    refused(us.post("/bill", bill), "2010", "ItemBasedExpenseLineDetail")
    je = je_payload()
    je["Line"][0]["SalesItemLineDetail"] = {}
    refused(us.post("/journalentry", je), "2010")
    text = {"DetailType": "DescriptionOnly", "Description": "Note", "DescriptionOnly": {}}
    refused(us.post("/invoice", invoice_payload(Line=[item_line(), text])), "2010")
    assert refused(
        us.post("/invoice", invoice_payload(Line=[dict(item_line(), DetailType="X")])), "2170"
    )


def test_an_object_where_a_value_is_expected_is_2010(us):
    refused(us.post("/invoice", invoice_payload(PrivateNote={"value": "x"})), "2010", "PrivateNote")
    refused(us.post("/invoice", invoice_payload(CustomerRef="1")), "2010", "CustomerRef")
    line = invoice_payload()["Line"][0]
    refused(us.post("/invoice", invoice_payload(Line=line)), "2010", "Line")  # not a list


def test_every_write_path_is_checked(us):
    inv = us.create("Invoice", invoice_payload())
    sparse = {"Id": inv["Id"], "SyncToken": inv["SyncToken"], "sparse": True, "Foo": 1}
    refused(us.post("/invoice", sparse), "2010", "Foo")
    delete = {"Id": inv["Id"], "SyncToken": inv["SyncToken"], "Reason": "x"}
    refused(us.post("/invoice", delete, operation="delete"), "2010", "Reason")
    batch = us.post(
        "/batch",
        {
            "BatchItemRequest": [
                {"bId": "1", "operation": "create", "Invoice": invoice_payload(X=1)}
            ]
        },
    )
    assert batch.json()["BatchItemResponse"][0]["Fault"]["Error"][0]["code"] == "2010"
    assert len(us.srv.store(presets.US_REALM).all("Invoice")) == 1


def test_extra_property_refused_but_what_was_read_is_accepted_back(us, gb):
    """An extra property is refused; every property the sandbox writes is in its own tables,
    so a full update of what was read (read-modify-write) goes through."""
    for api in (us, gb):
        store = api.srv.store(api.realm)
        tax = {} if api is us else {"TaxCodeRef": {"value": "2"}}
        line = invoice_payload()["Line"][0]
        line["SalesItemLineDetail"].update(tax)
        api.create("Invoice", invoice_payload(Line=[line], BillAddr={"Line1": "1 Main"}))
        api.create("Bill", bill_payload(tax="2" if api is gb else None))
        api.create("JournalEntry", je_payload())
        refused(api.post("/journalentry", je_payload(Extra=True)), "2010", "Extra")
        for entity in ("Customer", "Vendor", "Item", "Account", "Term", "Invoice", "Bill"):
            for obj in store.all(entity):
                if obj.get("Active") is False:
                    continue
                response = api.post(f"/{entity.lower()}", obj)
                assert response.status_code == 200, (entity, response.text)


# -- lengths and counts ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "entity,build,element,max_len",
    [
        ("invoice", lambda n: invoice_payload(PrivateNote="n" * n), "PrivateNote", 4000),
        ("invoice", lambda n: invoice_payload(CustomerMemo={"value": "m" * n}), "value", 1000),
        ("invoice", lambda n: invoice_payload(BillAddr={"Line1": "a" * n}), "Line1", 500),
        ("invoice", lambda n: invoice_payload(ShipAddr={"Line5": "a" * n}), "Line5", 500),
        ("bill", lambda n: bill_payload(PrivateNote="n" * n), "PrivateNote", 4000),
        ("journalentry", lambda n: je_payload(PrivateNote="n" * n), "PrivateNote", 4000),
        ("vendor", lambda n: {"DisplayName": "v", "BillAddr": {"City": "c" * n}}, "City", 255),
        ("customer", lambda n: {"DisplayName": "t", "Title": "t" * n}, "Title", 16),
        (
            "customer",
            lambda n: {"DisplayName": "p", "PrimaryPhone": {"FreeFormNumber": "1" * n}},
            "FreeFormNumber",
            30,
        ),
    ],
)
def test_documented_lengths_are_2050_and_the_limit_itself_passes(
    us, entity, build, element, max_len
):
    error = refused(us.post(f"/{entity}", build(max_len + 1)), "2050", element)
    assert f"Max:{max_len} " in error["Detail"]
    assert us.post(f"/{entity}", build(max_len)).status_code == 200


def test_lines_per_transaction(us):
    refused(us.post("/invoice", invoice_payload(Line=[item_line(1.0)] * 751)), "6000", "Line")
    assert us.create("Invoice", invoice_payload(Line=[item_line(1.0)] * 750))["TotalAmt"] == 750


def test_negative_totals_are_refused(us):
    discount = {
        "DetailType": "DiscountLineDetail",
        "Amount": 50.0,
        "DiscountLineDetail": {"PercentBased": False},
    }
    refused(
        us.post("/invoice", invoice_payload(Line=[item_line(10.0), discount])), "6000", "TotalAmt"
    )
    refused(us.post("/bill", bill_payload(amount=-5.0)), "6000", "TotalAmt")
    refused(us.post("/journalentry", je_payload(amount=-5.0)), "6000", "Amount")
    store = us.srv.store(presets.US_REALM)
    assert store.all("Invoice") == store.all("Bill") == store.all("JournalEntry") == []


@pytest.mark.parametrize(
    "item_type,key,account",
    [
        ("Service", "IncomeAccountRef", "9"),  # Checking: a bank account
        ("Service", "IncomeAccountRef", "3"),  # Cost of Goods Sold
        ("NonInventory", "ExpenseAccountRef", "1"),  # Services: an income account
        ("NonInventory", "ExpenseAccountRef", "9"),
        ("Inventory", "ExpenseAccountRef", "7"),  # Advertising: inventory needs COGS
        ("Inventory", "AssetAccountRef", "9"),
    ],
)
def test_item_accounts_must_have_the_right_type(us, item_type, key, account):
    payload = {
        "Name": "Typed",
        "Type": item_type,
        "IncomeAccountRef": {"value": "2"},
        "ExpenseAccountRef": {"value": "3"},
    }
    if item_type == "Inventory":
        payload.update(AssetAccountRef={"value": "4"}, QtyOnHand=1, InvStartDate="2024-01-01")
    payload[key] = {"value": account}
    error = refused(us.post("/item", payload), "6000", key)
    assert "Invalid account type" in error["Detail"]
    payload[key] = {
        "value": {"IncomeAccountRef": "1", "ExpenseAccountRef": "8", "AssetAccountRef": "4"}[key]
    }
    if item_type == "Inventory" and key == "ExpenseAccountRef":
        payload[key] = {"value": "3"}
    assert us.post("/item", payload).status_code == 200


# -- queries and batches ---------------------------------------------------------------------------
def test_maxresults_above_1000_and_long_in_lists_are_refused(us):
    assert fault_codes(us.query("select * from Customer maxresults 1001")) == ["4001"]
    assert fault_codes(us.query("select * from Customer maxresults 0")) == ["4001"]
    ids = ",".join(f"'{n}'" for n in range(1, 1002))
    response = us.post_text("/query", f"select * from Invoice where Id in ({ids})")
    assert fault_codes(response) == ["4001"]
    ids = ",".join(f"'{n}'" for n in range(1, 1001))
    assert us.post_text("/query", f"select * from Invoice where Id in ({ids})").status_code == 200


def test_batch_answer_holds_at_most_1000_objects(srv, us):
    for start in range(0, 1020, 30):
        items = [
            {"bId": str(n), "operation": "create", "Term": {"Name": f"T{start + n}"}}
            for n in range(30)
        ]
        us.post("/batch", {"BatchItemRequest": items})
    big = "select * from Term where Active = true maxresults 1000"
    items = [
        {"bId": "q1", "Query": big},
        {"bId": "w", "operation": "create", "Term": {"Name": "Late"}},
    ]
    answers = us.post("/batch", {"BatchItemRequest": items}).json()["BatchItemResponse"]
    assert len(answers[0]["QueryResponse"]["Term"]) == 1000
    assert answers[1]["Fault"]["Error"][0]["code"] == "6000"
    names = {t["Name"] for t in srv.store(presets.US_REALM).all("Term")}
    assert "Late" not in names  # the refused write did not happen
    items = [
        {"bId": "q1", "Query": "select * from Term maxresults 10"},
        {"bId": "q2", "Query": big},
    ]
    answers = us.post("/batch", {"BatchItemRequest": items}).json()["BatchItemResponse"]
    assert len(answers[0]["QueryResponse"]["Term"]) == 10
    assert answers[1]["Fault"]["Error"][0]["code"] == "6000"


# -- ids and paths ---------------------------------------------------------------------------------
def test_malformed_id_is_2030(us):
    for obj_id in ("1.5", "abc", "-1"):
        error = refused(us.read("Customer", obj_id), "2030", "Id")
        assert error["Message"] == "Invalid ID"
    assert us.read("TaxCode", "TAX").status_code == 200  # US pseudo codes are ids too


def test_malformed_id_in_an_update_is_2030(us):
    refused(us.post("/customer", {"Id": "1.5", "SyncToken": "0", "DisplayName": "x"}), "2030")


@pytest.mark.parametrize(
    "method,path", [("GET", "/customer/1/5"), ("GET", "/invoice"), ("POST", "/customer/1")]
)
def test_unsupported_path_is_400_code_500(us, method, path):
    response = us.get(path) if method == "GET" else us.post(path, {"DisplayName": "x"})
    error = refused(response, "500")
    assert error["Message"] == "Unsupported Operation"
    assert response.json()["Fault"]["type"] == "ValidationFault"


def test_a_sparse_item_update_still_names_the_item(us):
    item = us.read("Item", "2").json()["Item"]
    change = {"Id": item["Id"], "SyncToken": item["SyncToken"], "sparse": True, "Description": "x"}
    refused(us.post("/item", change), "2020", "Name")
    assert us.post("/item", dict(change, Name=item["Name"])).ok
