"""Every client operation against the running sandbox."""

from datetime import datetime, timedelta, timezone

import pytest

from qbo import errors, query

from .helpers import invoice_payload, unique


def _api_requests(srv, path_part):
    return [r for r in srv.requests if path_part in r.path]


def test_read_create_update_void(client, srv, presets, us_refs):
    customer = client.read("customer", us_refs["customer"]["Id"])
    assert customer["Id"] == us_refs["customer"]["Id"]

    created = client.create("Invoice", invoice_payload(us_refs, unique("C")), "create-1")
    assert created["TotalAmt"] == 100.0
    assert created["SyncToken"] == "0"
    assert client.read("Invoice", created["Id"])["Id"] == created["Id"]

    updated = client.update(
        "Invoice",
        {"Id": created["Id"], "SyncToken": created["SyncToken"], "PrivateNote": "from Odoo"},
        "update-1",
    )
    assert updated["PrivateNote"] == "from Odoo"
    assert updated["SyncToken"] != created["SyncToken"]
    assert updated["Line"][0]["Amount"] == 100.0  # sparse: lines kept

    full = dict(updated, Line=invoice_payload(us_refs, amount=40.0)["Line"])
    full_updated = client.update("Invoice", full, "update-2", sparse=False)
    assert full_updated["TotalAmt"] == 40.0

    voided = client.void("Invoice", created["Id"], full_updated["SyncToken"], "void-1")
    assert voided["TotalAmt"] == 0
    assert voided["PrivateNote"].startswith("Voided")

    writes = [r for r in srv.requests if r.method == "POST" and "/invoice" in r.path]
    assert [r.request_id for r in writes] == ["create-1", "update-1", "update-2", "void-1"]
    assert all(
        r.query.get("minorversion") in ("75", ["75"])
        for r in srv.requests
        if r.path.startswith("/v3/")
    )


def test_delete_then_read_raises_deleted(client, srv, us_refs):
    created = client.create("Invoice", invoice_payload(us_refs), "create-del")
    stub = client.delete("Invoice", created["Id"], created["SyncToken"], "delete-1")
    assert stub["status"] == "Deleted" and stub["Id"] == created["Id"]
    with pytest.raises(errors.ObjectNotFoundError) as raised:
        client.read("Invoice", created["Id"])
    assert raised.value.deleted is True
    assert raised.value.code == "610" and raised.value.http_status == 400
    assert raised.value.intuit_tid == srv.requests[-1].intuit_tid
    assert "deleted this transaction" in str(raised.value)


def test_write_arguments_are_checked(client, us_refs):
    with pytest.raises(ValueError):
        client.create("Invoice", invoice_payload(us_refs), "")
    with pytest.raises(ValueError):
        client.create("Invoice", invoice_payload(us_refs), "x" * 51)
    with pytest.raises(ValueError):
        client.update("Invoice", {"Id": "1"}, "rid")


def test_preferences_and_company_info(make_client, presets):
    us, gb = make_client(presets.US_REALM), make_client(presets.GB_REALM)
    assert us.company_info()["Country"] in ("US", "USA")
    assert gb.company_info()["Country"] in ("GB", "GBR")
    assert us.preferences()["CurrencyPrefs"]["MultiCurrencyEnabled"] is False
    assert gb.preferences()["CurrencyPrefs"]["MultiCurrencyEnabled"] is True
    assert gb.preferences()["SalesFormsPrefs"]["CustomTxnNumbers"] is True


def test_query_escaping_roundtrip(client, srv):
    name = unique("Amy's \\Bird\\ 'Sanctuary' ")
    created = client.create("Customer", {"DisplayName": name}, unique("cust-"))
    found = query.rows(
        client.query(f"select * from Customer where DisplayName = {query.quote(name)}")
    )
    assert [c["Id"] for c in found] == [created["Id"]]
    assert client.count("Customer", f"DisplayName = {query.quote(name)}") == 1
    both = client.query_all("Customer", where=f"Id IN {query.in_list([created['Id'], '-1'])}")
    assert [c["Id"] for c in both] == [created["Id"]]


def test_long_query_is_posted(client, srv, us_refs):
    ids = [str(n) for n in range(1, 400)] + [us_refs["customer"]["Id"]]
    rows = client.query_all("Customer", where=f"Id IN {query.in_list(ids)}")
    assert us_refs["customer"]["Id"] in {c["Id"] for c in rows}
    assert [r.method for r in _api_requests(srv, "/query")][-1] == "POST"


