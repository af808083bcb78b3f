from odoo import Command
from odoo.tests import tagged

from .orders import QboHttpCase


@tagged("post_install", "-at_install")
class TestReturnTour(QboHttpCase):
    """In the browser: return the goods of an invoiced order, push the credit memo from the
    order, see its status and its link."""

    def test_return_goods_then_push_the_credit_memo(self):
        partner = self.env["res.partner"].create({"name": "Tour Return Customer"})
        product = self.env["product.product"].create(
            {
                "name": "Tour Return Lamp",
                "default_code": "TOUR-RET-1",
                "type": "consu",
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
        order.action_qbo_push()
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        delivery = self.deliver(order)
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{delivery.id}",
            "qbo_return_goods",
            login="admin",
        )
        credit = self.env["qbo.return"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(credit.qbo_status, "queued")
        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}", "qbo_return_credit_memo", login="admin"
        )
        credit.invalidate_recordset()
        self.assertEqual(credit.qbo_status, "created", credit.qbo_error)
        memos = self.realm_store.all("CreditMemo")
        self.assertEqual([memo["Id"] for memo in memos], [credit.qbo_txn_id])
        self.assertEqual(memos[0]["TotalAmt"], 24.0)
