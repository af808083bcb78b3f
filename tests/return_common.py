"""Shared ground of the tests of returns: deliveries, receipts and their returns."""

from odoo import Command
from odoo.tests import Form


def make_credit(env, order, name="WH/IN/TEST"):
    """A credit for one unit returned of ``order``'s first line, as a validated return
    leaves it, on a picking of its own (the tests of rights need no stock operation)."""
    picking = env["stock.picking"].create({"picking_type_id": env.ref("stock.picking_type_in").id})
    line = order.order_line[:1]
    return (
        env["qbo.return"]
        .sudo()
        .create(
            {
                "name": name,
                "return_type": "credit_memo",
                "picking_id": picking.id,
                "sale_order_id": order.id,
                "company_id": order.company_id.id,
                "partner_id": order.partner_id.id,
                "currency_id": order.currency_id.id,
                "date_order": "2026-01-01 00:00:00",
                "qbo_status": "queued",
                "order_line": [
                    Command.create(
                        {
                            "sale_line_id": line.id,
                            "product_id": line.product_id.id,
                            "name": line.name,
                            "quantity": 1,
                            "price_subtotal": line.price_unit,
                            "price_total": line.price_unit,
                        }
                    )
                ],
            }
        )
    )


class ReturnsMixin:
    """Receive a purchase, return goods of a done transfer, find the credit of a return."""

    def receive(self, order):
        """Validate the receipt of the purchase ``order``, all of it."""
        receipt = order.picking_ids
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        return receipt

    def return_goods(self, picking, qty):
        """Return ``qty`` of each product of the done ``picking``; the validated return."""
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_ids=picking.ids, active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = qty
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.write({"quantity": qty, "picked": True})
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        return returned

    def credit_of(self, picking):
        return self.env["qbo.return"].search([("picking_id", "=", picking.id)])
