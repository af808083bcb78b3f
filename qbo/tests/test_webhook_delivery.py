"""Webhooks sent by the sandbox verify and parse with the client's helpers, in both formats."""

import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from qbo import webhooks

from .helpers import invoice_payload


@pytest.fixture
def receiver():
    received = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.put((body, self.headers.get(webhooks.SIGNATURE_HEADER)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/qbo/webhook", received
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("fmt", ["legacy", "cloudevents"])
def test_sandbox_webhook_verifies_and_parses(client, srv, presets, us_refs, receiver, fmt):
    url, received = receiver
    srv.set_webhook(url, fmt=fmt, verifier_token=presets.VERIFIER_TOKEN)
    created = client.create("Invoice", invoice_payload(us_refs), f"wh-{fmt}")
    client.delete("Invoice", created["Id"], created["SyncToken"], f"wh-del-{fmt}")

    events = []
    while len(events) < 2:
        body, signature = received.get(timeout=5)
        assert webhooks.verify_signature(body, signature, presets.VERIFIER_TOKEN)
        assert not webhooks.verify_signature(body, signature, "another-verifier-token")
        events += webhooks.parse_events(body)
    mine = sorted(
        (e.entity, e.entity_id, e.operation) for e in events if e.entity_id == created["Id"]
    )
    assert mine == [("Invoice", created["Id"], "Create"), ("Invoice", created["Id"], "Delete")]
    assert {e.realm_id for e in events} == {presets.US_REALM}
    assert len({e.event_id for e in events}) == len(events)
