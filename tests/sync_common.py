"""Shared ground of the tests of what comes back from QBO.

Documents are created in the sandbox with the connection's own client and linked
to Odoo orders the way a push leaves them, so that these tests only depend on the
push's outcome (the fields of ``qbo.document.mixin``), not on its code.
"""

import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.tests import HttpCase
from odoo.tools import SQL

from odoo.addons.quickbooks_online.qbo import query
from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboSandboxMixin


class QboDocumentsMixin:
    """Create QBO invoices/bills for Odoo orders and run the addon's crons."""

    @classmethod
    def setup_documents(cls):
        client = cls.connection._qbo_client()
        cls.qbo_customer_id = client.query_all("Customer")[0]["Id"]
        cls.qbo_vendor_id = client.query_all("Vendor")[0]["Id"]
        cls.qbo_item_id = client.query_all("Item", f"Name = {query.quote('Gadget')}")[0]["Id"]
        cls.qbo_expense_account_id = (
            cls.env["qbo.account"]
            .search([("connection_id", "=", cls.connection.id), ("name", "=", "Office Expenses")])
            .qbo_id
        )
        cls.partner = cls.env["res.partner"].create({"name": "QBO Sync Customer"})
        cls.vendor = cls.env["res.partner"].create({"name": "QBO Sync Vendor"})
        cls.service = cls.env["product.product"].create(
            {"name": "QBO Sync Service", "type": "service", "list_price": 40.0}
        )

    # ------------------------------------------------------------------ orders
    def make_sale_order(self, product=None, qty=1.0, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [
                    (0, 0, {"product_id": (product or self.service).id, "product_uom_qty": qty})
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def make_purchase_order(self):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    (0, 0, {"product_id": self.service.id, "product_qty": 1, "price_unit": 50})
                ],
            }
        )
        order.button_confirm()
        return order

    def deliver(self, order, qty=None):
        """Validate the open delivery of ``order`` (all of it, or ``qty``: backorder)."""
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel") and p.picking_type_code == "outgoing"
        )
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if qty is None else qty
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    # ------------------------------------------------------------------ QBO documents
    def invoice_payload(self, amount=80.0, doc_number=None):
        return {
            "CustomerRef": {"value": self.qbo_customer_id},
            "DocNumber": doc_number or uuid.uuid4().hex[:12],
            "Line": [
                {
                    "DetailType": "SalesItemLineDetail",
                    "Amount": amount,
                    "SalesItemLineDetail": {
                        "ItemRef": {"value": self.qbo_item_id},
                        "Qty": 2,
                        "UnitPrice": amount / 2,
                    },
                }
            ],
        }

    def push_invoice(self, order, amount=80.0):
        """Create the order's invoice in the sandbox and link it as a push would."""
        client = self.connection._qbo_client()
        invoice = client.create(
            "Invoice", self.invoice_payload(amount, order.name), uuid.uuid4().hex
        )
        self.link(order, invoice)
        order._qbo_after_invoice_created()
        return invoice

    def push_bill(self, order, amount=50.0):
        client = self.connection._qbo_client()
        bill = client.create(
            "Bill",
            {
                "VendorRef": {"value": self.qbo_vendor_id},
                "Line": [
                    {
                        "DetailType": "AccountBasedExpenseLineDetail",
                        "Amount": amount,
                        "AccountBasedExpenseLineDetail": {
                            "AccountRef": {"value": self.qbo_expense_account_id}
                        },
                    }
                ],
            },
            uuid.uuid4().hex,
        )
        self.link(order, bill)
        return bill

    def link(self, order, document):
        order.sudo().write(
            {
                "qbo_status": "created",
                "qbo_txn_id": document["Id"],
                "qbo_doc_number": document.get("DocNumber"),
                "qbo_total": document["TotalAmt"],
                "qbo_balance": document["Balance"],
                "qbo_payment_status": "not_paid",
            }
        )

    def link_bulk(self, orders, documents):
        """:meth:`link` for many orders in one SQL statement (no tracking messages)."""
        rows = [
            SQL("(%s, %s, %s, %s)", order.id, doc["Id"], doc.get("DocNumber"), doc["TotalAmt"])
            for order, doc in zip(orders, documents, strict=True)
        ]
        self.env.cr.execute(
            SQL(
                """UPDATE %s AS o
                      SET qbo_status = 'created', qbo_txn_id = v.txn, qbo_doc_number = v.num,
                          qbo_total = v.total, qbo_balance = v.total,
                          qbo_payment_status = 'not_paid'
                     FROM (VALUES %s) AS v(id, txn, num, total)
                    WHERE o.id = v.id""",
                SQL.identifier(orders._table),
                SQL(", ").join(rows),
            )
        )
        orders.invalidate_recordset()

    # ------------------------------------------------------------------ crons
    def run_cron(self, name):
        """Run one of the addon's crons as the scheduler would (its own transaction)."""
        self.env.ref(f"quickbooks_online.{name}").method_direct_trigger()
        self.env.invalidate_all()

    def sweep(self):
        self.run_cron("ir_cron_qbo_cdc_sweep")

    def process_events(self):
        self.run_cron("ir_cron_qbo_process_events")

    def qbo_requests(self, path_part=None):
        return [
            r for r in self.sandbox.requests if path_part is None or path_part in r.path.lower()
        ]


class QboHttpCase(QboSandboxMixin, QboDocumentsMixin, HttpCase):
    """An HttpCase (Odoo serves the webhook route) with a company connected to the sandbox."""

    realm_id = presets.US_REALM

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_sandbox()
        cls.connection = cls.connect_company(cls.env.company, cls.realm_id)
        cls.setup_documents()

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
