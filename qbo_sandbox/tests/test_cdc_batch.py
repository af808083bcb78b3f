"""CDC, batch and requestid replay."""

from qbo_sandbox import presets
from qbo_sandbox.tests.helpers import fault_codes, invoice_payload


def since(srv, seconds_ago=60):
    return srv.clock.stamp(srv.clock.time() - seconds_ago)


def test_cdc_lists_changes_then_deletions(srv, us):
    kept = us.create("Invoice", invoice_payload())
    gone = us.create("Invoice", invoice_payload())
    us.post("/invoice", {"Id": gone["Id"], "SyncToken": "0"}, operation="delete")
    customer = us.create("Customer", {"DisplayName": "CDC Person"})
    response = us.get("/cdc", entities="Invoice,customer", changedSince=since(srv))
    assert response.status_code == 200
    body = response.json()
    assert "time" in body
    invoices, customers = body["CDCResponse"][0]["QueryResponse"]
    assert [i["Id"] for i in invoices["Invoice"]] == [kept["Id"], gone["Id"]]
    deleted = invoices["Invoice"][-1]
    assert deleted == {
        "status": "Deleted",
        "domain": "QBO",
        "Id": gone["Id"],
        "MetaData": {"LastUpdatedTime": deleted["MetaData"]["LastUpdatedTime"]},
    }
    assert [c["Id"] for c in customers["Customer"]] == [customer["Id"]]


def test_cdc_window_and_entity_checks(srv, us):
    old = us.get("/cdc", entities="Invoice", changedSince=since(srv, 31 * 86400))
    assert old.status_code == 400 and fault_codes(old) == ["6000"]
    assert us.get("/cdc", entities="TaxCode", changedSince=since(srv)).status_code == 400
    assert us.get("/cdc", changedSince=since(srv)).status_code == 400
    assert us.get("/cdc", entities="Invoice", changedSince="2026-13-45").status_code == 400


def test_cdc_sees_nothing_new_after_advancing_the_clock(srv, us):
    us.create("Invoice", invoice_payload())
    srv.advance_clock(1800)  # less than the access token's hour
    response = us.get("/cdc", entities="Invoice", changedSince=since(srv, 600))
    assert response.json()["CDCResponse"][0]["QueryResponse"] == [{}]


def test_batch_items_succeed_or_fail_alone(us):
    inv = us.create("Invoice", invoice_payload())
    us.post("/invoice", {"Id": inv["Id"], "SyncToken": "0"}, operation="delete")
    other = us.create("Invoice", invoice_payload())
    response = us.post(
        "/batch",
        {
            "BatchItemRequest": [
                {"bId": "c1", "operation": "create", "Vendor": {"DisplayName": "Batch Vendor"}},
                {
                    "bId": "c2",
                    "operation": "create",
                    "Customer": {"DisplayName": "Blue Sky Logistics"},
                },
                {
                    "bId": "d1",
                    "operation": "delete",
                    "Invoice": {"Id": inv["Id"], "SyncToken": "0"},
                },
                {
                    "bId": "v1",
                    "operation": "update",
                    "optionsData": "void",
                    "Invoice": {"Id": other["Id"], "SyncToken": "0"},
                },
                {"bId": "q1", "Query": "select * from Term where Name = 'Net 30'"},
            ]
        },
    )
    assert response.status_code == 200
    items = {i["bId"]: i for i in response.json()["BatchItemResponse"]}
    assert items["c1"]["Vendor"]["DisplayName"] == "Batch Vendor"
    assert items["c2"]["Fault"]["Error"][0]["code"] == "6240"
    assert items["d1"]["Fault"]["Error"][0]["Detail"].endswith("deleted this transaction.")
    assert items["v1"]["Invoice"]["PrivateNote"] == "Voided"
    assert items["q1"]["QueryResponse"]["Term"][0]["DueDays"] == 30


def test_batch_limit_and_bid_length(us):
    items = [{"bId": f"b{n}", "Query": "select * from Term"} for n in range(31)]
    assert us.post("/batch", {"BatchItemRequest": items}).status_code == 400
    long_bid = [{"bId": "b" * 11, "Query": "select * from Term"}]
    assert us.post("/batch", {"BatchItemRequest": long_bid}).status_code == 200
    response = us.post("/batch", {"BatchItemRequest": long_bid}, requestid="batch-1")
    assert response.status_code == 400 and fault_codes(response) == ["2050"]
    too_long_id = us.post("/batch", {"BatchItemRequest": items[:1]}, requestid="r" * 37)
    assert too_long_id.status_code == 400


def test_batch_creates_many_and_default_page_is_100(srv, us):
    for chunk in range(4):
        items = [
            {
                "bId": f"{chunk}-{n}",
                "operation": "create",
                "Invoice": invoice_payload(DocNumber=f"B{chunk}-{n}"),
            }
            for n in range(30)
        ]
        response = us.post("/batch", {"BatchItemRequest": items})
        assert all("Invoice" in i for i in response.json()["BatchItemResponse"])
    assert len(srv.store(presets.US_REALM).all("Invoice")) == 120
    page = us.query("select * from Invoice").json()["QueryResponse"]
    assert page["maxResults"] == 100
    everything = us.query("select * from Invoice maxresults 1000").json()["QueryResponse"]
    assert everything["maxResults"] == 120
    # above QBO's maximum of 1000 the query is refused, not silently cut
    assert fault_codes(us.query("select * from Invoice maxresults 5000")) == ["4001"]


def test_requestid_replays_the_first_success_and_changes_nothing(srv, us):
    first = us.post("/invoice", invoice_payload(DocNumber="R-1"), requestid="req-1")
    again = us.post(
        "/invoice", invoice_payload(DocNumber="R-1", PrivateNote="x"), requestid="req-1"
    )
    assert again.json() == first.json()
    assert len(srv.store(presets.US_REALM).all("Invoice")) == 1
    # a failed write is not remembered: the corrected retry with the same id succeeds
    bad = us.post("/invoice", invoice_payload(customer="9999"), requestid="req-2")
    assert bad.status_code == 400
    fixed = us.post("/invoice", invoice_payload(), requestid="req-2")
    assert fixed.status_code == 200
    assert us.post("/invoice", invoice_payload(), requestid="x" * 51).status_code == 400


def test_requestid_is_per_realm(us, gb):
    us.post("/customer", {"DisplayName": "Same Request"}, requestid="shared-id")
    response = gb.post("/customer", {"DisplayName": "Same Request"}, requestid="shared-id")
    assert response.json()["Customer"]["DisplayName"] == "Same Request"


def test_batch_replay_per_item(srv, us):
    items = [
        {"bId": "a", "operation": "create", "Customer": {"DisplayName": "Replay A"}},
        {"bId": "b", "operation": "create", "Customer": {"DisplayName": "Emily Platt"}},
    ]
    first = us.post("/batch", {"BatchItemRequest": items}, requestid="batch-r").json()
    items[1]["Customer"]["DisplayName"] = "Replay B"
    second = us.post("/batch", {"BatchItemRequest": items}, requestid="batch-r").json()
    one, two = second["BatchItemResponse"]
    assert one["Customer"]["Id"] == first["BatchItemResponse"][0]["Customer"]["Id"]
    assert two["Customer"]["DisplayName"] == "Replay B"
    names = [c["DisplayName"] for c in srv.store(presets.US_REALM).all("Customer")]
    assert names.count("Replay A") == 1
