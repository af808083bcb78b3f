"""Writes sent once, and a deadline for every call of a client."""

import time

import pytest

from qbo import errors

from .helpers import invoice_payload, unique


@pytest.mark.parametrize(
    "kind, error",
    [
        ("commit_then_fail", errors.TransportError),
        ("commit_then_500", errors.ServerError),
        ("commit_then_6000", errors.TransientError),
    ],
)
def test_a_write_qbo_may_have_committed_is_not_sent_again(
    client, srv, presets, us_refs, kind, error
):
    """QBO may not honour requestid: the caller must look before it writes again."""
    number = unique("ONCE")
    srv.set_profile(ignore_requestid=True)
    srv.inject(kind, path="/invoice")
    try:
        with pytest.raises(error):
            client.create(
                "Invoice", invoice_payload(us_refs, number), "once-1", resend_unsure=False
            )
    finally:
        srv.set_profile()
    invoices = [
        i for i in srv.store(presets.US_REALM).all("Invoice") if i.get("DocNumber") == number
    ]
    assert len(invoices) == 1
    writes = [r for r in srv.requests if r.method == "POST" and "/invoice" in r.path]
    assert len(writes) == 1


def test_what_never_reached_qbo_is_still_retried(client, srv, us_refs):
    srv.inject("429", path="/invoice", retry_after=1)
    created = client.create("Invoice", invoice_payload(us_refs), unique("r"), resend_unsure=False)
    assert created["Id"]


def test_a_call_ends_by_the_clients_deadline(make_client, srv):
    """A hanging QBO: 4 retries of a 5 s read would take 25 s; the deadline cuts it to 1 s."""
    client = make_client(max_retries=4, deadline=time.monotonic() + 1.0)
    srv.slow_seconds = 3.0
    srv.inject("timeout", count=5)
    start = time.monotonic()
    with pytest.raises(errors.TransportError) as raised:
        client.preferences()
    assert raised.value.timed_out
    assert time.monotonic() - start < 2.0
    with pytest.raises(errors.TransportError):
        client.preferences()  # past the deadline: no request at all
