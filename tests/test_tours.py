from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestQboTours(HttpCase):
    def test_sale_order_shows_quickbooks_status(self):
        partner = self.env["res.partner"].create({"name": "QBO Tour Customer"})
        product = self.env["product.product"].create({"name": "QBO Tour Product", "list_price": 10})
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        self.start_tour("/odoo/action-sale.action_orders", "qbo_sale_order_status", login="admin")
