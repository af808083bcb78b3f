from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "qbo.document.mixin"]
    _qbo_kind = "invoice"
    _qbo_entity = "Invoice"

    qbo_status = fields.Selection(
        [
            ("not_pushed", "Not invoiced"),
            ("queued", "Queued"),
            ("created", "Invoice created"),
            ("voided", "Invoice voided"),
            ("error", "Error"),
        ],
        string="QuickBooks Invoice",
    )
