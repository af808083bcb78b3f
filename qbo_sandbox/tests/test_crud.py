"""Create, read, update (full and sparse), delete and void over HTTP."""

from qbo_sandbox.tests.helpers import bill_payload, fault_codes, invoice_payload, je_payload


def test_invoice_create_read_and_computed_fields(us):
    inv = us.create("Invoice", invoice_payload(amount=100.0, DocNumber="S0001"))
    assert inv["Id"].isdigit() and inv["SyncToken"] == "0"
    assert inv["TotalAmt"] == 100.0 and inv["Balance"] == 100.0
    assert inv["Line"][0]["Id"] == "1" and inv["Line"][0]["LineNum"] == 1
    assert inv["Line"][-1]["DetailType"] == "SubTotalLineDetail"
    assert inv["Line"][-1]["Amount"] == 100.0
    assert inv["MetaData"]["CreateTime"] == inv["MetaData"]["LastUpdatedTime"]
    assert inv["CustomerRef"]["name"] == "Amy's Bird Sanctuary"
    assert inv["DueDate"] > inv["TxnDate"]  # Net 30 from the customer
    response = us.read("Invoice", inv["Id"])
    assert response.status_code == 200
    assert response.json()["Invoice"]["Id"] == inv["Id"]
    assert "intuit_tid" in response.headers
    assert "time" in response.json()


def test_sparse_update_keeps_other_fields_and_bumps_synctoken(us):
    inv = us.create("Invoice", invoice_payload(PrivateNote="first"))
    response = us.post(
        "/invoice", {"Id": inv["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "second"}
    )
    updated = response.json()["Invoice"]
    assert updated["SyncToken"] == "1"
    assert updated["PrivateNote"] == "second"
    assert updated["TotalAmt"] == inv["TotalAmt"]
    assert updated["Line"][0]["Id"] == "1"


def test_full_update_drops_fields_left_out(us):
    inv = us.create("Invoice", invoice_payload(PrivateNote="note"))
    full = invoice_payload(amount=30.0)
    full.update({"Id": inv["Id"], "SyncToken": inv["SyncToken"]})
    updated = us.post("/invoice", full).json()["Invoice"]
    assert "PrivateNote" not in updated
    assert updated["TotalAmt"] == 30.0


def test_stale_synctoken_is_5010(us):
    inv = us.create("Invoice", invoice_payload())
    us.post("/invoice", {"Id": inv["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "a"})
    response = us.post(
        "/invoice", {"Id": inv["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "b"}
    )
    assert response.status_code == 400
    assert fault_codes(response) == ["5010"]


def test_delete_then_read_update_delete_are_610(us):
    inv = us.create("Invoice", invoice_payload())
    response = us.post("/invoice", {"Id": inv["Id"], "SyncToken": "0"}, operation="delete")
    assert response.json()["Invoice"] == {"status": "Deleted", "domain": "QBO", "Id": inv["Id"]}
    for again in (
        us.read("Invoice", inv["Id"]),
        us.post("/invoice", {"Id": inv["Id"], "SyncToken": "0", "sparse": True}),
        us.post("/invoice", {"Id": inv["Id"], "SyncToken": "0"}, operation="delete"),
    ):
        assert again.status_code == 400
        error = again.json()["Fault"]["Error"][0]
        assert error["code"] == "610"
        assert error["Detail"] == "Object Not Found : Another user has deleted this transaction."


def test_void_zeroes_amounts_and_prefixes_note(us):
    inv = us.create("Invoice", invoice_payload(amount=80.0, PrivateNote="SO42"))
    voided = us.post("/invoice", {"Id": inv["Id"], "SyncToken": "0"}, operation="void")
    body = voided.json()["Invoice"]
    assert body["TotalAmt"] == 0 and body["Balance"] == 0
    assert body["PrivateNote"].startswith("Voided")
    assert all(line["Amount"] == 0 for line in body["Line"])
    assert us.read("Invoice", inv["Id"]).status_code == 200  # still there


def test_bill_and_journal_entry_create(us):
    bill = us.create("Bill", bill_payload(amount=200.0, DocNumber="V-1"))
    assert bill["APAccountRef"]["name"] == "Accounts Payable (A/P)"
    assert bill["Balance"] == 200.0 and bill["DueDate"] >= bill["TxnDate"]
    assert bill["Line"][0]["AccountBasedExpenseLineDetail"]["TaxCodeRef"] == {"value": "NON"}
    je = us.create("JournalEntry", je_payload(amount=12.5))
    assert je["TotalAmt"] == 12.5 and len(je["Line"]) == 2


def test_name_list_delete_is_inactive_with_suffix(us):
    cust = us.create("Customer", {"DisplayName": "Temp Customer"})
    response = us.post(
        "/customer", {"Id": cust["Id"], "SyncToken": "0", "sparse": True, "Active": False}
    )
    body = response.json()["Customer"]
    assert body["Active"] is False
    assert body["DisplayName"] == "Temp Customer (deleted)"
    assert us.read("Customer", cust["Id"]).json()["Customer"]["Active"] is False
    delete = us.post("/customer", {"Id": cust["Id"], "SyncToken": "1"}, operation="delete")
    assert delete.status_code == 400


def test_unknown_entity_path_is_404(us):
    assert us.get("/nosuchthing/1").status_code == 404


def test_unknown_id_is_610_without_the_deleted_wording(us):
    response = us.read("Invoice", "999999")
    assert response.status_code == 400
    error = response.json()["Fault"]["Error"][0]
    assert error["code"] == "610"
    assert "deleted this transaction" not in error["Detail"]
