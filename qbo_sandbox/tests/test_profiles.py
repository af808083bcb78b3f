"""Hostile profiles: switched per test (Python, control endpoint) and on the command line."""

import time

import pytest
import requests

from qbo_sandbox import SandboxServer, presets
from qbo_sandbox.__main__ import make_server
from qbo_sandbox.tests.helpers import fault_codes, invoice_payload
from qbo_sandbox.tests.test_oauth import token


def invoices(srv, realm=presets.US_REALM):
    return srv.store(realm).all("Invoice")


def test_requestid_ignored(srv, us):
    srv.set_profile(ignore_requestid=True)
    for _ in range(2):
        assert us.post("/invoice", invoice_payload(), requestid="same").status_code == 200
    assert len(invoices(srv)) == 2


def test_requestid_forgotten_after_ttl(srv, us):
    srv.set_profile(requestid_ttl=60)
    first = us.post("/invoice", invoice_payload(), requestid="r1").json()["Invoice"]
    srv.advance_clock(59)
    assert us.post("/invoice", invoice_payload(), requestid="r1").json()["Invoice"] == first
    srv.advance_clock(2)
    second = us.post("/invoice", invoice_payload(), requestid="r1").json()["Invoice"]
    assert second["Id"] != first["Id"] and len(invoices(srv)) == 2
    items = [{"bId": "b1", "operation": "create", "Invoice": invoice_payload()}]
    us.post("/batch", {"BatchItemRequest": items}, requestid="b")
    srv.advance_clock(61)
    us.post("/batch", {"BatchItemRequest": items}, requestid="b")
    assert len(invoices(srv)) == 4


def test_refused_write_replayed_only_under_replay_failures(srv, us):
    bad = invoice_payload(customer="999")  # no such customer: 2500
    # default: a refusal is not remembered, the corrected write under the same id succeeds
    assert fault_codes(us.post("/invoice", bad, requestid="r1")) == ["2500"]
    assert us.post("/invoice", invoice_payload(), requestid="r1").status_code == 200
    srv.set_profile(replay_failures=True)
    assert fault_codes(us.post("/invoice", bad, requestid="r2")) == ["2500"]
    again = us.post("/invoice", invoice_payload(), requestid="r2")
    assert again.status_code == 400 and fault_codes(again) == ["2500"]
    assert us.post("/invoice", invoice_payload(), requestid="r3").status_code == 200
    # a batch item's refusal too, per (requestid, bId); queries are never remembered
    items = [
        {"bId": "b1", "operation": "create", "Invoice": bad},
        {"bId": "q1", "Query": "SELECT * FROM Customer WHERE Id = '999'"},
    ]
    us.post("/batch", {"BatchItemRequest": items}, requestid="b")
    items[0]["Invoice"] = invoice_payload()
    answer = us.post("/batch", {"BatchItemRequest": items}, requestid="b").json()
    by_bid = {item["bId"]: item for item in answer["BatchItemResponse"]}
    assert by_bid["b1"]["Fault"]["Error"][0]["code"] == "2500"
    assert "QueryResponse" in by_bid["q1"]
    assert len(invoices(srv)) == 2


def test_custom_numbers_off_and_duplicate_warning_off(srv, us):
    srv.set_profile(custom_txn_numbers=False)
    assert srv.store(presets.US_REALM).get("Preferences", "1")["SalesFormsPrefs"] == {
        **srv.store(presets.US_REALM).get("Preferences", "1")["SalesFormsPrefs"],
        "CustomTxnNumbers": False,
    }
    assert us.create("Invoice", invoice_payload())["DocNumber"].isdigit()
    srv.set_profile(duplicate_warning=False)  # custom numbers back on (presets), no 6140
    a = us.create("Invoice", invoice_payload(DocNumber="SO1"))
    b = us.create("Invoice", invoice_payload(DocNumber="SO1"))
    assert a["Id"] != b["Id"] and a["DocNumber"] == b["DocNumber"] == "SO1"


def test_latency_per_request(srv, us):
    srv.set_profile(latency=0.3)
    start = time.monotonic()
    assert us.get("/preferences").status_code == 200
    assert time.monotonic() - start >= 0.3


def test_batch_items_run_in_a_shuffled_order(srv, us):
    srv.set_profile(shuffle_batch=True, seed=7)
    items = [
        {"bId": str(n), "operation": "create", "Term": {"Name": f"S{n}", "DueDays": n}}
        for n in range(30)
    ]
    answers = us.post("/batch", {"BatchItemRequest": items}).json()["BatchItemResponse"]
    bids = [a["bId"] for a in answers]
    assert sorted(bids, key=int) == [str(n) for n in range(30)] and bids != sorted(bids, key=int)
    ids = [int(a["Term"]["Id"]) for a in answers]
    assert ids == sorted(ids)  # answered in the order they ran
    assert all(a["Term"]["Name"] == f"S{a['bId']}" for a in answers)


