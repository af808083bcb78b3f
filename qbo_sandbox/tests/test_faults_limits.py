"""Injected faults, latency and QBO's throttles."""

import threading
import time

import pytest
import requests

from qbo_sandbox import presets
from qbo_sandbox.limits import Limits
from qbo_sandbox.tests.helpers import fault_codes, invoice_payload


def test_injected_429_has_retry_after_scaled(srv, us):
    srv.set_limits(enabled=False, time_scale=60)
    srv.inject("429", path="/query")
    response = us.query("select * from Term")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert fault_codes(response) == ["3001"]
    assert us.query("select * from Term").status_code == 200  # only the next one


@pytest.mark.parametrize(
    "kind,status,code",
    [("500", 500, "10000"), ("6000", 400, "6000"), ("401", 401, None), ("503", 503, None)],
)
def test_injected_status_faults(srv, us, kind, status, code):
    srv.inject(kind, count=2, realm_id=presets.US_REALM)
    for _ in range(2):
        response = us.get("/preferences")
        assert response.status_code == status
    if code == "6000":
        assert (
            "Please wait a few minutes and try again"
            in response.json()["Fault"]["Error"][0]["Detail"]
        )
    elif code:
        assert fault_codes(response) == [code]
    if kind == "401":
        assert response.json()["fault"]["error"][0]["code"] == "3200"
    assert us.get("/preferences").status_code == 200


def test_injection_filters_by_realm_and_method(srv, us, gb):
    srv.inject("500", realm_id=presets.GB_REALM, method="POST")
    assert us.post("/customer", {"DisplayName": "Filter A"}).status_code == 200
    assert gb.get("/preferences").status_code == 200
    assert gb.post("/customer", {"DisplayName": "Filter B"}).status_code == 500


def test_injected_5010_hits_the_next_update_only(srv, us):
    srv.inject("5010")
    inv = us.create("Invoice", invoice_payload())  # a create does not consume it
    response = us.post("/invoice", {"Id": inv["Id"], "SyncToken": "0", "sparse": True})
    assert fault_codes(response) == ["5010"]
    assert us.post("/invoice", {"Id": inv["Id"], "SyncToken": "0", "sparse": True}).ok


def test_reset_drops_the_connection(srv, us):
    srv.inject("reset")
    with pytest.raises(requests.ConnectionError):
        us.get("/preferences")
    assert srv.requests[-1].status is None
    assert us.get("/preferences").status_code == 200


def test_commit_then_fail_and_retry_with_the_same_requestid(srv, us):
    srv.inject("commit_then_fail", path="/invoice", method="POST")
    with pytest.raises(requests.ConnectionError):
        us.post("/invoice", invoice_payload(DocNumber="CTF-1"), requestid="ctf-1")
    stored = srv.store(presets.US_REALM).all("Invoice")
    assert len(stored) == 1  # the write happened
    retry = us.post("/invoice", invoice_payload(DocNumber="CTF-1"), requestid="ctf-1")
    assert retry.status_code == 200
    assert retry.json()["Invoice"]["Id"] == stored[0]["Id"]
    assert len(srv.store(presets.US_REALM).all("Invoice")) == 1


def test_timeout_stalls_longer_than_the_client_waits(srv, us):
    srv.slow_seconds = 0.6
    srv.inject("timeout")
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        us.session.get(f"{us.base}/preferences", headers=us.headers(), timeout=0.2)
    assert time.monotonic() - started < 0.5
    assert us.get("/preferences").status_code == 200


def test_latency_is_added(srv, us):
    srv.set_latency(0.2)
    started = time.monotonic()
    us.get("/preferences")
    assert time.monotonic() - started >= 0.2


def test_unknown_injection_kind_is_rejected(srv):
    with pytest.raises(ValueError):
        srv.inject("418")


def test_500_per_minute_throttle(srv, us):
    srv.set_limits(enabled=True, time_scale=6)  # a "minute" lasts 10 s
    statuses = [us.get("/preferences").status_code for _ in range(500)]
    assert set(statuses) == {200}
    throttled = us.get("/preferences")
    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["Retry-After"]) <= 10
    assert throttled.json()["Fault"]["Error"][0]["code"] == "3001"
    assert Api429(srv).other_realm_ok()


class Api429:
    """The throttle is per realm: another company is not affected."""

    def __init__(self, srv):
        self.srv = srv

    def other_realm_ok(self):
        token = self.srv.grant(presets.GB_REALM)["access_token"]
        response = requests.get(
            f"{self.srv.url}/v3/company/{presets.GB_REALM}/preferences",
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=5,
        )
        return response.status_code == 200


def test_40_batches_per_minute(srv, us):
    srv.set_limits(enabled=True, time_scale=6)
    batch = {"BatchItemRequest": [{"bId": "1", "Query": "select * from Term"}]}
    assert all(us.post("/batch", batch).status_code == 200 for _ in range(40))
    assert us.post("/batch", batch).status_code == 429
    assert us.get("/preferences").status_code == 200  # plain requests still pass


def test_concurrent_limit(srv):
    srv.set_limits(enabled=True, time_scale=1)
    srv.set_latency(0.4)
    token = srv.grant(presets.US_REALM)["access_token"]
    statuses = []

    def call():
        response = requests.get(
            f"{srv.url}/v3/company/{presets.US_REALM}/preferences",
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=5,
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=call) for _ in range(14)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses.count(429) >= 1 and statuses.count(200) >= 10


def test_window_recovers_after_the_scaled_minute():
    limits = Limits()
    limits.configure(enabled=True, time_scale=600)  # a "minute" lasts 0.1 s
    for _ in range(40):
        assert limits.acquire("r", batch=True) is None
        limits.release("r")
    assert limits.acquire("r", batch=True) == 1
    time.sleep(0.12)
    assert limits.acquire("r", batch=True) is None


def test_json_only(srv, us):
    response = us.session.get(
        f"{us.base}/preferences",
        headers={"Authorization": us.headers()["Authorization"], "Accept": "application/xml"},
    )
    assert response.status_code == 406


def test_skip_aims_the_fault_at_a_later_request(srv, us):
    srv.inject("500", path="/query", skip=2)
    assert us.query("select * from Term").status_code == 200
    assert us.query("select * from Term").status_code == 200
    assert us.query("select * from Term").status_code == 500
    assert us.query("select * from Term").status_code == 200


def test_injected_5010_hits_a_delete(srv, us):
    srv.inject("5010", path="/invoice")
    inv = us.create("Invoice", invoice_payload())
    payload = {"Id": inv["Id"], "SyncToken": inv["SyncToken"]}
    assert fault_codes(us.post("/invoice", payload, operation="delete")) == ["5010"]
    assert us.post("/invoice", payload, operation="delete").ok
