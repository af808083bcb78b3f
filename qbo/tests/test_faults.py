"""Every error type, produced by the sandbox over HTTP."""

import pytest

from qbo import errors, query

from .helpers import invoice_payload, unique


def test_6140_duplicate_doc_number_gives_existing_id(client, us_refs):
    number = unique("DUP")
    first = client.create("Invoice", invoice_payload(us_refs, number), unique("r"))
    with pytest.raises(errors.DuplicateDocNumberError) as raised:
        client.create("Invoice", invoice_payload(us_refs, number), unique("r"))
    assert raised.value.existing_txn_id == first["Id"]
    assert raised.value.code == "6140" and raised.value.retryable is False


def test_6240_duplicate_name(client, us_refs):
    with pytest.raises(errors.DuplicateNameError) as raised:
        client.create("Vendor", {"DisplayName": us_refs["customer"]["DisplayName"]}, unique("r"))
    assert raised.value.code == "6240"
    assert "name supplied already exists" in str(raised.value)


def test_5010_stale_sync_token(client, us_refs):
    created = client.create("Invoice", invoice_payload(us_refs), unique("r"))
    client.update("Invoice", {"Id": created["Id"], "SyncToken": "0", "PrivateNote": "a"}, "u1")
    with pytest.raises(errors.StaleObjectError) as raised:
        client.update("Invoice", {"Id": created["Id"], "SyncToken": "0", "PrivateNote": "b"}, "u2")
    assert raised.value.code == "5010"


def test_5010_injected(client, srv, us_refs):
    created = client.create("Invoice", invoice_payload(us_refs), unique("r"))
    srv.inject("5010")
    with pytest.raises(errors.StaleObjectError):
        client.update("Invoice", {"Id": created["Id"], "SyncToken": "0", "PrivateNote": "x"}, "u3")


def test_610_deleted(client, srv, presets, us_refs):
    created = client.create("Invoice", invoice_payload(us_refs), unique("r"))
    srv.delete_entity(presets.US_REALM, "Invoice", created["Id"])
    with pytest.raises(errors.ObjectNotFoundError) as raised:
        client.update("Invoice", {"Id": created["Id"], "SyncToken": "0", "PrivateNote": "x"}, "u4")
    assert raised.value.deleted is True


@pytest.mark.parametrize(
    "sql, code",
    [
        ("select * from Customer where DisplayName = 'unterminated", "4000"),
        ("select * from Vendor where PrimaryEmailAddr = 'a@b.c'", "4001"),
    ],
)
def test_query_errors(client, sql, code):
    with pytest.raises(errors.QueryError) as raised:
        client.query(sql)
    assert raised.value.code == code and isinstance(raised.value, errors.ValidationError)


def test_other_validation_fault(client, us_refs):
    payload = invoice_payload(us_refs)
    del payload["Line"]
    with pytest.raises(errors.ValidationError) as raised:
        client.create("Invoice", payload, unique("r"))
    assert type(raised.value) is errors.ValidationError
    assert raised.value.code == "2020" and raised.value.element


def test_6000_transient_is_resent_with_same_request_id(client, srv, presets, us_refs):
    srv.inject("6000", count=2)
    created = client.create("Invoice", invoice_payload(us_refs), "transient-1")
    writes = [r for r in srv.requests if r.method == "POST" and "/invoice" in r.path]
    assert [r.request_id for r in writes] == ["transient-1"] * 3
    assert [r.status for r in writes] == [400, 400, 200]
    assert [i["Id"] for i in srv.store(presets.US_REALM).all("Invoice")].count(created["Id"]) == 1


def test_6000_transient_gives_up(make_client, srv, us_refs):
    client = make_client(max_retries=1)
    srv.inject("6000", count=5)
    with pytest.raises(errors.TransientError) as raised:
        client.create("Invoice", invoice_payload(us_refs), "transient-2")
    assert raised.value.retryable and raised.value.code == "6000"


def test_token_of_another_realm_is_authorization_error(make_client, make_auth, presets):
    client = make_client(presets.GB_REALM, auth=make_auth(presets.US_REALM))
    with pytest.raises(errors.AuthorizationError) as raised:
        client.company_info()
    assert raised.value.http_status == 403 and raised.value.code == "3100"
    assert not isinstance(raised.value, errors.ReconnectRequired)


def test_missing_object_and_bad_query(client):
    with pytest.raises(errors.ObjectNotFoundError) as raised:
        client.read("Invoice", "999999")
    assert raised.value.deleted is False
    with pytest.raises(errors.QueryError):
        client.query(f"select * from Customer where DisplayName = {query.quote('x')} and")
