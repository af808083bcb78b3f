"""Transport retries: throttling, server errors, resets, timeouts, lost write responses."""

import socket
import time

import pytest

from qbo import QboClient, errors

from .helpers import invoice_payload, unique


def _path_statuses(srv, part):
    return [r.status for r in srv.requests if part in r.path]


def test_429_honours_retry_after(client, srv, calls):
    srv.set_limits(enabled=False, time_scale=600)  # Retry-After: 60 s scaled, at least 1 s
    srv.inject("429")
    started = time.monotonic()
    assert client.preferences()
    assert time.monotonic() - started >= 0.9  # waited for Retry-After, not the 0.01 s backoff
    assert calls.statuses[-2:] == [429, 200]
    assert _path_statuses(srv, "preferences") == [429, 200]


def test_429_beyond_budget_raises_throttled(make_client, srv):
    client = make_client(max_retry_after=0.05)
    srv.set_limits(enabled=False, time_scale=60)  # Retry-After of 1 s > 0.05 s budget
    srv.inject("429")
    with pytest.raises(errors.ThrottledError) as raised:
        client.preferences()
    assert raised.value.retry_after and raised.value.retry_after > 0.05
    assert raised.value.http_status == 429 and raised.value.retryable
    assert _path_statuses(srv, "preferences") == [429]


@pytest.mark.parametrize("kind", ["500", "503"])
def test_server_errors_are_retried(client, srv, kind):
    srv.inject(kind, count=2)
    assert client.company_info()
    assert _path_statuses(srv, "companyinfo") == [int(kind), int(kind), 200]


def test_server_errors_exhaust_retries(make_client, srv):
    client = make_client(max_retries=2)
    srv.inject("500", count=10)
    with pytest.raises(errors.ServerError) as raised:
        client.company_info()
    assert raised.value.http_status == 500 and raised.value.retryable
    assert _path_statuses(srv, "companyinfo") == [500, 500, 500]


def test_connection_reset_is_retried(client, srv, calls):
    srv.inject("reset")
    assert client.preferences()
    assert calls.statuses[-2:] == [None, 200]


def test_timeout_is_retried_then_raises(make_client, srv):
    client = make_client(timeout=(2, 0.3), max_retries=1)
    srv.slow_seconds = 1.0
    srv.inject("timeout")
    assert client.preferences()
    srv.inject("timeout", count=5)
    with pytest.raises(errors.TransportError) as raised:
        client.preferences()
    assert "in time" in str(raised.value) and raised.value.retryable


def test_commit_then_fail_write_is_replayed_once(client, srv, presets, us_refs):
    number = unique("CTF")
    srv.inject("commit_then_fail", path="/invoice")
    created = client.create("Invoice", invoice_payload(us_refs, number), "ctf-1")
    invoices = [
        i for i in srv.store(presets.US_REALM).all("Invoice") if i.get("DocNumber") == number
    ]
    assert len(invoices) == 1 and invoices[0]["Id"] == created["Id"]
    writes = [r for r in srv.requests if r.method == "POST" and "/invoice" in r.path]
    assert len(writes) == 2 and {r.request_id for r in writes} == {"ctf-1"}


def test_unreachable_server_is_transport_error(make_auth, presets):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens there once closed
    client = QboClient(
        presets.US_REALM,
        make_auth(presets.US_REALM),
        environment="custom",
        base_url=f"http://127.0.0.1:{port}",
        max_retries=1,
        backoff_factor=0.01,
    )
    with pytest.raises(errors.TransportError) as raised:
        client.preferences()
    assert "reach" in str(raised.value)


def test_on_request_sees_every_attempt(client, srv, calls):
    srv.inject("503")
    client.preferences()
    assert [(m, s) for m, _u, s, _e in calls][-2:] == [("GET", 503), ("GET", 200)]
    assert all("/v3/company/" in url and elapsed is not None for _m, url, _s, elapsed in calls)


@pytest.mark.parametrize("kind", ["429_bare", "429_xml"])
def test_429_without_retry_after_or_in_xml_is_retried_then_throttled(make_client, srv, kind):
    srv.inject(kind)
    client = make_client()
    assert client.preferences()  # retried with the client's own backoff
    assert _path_statuses(srv, "preferences") == [429, 200]
    srv.inject(kind, count=10)
    with pytest.raises(errors.ThrottledError) as raised:
        make_client(max_retries=1).preferences()
    assert raised.value.code == "3001" and raised.value.retry_after is None