def test_batch_split_matched_and_query_all_pages(client, srv, presets):
    prefix = unique("Batch ")
    items = [
        {"bId": f"c{n}", "operation": "create", "Customer": {"DisplayName": f"{prefix} {n:04d}"}}
        for n in range(1005)
    ]
    existing = client.query_all("Customer")[0]["DisplayName"]
    items.append({"bId": "dup", "operation": "create", "Customer": {"DisplayName": existing}})
    items.append({"bId": "q", "Query": "select count(*) from Customer"})
    srv.clear_requests()
    results = client.batch(items, request_id="import-2026-01")

    assert list(results) == [item["bId"] for item in items]  # input order, matched by bId
    assert all(results[f"c{n}"].ok for n in range(1005))
    assert results["c17"].entity == "Customer"
    assert results["c17"].data["DisplayName"] == f"{prefix} 0017"
    assert results["c1004"].data["DisplayName"] == f"{prefix} 1004"
    assert not results["dup"].ok and isinstance(results["dup"].error, errors.DuplicateNameError)
    assert results["q"].ok and results["q"].entity == "QueryResponse"

    batches = _api_requests(srv, "/batch")
    assert len(batches) == 34  # ceil(1007 / 30)
    assert [r.request_id for r in batches] == [f"import-2026-01-{n}" for n in range(1, 35)]

    where = f"DisplayName LIKE {query.quote(prefix + '%')}"
    assert client.count("Customer", where) == 1005
    srv.clear_requests()
    rows = client.query_all("Customer", where=where, order_by="Id")
    assert len(rows) == 1005 and len({r["Id"] for r in rows}) == 1005
    pages = [_query_text(r) for r in _api_requests(srv, "/query")]
    assert len(pages) == 2
    assert "STARTPOSITION 1 MAXRESULTS 1000" in pages[0]
    assert "STARTPOSITION 1001 MAXRESULTS 1000" in pages[1]
    small = client.query_all("Customer", where=where, page_size=400)
    assert len(small) == 1005


def _query_text(record):
    value = record.query.get("query", "")
    return value[0] if isinstance(value, list) else value


def test_batch_arguments_are_checked(client):
    create = {"operation": "create", "Customer": {"DisplayName": "X"}}
    with pytest.raises(ValueError):
        client.batch([dict(create, bId="a")])  # writes need a request_id
    with pytest.raises(ValueError):
        client.batch([dict(create, bId="a"), dict(create, bId="a")], request_id="r")
    with pytest.raises(ValueError):
        client.batch([dict(create, bId="longer-than-10")], request_id="r")
    with pytest.raises(ValueError):
        client.batch([{"bId": "a", "Customer": {}}], request_id="r")


def test_batch_request_ids_fit_36_chars(client, srv):
    items = [{"bId": f"q{n}", "Query": "select * from Term"} for n in range(31)]
    long_id = "x" * 50
    results = client.batch(items, request_id=long_id)
    assert all(r.ok for r in results.values())
    ids = [r.request_id for r in _api_requests(srv, "/batch")]
    assert len(ids) == 2 and len(set(ids)) == 2 and all(len(i) <= 36 for i in ids)


def test_cdc_with_deleted_objects(client, srv, us_refs):
    since = datetime.now(timezone.utc) - timedelta(minutes=5)
    kept = client.create("Invoice", invoice_payload(us_refs), "cdc-1")
    gone = client.create("Invoice", invoice_payload(us_refs), "cdc-2")
    client.delete("Invoice", gone["Id"], gone["SyncToken"], "cdc-3")
    result = client.cdc(["Invoice", "customer"], since)
    assert result.time
    assert kept["Id"] in [inv["Id"] for inv in result.changed["Invoice"]]
    assert gone["Id"] not in [inv["Id"] for inv in result.changed["Invoice"]]
    assert result.deleted["Invoice"] == [gone["Id"]]
    assert result.changed["Customer"] == [] and result.deleted["Customer"] == []
    assert not result.maybe_truncated
    with pytest.raises(errors.ValidationError):
        client.cdc("Invoice", datetime.now(timezone.utc) - timedelta(days=45))
