"""Intuit's webhook notifications: the sandbox's, relayed to Odoo's public route, and
hand-made ones signed like Intuit's."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.addons.quickbooks_online.qbo_sandbox import presets
from odoo.addons.quickbooks_online.qbo_sandbox.webhooks import sign

from .orders import QboHttpCase


def legacy_body(realm_id, *entities):
    """A legacy notification: ``entities`` are (name, id, operation, lastUpdated)."""
    return json.dumps(
        {
            "eventNotifications": [
                {
                    "realmId": realm_id,
                    "dataChangeEvent": {
                        "entities": [
                            {"name": name, "id": qbo_id, "operation": op, "lastUpdated": when}
                            for name, qbo_id, op, when in entities
                        ]
                    },
                }
            ]
        }
    ).encode()


def invoice_event(qbo_id, operation, when, realm_id=presets.US_REALM):
    """A legacy notification of one invoice change."""
    return legacy_body(realm_id, ("Invoice", qbo_id, operation, when))


class WebhookCase(QboHttpCase):
    """Posts to Odoo's public webhook route, signed like Intuit's unless told otherwise."""

    def setUp(self):
        super().setUp()
        self.Event = self.env["qbo.event"].sudo()

    def start_relay(self, fmt="legacy"):
        """Make the sandbox send its webhooks to a local relay (Odoo's test server only
        serves requests of the test itself, which the sandbox's are not)."""
        relay = WebhookRelay().start()
        self.addCleanup(relay.stop)
        self.sandbox.set_webhook(relay.url, fmt)
        self.addCleanup(self.sandbox.set_webhook, None)
        return relay

    def forward(self, relay, count=1):
        """Post what the sandbox sent, byte for byte with its signature, to Odoo."""
        responses = []
        for body, signature in relay.wait(count):
            responses.append(
                self.url_open(
                    "/quickbooks/webhook",
                    data=body,
                    headers={"Content-Type": "application/json", "intuit-signature": signature},
                )
            )
        return responses

    def post(self, body, signature=None, token=presets.VERIFIER_TOKEN):
        headers = {"Content-Type": "application/json"}
        if signature is None and token:
            signature = sign(body, token)
        if signature:
            headers["intuit-signature"] = signature
        return self.url_open("/quickbooks/webhook", data=body, headers=headers)

    def push_then_delete(self, order):
        """Push ``order``'s invoice, then delete it in QBO; return the invoice."""
        invoice = self.document(self.push(order))
        self.sandbox.delete_entity(presets.US_REALM, "Invoice", invoice["Id"])
        return invoice

    def assert_reverted(self, order, generation=1):
        self.assertEqual(order.qbo_status, "not_pushed")
        self.assertFalse(order.qbo_txn_id)
        self.assertFalse(order.qbo_doc_number)
        self.assertEqual(order.qbo_generation, generation)
        notes = order.message_ids.filtered(lambda m: "was deleted in QuickBooks" in (m.body or ""))
        self.assertEqual(len(notes), 1)


class WebhookRelay:
    """A local endpoint recording the sandbox's signed notifications."""

    def __init__(self):
        self.received = []
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                relay.received.append((body, self.headers.get("intuit-signature")))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/quickbooks/webhook"

    def start(self):
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def wait(self, count=1, timeout=20.0):
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"the sandbox sent {len(self.received)} webhook(s)")
            time.sleep(0.05)
        return list(self.received)