@pytest.mark.parametrize("failure,status,code", [("500", 500, "10000"), ("6000", 400, "6000")])
def test_commit_then_answer_a_failure(srv, us, failure, status, code):
    srv.set_profile(commit_then_fail=failure, commit_then_fail_every=2)
    assert us.post("/invoice", invoice_payload()).status_code == 200
    response = us.post("/invoice", invoice_payload(), requestid="lost")
    assert response.status_code == status and fault_codes(response) == [code]
    assert len(invoices(srv)) == 2  # saved anyway
    replay = us.post("/invoice", invoice_payload(), requestid="lost")  # 3rd write
    assert replay.status_code == 200 and len(invoices(srv)) == 2
    assert us.get("/preferences").status_code == 200  # reads are never hit


@pytest.mark.parametrize("kind", ["commit_then_500", "commit_then_6000"])
def test_injected_commit_then_fail_kinds(srv, us, kind):
    srv.inject(kind, path="/invoice")
    response = us.post("/invoice", invoice_payload())
    assert response.status_code in (400, 500)
    assert len(invoices(srv)) == 1


def test_429_without_retry_after_and_in_xml(srv, us):
    srv.inject("429_bare")
    bare = us.get("/preferences")
    assert bare.status_code == 429 and "Retry-After" not in bare.headers
    assert fault_codes(bare) == ["3001"]
    srv.inject("429_xml")
    xml = us.get("/preferences")
    assert xml.status_code == 429 and "Retry-After" not in xml.headers
    assert xml.headers["Content-Type"].startswith("application/xml")
    assert '<Error code="3001">' in xml.text and "ThrottleExceeded" in xml.text
    srv.set_profile(throttle_style="xml")
    srv.inject("429")
    assert us.get("/preferences").headers["Content-Type"].startswith("application/xml")


def test_refresh_answer_lost_after_rotation(srv):
    grant = srv.grant(presets.US_REALM)
    srv.inject("commit_then_fail", path="/oauth2/v1/tokens/bearer")
    with pytest.raises(requests.ConnectionError):
        token(srv, grant_type="refresh_token", refresh_token=grant["refresh_token"])
    again = token(srv, grant_type="refresh_token", refresh_token=grant["refresh_token"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("kind,status", [("500", 500), ("503", 503), ("429", 429)])
def test_token_endpoint_faults(srv, kind, status):
    grant = srv.grant(presets.US_REALM)
    srv.set_profile(token_fault=kind, token_fault_every=2)
    assert token(srv, grant_type="refresh_token", refresh_token=grant["refresh_token"]).ok
    srv.inject("500", realm_id=presets.US_REALM)  # API faults never hit the token endpoint
    second = srv.grant(presets.US_REALM)
    response = token(srv, grant_type="refresh_token", refresh_token=second["refresh_token"])
    assert response.status_code == status
    # nothing rotated: the same refresh token still works
    assert token(srv, grant_type="refresh_token", refresh_token=second["refresh_token"]).ok


def test_user_removed_from_the_company(srv):
    grant = srv.grant(presets.US_REALM)
    srv.remove_user(presets.US_REALM)
    response = token(srv, grant_type="refresh_token", refresh_token=grant["refresh_token"])
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_grant" and body["x_error_reason"] == "user_not_in_realm"


def test_profile_over_the_control_endpoint(srv, us):
    url = f"{srv.url}/_sandbox/profile"
    answer = requests.post(url, json={"name": "hostile", "latency": 0}, timeout=5).json()
    assert answer["result"]["ignore_requestid"] is True and answer["result"]["latency"] == 0
    assert srv.profile.shuffle_batch is True
    bad = requests.post(url, json={"name": "hostile", "colour": "red"}, timeout=5)
    assert bad.status_code == 400
    assert requests.post(url, json={"name": "strict"}, timeout=5).json()["result"] == {
        **answer["result"],
        **dict.fromkeys(("ignore_requestid", "shuffle_batch"), False),
        "duplicate_warning": True,
        "commit_then_fail": None,
        "commit_then_fail_every": 0,
        "token_fault": None,
        "token_fault_every": 0,
        "throttle_style": "json",
    }
    grant = srv.grant(presets.GB_REALM)
    requests.post(f"{srv.url}/_sandbox/remove_user", json={"realm_id": presets.GB_REALM}, timeout=5)
    assert (
        token(srv, grant_type="refresh_token", refresh_token=grant["refresh_token"]).json()[
            "x_error_reason"
        ]
        == "user_not_in_realm"
    )


def test_profile_on_the_command_line_and_constructor():
    server = make_server(
        ["--port", "0", "--profile", "hostile", "--latency", "0", "--requestid-ttl", "30"]
    )
    assert server.profile.ignore_requestid and server.profile.shuffle_batch
    assert server.profile.latency == 0 and server.profile.requestid_ttl == 30
    strict = make_server(["--port", "0", "--no-duplicate-warning", "--custom-txn-numbers", "off"])
    assert strict.profile.duplicate_warning is False
    prefs = strict.store(presets.GB_REALM).get("Preferences", "1")
    assert prefs["SalesFormsPrefs"]["CustomTxnNumbers"] is False
    with pytest.raises(SystemExit):
        make_server(["--commit-then-fail", "404"])
    assert SandboxServer(profile="hostile").profile.token_fault == "lost_refresh"
    with pytest.raises(ValueError):
        SandboxServer(profile="gentle")
