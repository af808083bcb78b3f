from odoo.tests import tagged

from .orders import QboHttpCase


@tagged("post_install", "-at_install")
class TestPushTour(QboHttpCase):
    """In the browser: Create invoice on a confirmed order, see it created, with its link."""

    def test_create_invoice_from_the_order_form(self):
        # Untaxed: the preset charges rate groups (taxes mapped: test_us_rate_groups)
        partner = self.env["res.partner"].create(
            {"name": "Tour Customer", "email": "t@tour.example"}
        )
        order = self.make_sale([(self.make_product("Tour Lamp", "TOUR-1", 12.0), 2)], partner)
        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}", "qbo_push_invoice", login="admin"
        )
        order.invalidate_recordset()
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        invoices = [doc for doc in self.qbo_docs() if doc.get("PrivateNote") == order.name]
        self.assertEqual([doc["Id"] for doc in invoices], [order.qbo_txn_id])
