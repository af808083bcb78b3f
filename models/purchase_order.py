from odoo import fields, models

from ..services import returns
from .document_mixin import status_selection


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "qbo.document.mixin"]

    qbo_status = fields.Selection(
        status_selection("Not billed", "Bill created", "Bill voided"), string="QuickBooks Bill"
    )
    qbo_return_ids = fields.Many2many(
        "qbo.return",
        string="QuickBooks vendor credits",
        compute="_compute_qbo_return_ids",
        groups="quickbooks_online.group_qbo_user",
    )

    def _compute_qbo_return_ids(self):
        by_order = returns.returns_of(self, "purchase_order_id")
        for order in self:
            order.qbo_return_ids = by_order.get(order, False)

    def button_cancel(self):
        """Cancel, then void the QuickBooks document (refused when it has a payment)."""
        with self._qbo_cancel_flow():
            result = super().button_cancel()
        self._qbo_withdraw_on_cancel()
        return result
