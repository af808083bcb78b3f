from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboSandboxMixin


@tagged("post_install", "-at_install")
class TestPushTour(QboSandboxMixin, HttpCase):
    """In the browser: Create invoice on a confirmed order, see it created, with its link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_sandbox()
        cls.connection = cls.connect_company(cls.env.company, presets.US_REALM)

    def test_create_invoice_from_the_order_form(self):
        partner = self.env["res.partner"].create(
            {"name": "Tour Customer", "email": "t@tour.example"}
        )
        product = self.env["product.product"].create(
            # Untaxed: the preset charges rate groups (taxes mapped: test_us_rate_groups)
            {
                "name": "Tour Lamp",
                "default_code": "TOUR-1",
                "list_price": 12.0,
                "taxes_id": [Command.clear()],
            }
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}", "qbo_push_invoice", login="admin"
        )
        order.invalidate_recordset()
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        invoices = [
            doc
            for doc in self.sandbox.store(presets.US_REALM).all("Invoice")
            if doc.get("PrivateNote") == order.name
        ]
        self.assertEqual([doc["Id"] for doc in invoices], [order.qbo_txn_id])
