"""Outgoing webhooks (signed, both formats, retried) and the HTML pages."""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from qbo_sandbox import presets
from qbo_sandbox.tests.helpers import invoice_payload


class Receiver:
    """A small local webhook endpoint that records what it gets."""

    def __init__(self, fail_first=0):
        self.calls = []
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((self.headers, body))  # case-insensitive
                status = 500 if len(receiver.calls) <= receiver.fail_first else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"

    def wait(self, count, timeout=5.0):
        deadline = time.monotonic() + timeout
        while len(self.calls) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.calls) >= count, f"got {len(self.calls)} webhook calls"
        return self.calls

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver():
    rec = Receiver()
    yield rec
    rec.close()


def signature_ok(headers, body, token=presets.VERIFIER_TOKEN):
    expected = base64.b64encode(hmac.new(token.encode(), body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, headers["intuit-signature"])


def test_legacy_notification_is_signed(srv, us, receiver):
    srv.set_webhook(receiver.url)
    inv = us.create("Invoice", invoice_payload())
    headers, body = receiver.wait(1)[0]
    assert signature_ok(headers, body)
    payload = json.loads(body)
    notification = payload["eventNotifications"][0]
    assert notification["realmId"] == presets.US_REALM
    entity = notification["dataChangeEvent"]["entities"][0]
    assert (entity["name"], entity["id"], entity["operation"]) == ("Invoice", inv["Id"], "Create")
    assert entity["lastUpdated"].endswith("Z")


def test_cloudevents_delete_notification(srv, us, receiver):
    inv = us.create("Invoice", invoice_payload())
    srv.set_webhook(receiver.url, fmt="cloudevents", verifier_token="other-token")
    srv.delete_entity(presets.US_REALM, "Invoice", inv["Id"])
    headers, body = receiver.wait(1)[0]
    assert signature_ok(headers, body, "other-token")
    events = json.loads(body)
    assert isinstance(events, list)
    event = events[0]
    assert event["type"] == "qbo.invoice.deleted.v1"
    assert event["intuitentityid"] == inv["Id"]
    assert event["intuitaccountid"] == presets.US_REALM
    assert event["specversion"] == "1.0" and event["id"] and event["time"]
    assert us.read("Invoice", inv["Id"]).status_code == 400


def test_failed_delivery_is_retried(srv, us):
    rec = Receiver(fail_first=1)
    try:
        srv.set_limits(enabled=False, time_scale=1000)  # retry waits shrink the same way
        srv.set_webhook(rec.url)
        us.create("Customer", {"DisplayName": "Hook Retry"})
        calls = rec.wait(2)
        assert calls[0][1] == calls[1][1]
        delivery = srv.webhook_deliveries[0]
        assert delivery.statuses[:2] == [500, 200] and delivery.delivered
    finally:
        rec.close()


def test_webhook_does_not_delay_the_api(srv, us, receiver):
    srv.set_webhook(receiver.url, delay=1.0)
    started = time.monotonic()
    us.create("Customer", {"DisplayName": "Fast Answer"})
    assert time.monotonic() - started < 0.5
    assert receiver.calls == []
    receiver.wait(1)


def test_payment_notifies_payment_and_invoice(srv, us, receiver):
    inv = us.create("Invoice", invoice_payload())
    srv.set_webhook(receiver.url)
    srv.add_payment(presets.US_REALM, inv["Id"], 10)
    receiver.wait(1)
    seen = set()
    for _headers, body in receiver.calls:
        for note in json.loads(body)["eventNotifications"]:
            seen |= {(e["name"], e["operation"]) for e in note["dataChangeEvent"]["entities"]}
    assert {("Payment", "Create"), ("Invoice", "Update")} <= seen


def test_pages_list_companies_and_documents(srv, us):
    customer = us.create("Customer", {"DisplayName": "<script>alert(1)</script> & Co"})
    inv = us.create(
        "Invoice", invoice_payload(customer=customer["Id"], DocNumber="PG-1", amount=42.0)
    )
    index = requests.get(srv.url + "/", timeout=5).text
    assert presets.US_REALM in index and presets.GB_REALM in index
    company = requests.get(
        f"{srv.url}/app/homepage", params={"companyId": presets.US_REALM}, timeout=5
    ).text
    assert "PG-1" in company and "42.00" in company and "Open" in company
    assert "<script>alert" not in company and "&lt;script&gt;" in company
    page = requests.get(
        f"{srv.url}/app/invoice",
        params={"txnId": inv["Id"], "companyId": presets.US_REALM},
        timeout=5,
    )
    assert page.status_code == 200
    assert "Hours" in page.text and "Receive payment" in page.text and "Delete" in page.text
    customer_page = requests.get(
        f"{srv.url}/app/customerdetail",
        params={"nameId": customer["Id"], "companyId": presets.US_REALM},
        timeout=5,
    )
    assert "PG-1" in customer_page.text and "&lt;script&gt;" in customer_page.text


def test_pages_receive_payment_and_delete(srv, us, receiver):
    inv = us.create("Invoice", invoice_payload(amount=50.0))
    bill_page = requests.get(f"{srv.url}/app/bill", params={"txnId": "1"}, timeout=5)
    assert bill_page.status_code == 200
    form = {"companyId": presets.US_REALM, "txnId": inv["Id"]}
    paid = requests.post(f"{srv.url}/app/invoice/payment", data={**form, "amount": "20"}, timeout=5)
    assert paid.status_code == 200 and "Partially paid" in paid.text
    blocked = requests.post(f"{srv.url}/app/invoice/delete", data=form, timeout=5)
    assert blocked.status_code == 400  # QBO wants the payment removed first
    other = us.create("Invoice", invoice_payload(amount=5.0))
    srv.set_webhook(receiver.url)
    deleted = requests.post(
        f"{srv.url}/app/invoice/delete",
        data={**form, "txnId": other["Id"]},
        allow_redirects=False,
        timeout=5,
    )
    assert deleted.status_code == 302
    assert us.read("Invoice", other["Id"]).status_code == 400
    body = json.loads(receiver.wait(1)[0][1])
    assert body["eventNotifications"][0]["dataChangeEvent"]["entities"][0]["operation"] == (
        "Delete"
    )
    gone = requests.get(
        f"{srv.url}/app/invoice",
        params={"txnId": other["Id"], "companyId": presets.US_REALM},
        timeout=5,
    )
    assert "deleted" in gone.text


def test_deep_link_without_company_offers_a_choice(srv, us):
    inv = us.create("Invoice", invoice_payload())
    page = requests.get(f"{srv.url}/app/invoice", params={"txnId": inv["Id"]}, timeout=5)
    assert f"companyId={presets.US_REALM}" in page.text
