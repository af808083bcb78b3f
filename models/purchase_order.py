from odoo import fields, models


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "qbo.document.mixin"]

    qbo_status = fields.Selection(
        [
            ("not_pushed", "Not billed"),
            ("queued", "Queued"),
            ("created", "Bill created"),
            ("voided", "Bill voided"),
            ("error", "Error"),
        ],
        string="QuickBooks Bill",
    )

    def button_cancel(self):
        """Cancel, then void the QuickBooks document (refused when it has a payment)."""
        with self._qbo_cancel_flow():
            result = super().button_cancel()
        self._qbo_withdraw_on_cancel()
        return result
