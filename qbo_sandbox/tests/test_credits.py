"""CreditMemo and VendorCredit: create, read, query, delete, CDC, strictness."""

from qbo_sandbox.tests.helpers import fault_codes, invoice_payload, item_line


def since(srv, seconds_ago=60):
    return srv.clock.stamp(srv.clock.time() - seconds_ago)


def vendor_credit_payload(vendor="5", amount=40.0, item="4", **extra):
    line = item_line("ItemBasedExpenseLineDetail", item, amount, qty=2)
    return {"VendorRef": {"value": vendor}, "Line": [line], **extra}


def test_credit_memo_create_read_query_delete(srv, us):
    memo = us.create("CreditMemo", invoice_payload(amount=30.0, PrivateNote="WH/IN/00001"))
    assert memo["TotalAmt"] == 30.0 and memo["Balance"] == 30.0
    assert memo["RemainingCredit"] == 30.0
    assert "DueDate" not in memo and "Deposit" not in memo
    assert us.read("CreditMemo", memo["Id"]).json()["CreditMemo"]["Id"] == memo["Id"]
    rows = us.query(
        f"select * from CreditMemo where CustomerRef = '1' and TxnDate = '{memo['TxnDate']}'"
    ).json()["QueryResponse"]["CreditMemo"]
    assert [row["Id"] for row in rows] == [memo["Id"]]
    deleted = us.post("/creditmemo", {"Id": memo["Id"], "SyncToken": "0"}, operation="delete")
    assert deleted.json()["CreditMemo"]["status"] == "Deleted"
    changes = us.get("/cdc", entities="CreditMemo", changedSince=since(srv)).json()
    rows = changes["CDCResponse"][0]["QueryResponse"][0]["CreditMemo"]
    assert rows[-1]["status"] == "Deleted" and rows[-1]["Id"] == memo["Id"]


def test_credit_memo_refuses_what_an_invoice_has_and_a_credit_has_not(us):
    for extra in ({"DueDate": "2026-01-01"}, {"SalesTermRef": {"value": "1"}}, {"Deposit": 1}):
        response = us.post("/creditmemo", invoice_payload(**extra))
        assert fault_codes(response) == ["2010"], extra
    response = us.post("/creditmemo", {"Id": "1", "SyncToken": "0"}, operation="void")
    assert response.status_code == 400
    negative = invoice_payload(amount=-5.0)
    negative["Line"][0]["SalesItemLineDetail"]["UnitPrice"] = -5.0
    assert fault_codes(us.post("/creditmemo", negative)) == ["6000"]


def test_vendor_credit_create_and_strictness(us):
    credit = us.create("VendorCredit", vendor_credit_payload(amount=40.0))
    assert credit["TotalAmt"] == 40.0 and credit["Balance"] == 40.0
    assert credit["APAccountRef"]["name"] == "Accounts Payable (A/P)"
    assert "DueDate" not in credit
    assert fault_codes(us.post("/vendorcredit", vendor_credit_payload(DueDate="2026-01-01"))) == [
        "2010"
    ]
    wrong_line = vendor_credit_payload()
    wrong_line["Line"][0]["DetailType"] = "SalesItemLineDetail"
    assert fault_codes(us.post("/vendorcredit", wrong_line)) == ["2170"]
