from odoo.tests import tagged

from .orders import QboHttpCase


@tagged("post_install", "-at_install")
class TestReturnTour(QboHttpCase):
    """In the browser: return the goods of an invoiced order, push the credit memo from the
    order, see its status and its link."""

    def test_return_goods_then_push_the_credit_memo(self):
        partner = self.env["res.partner"].create({"name": "Tour Return Customer"})
        lamp = self.make_product("Tour Return Lamp", "TOUR-RET-1", 12.0)
        order = self.make_sale([(lamp, 2)], partner)
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
