from odoo import fields, models


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "qbo.document.mixin"]
    _qbo_kind = "bill"
    _qbo_entity = "Bill"

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
