"""The client's call observer: one redacted record per API call, reads told from writes."""

from datetime import datetime, timedelta, timezone

import pytest

from qbo import errors

from .helpers import invoice_payload, unique


@pytest.fixture
def records():
    return []


@pytest.fixture
def observed(make_client, records):
    return make_client(on_call=records.append)


def test_every_call_is_recorded_once_and_reads_are_metered(observed, records, us_refs, srv):
    records.clear()
    invoice = observed.create("Invoice", invoice_payload(us_refs, unique("OBS")), "obs-1")
    observed.read("Invoice", invoice["Id"])
    observed.query("SELECT * FROM Customer")
    observed.cdc(["Invoice"], datetime.now(timezone.utc) - timedelta(hours=1))
    observed.update(
        "Invoice",
        {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"], "PrivateNote": "x"},
        "o2",
    )
    observed.batch([{"bId": "1", "Query": "SELECT * FROM Item"}])
    seen = [(r.method, r.entity, r.operation, r.metered, r.status) for r in records]
    assert seen == [
        ("POST", "Invoice", "create", False, 200),
        ("GET", "Invoice", "read", True, 200),
        ("GET", "Customer", "query", True, 200),
        ("GET", "Invoice", "cdc", True, 200),
        ("POST", "Invoice", "update", False, 200),
        ("POST", "Batch", "batch", True, 200),
    ]
    created = records[0]
    assert unique("OBS")[:3] in created.request_body
    assert '"Invoice"' in created.response_body
    assert created.intuit_tid
    assert created.duration > 0
    assert not created.error


def test_a_failed_call_is_recorded_with_its_error_after_its_retries(observed, records, srv, calls):
    records.clear()
    srv.inject("500", 10, path="/query")
    with pytest.raises(errors.ServerError):
        observed.query("SELECT * FROM Customer")
    assert len(records) == 1
    assert len(calls) > 1  # the retries are attempts of one call
    assert records[0].status == 500
    assert records[0].error


def test_records_carry_no_token(observed, records, srv, us_refs):
    srv.expire_access_tokens()
    records.clear()
    observed.query("SELECT * FROM Item")  # 401, refresh, retry: one call
    token = observed.auth.access_token
    assert len(records) == 1
    text = repr(records)
    assert token not in text
    assert "Bearer" not in text


def test_an_observer_that_fails_never_fails_the_call(make_client, us_refs):
    def broken(record):
        raise RuntimeError("observer down")

    client = make_client(on_call=broken)
    assert client.query("SELECT * FROM Customer")["Customer"]
