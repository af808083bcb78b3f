"""Token refresh on 401, rotation handed to the caller, reconnect signalling."""

import pytest

from qbo import errors

from .helpers import invoice_payload


def test_401_refreshes_once_and_retries(client, srv, saved, presets):
    old = client.auth.token
    srv.expire_access_tokens()
    info = client.company_info()
    assert info["CompanyName"]
    assert len(saved) == 1
    assert saved[0].refresh_token != old.refresh_token  # the rotated token reached the callback
    assert saved[0].access_token == client.auth.token.access_token
    assert saved[0].realm_id == presets.US_REALM
    api = [r.status for r in srv.requests if "companyinfo" in r.path]
    assert api == [401, 200]
    refreshes = [r for r in srv.requests if r.path.endswith("/tokens/bearer")]
    assert len(refreshes) == 1


def test_second_401_raises(client, srv, saved):
    srv.inject("401", count=2)
    with pytest.raises(errors.AuthenticationError) as raised:
        client.preferences()
    assert raised.value.http_status == 401 and raised.value.code == "3200"
    assert len(saved) == 1  # one refresh, not a loop
    assert [r.status for r in srv.requests if "preferences" in r.path] == [401, 401]


def test_write_retried_after_refresh_keeps_request_id(client, srv, presets, us_refs):
    srv.expire_access_tokens()
    created = client.create("Invoice", invoice_payload(us_refs), "after-401")
    writes = [r for r in srv.requests if r.method == "POST" and "/invoice" in r.path]
    assert [(r.status, r.request_id) for r in writes] == [(401, "after-401"), (200, "after-401")]
    assert created["Id"] in [i["Id"] for i in srv.store(presets.US_REALM).all("Invoice")]


def test_invalid_refresh_token_requires_reconnect(client, srv, saved):
    srv.expire_access_tokens()
    srv.invalidate_refresh_tokens()
    with pytest.raises(errors.ReconnectRequired) as raised:
        client.company_info()
    assert isinstance(raised.value, errors.AuthorizationError)
    assert saved == []


def test_expired_token_is_refreshed_before_sending(client, srv, saved):
    client.auth.token.expires_at = 0  # known to be expired: no 401 round trip
    client.company_info()
    assert len(saved) == 1
    assert [r.status for r in srv.requests if "companyinfo" in r.path] == [200]
