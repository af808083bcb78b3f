from odoo import fields, models

from .document_mixin import status_selection


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "qbo.document.mixin"]

    qbo_status = fields.Selection(
        status_selection("Not billed", "Bill created", "Bill voided"), string="QuickBooks Bill"
    )

    def button_cancel(self):
        """Cancel, then void the QuickBooks document (refused when it has a payment)."""
        with self._qbo_cancel_flow():
            result = super().button_cancel()
        self._qbo_withdraw_on_cancel()
        return result
