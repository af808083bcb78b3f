from odoo import fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    qbo_bill_status = fields.Selection(
        [
            ("not_billed", "Not billed"),
            ("created", "Bill created"),
            ("error", "Error"),
        ],
        string="QuickBooks Bill",
        default="not_billed",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    qbo_error = fields.Text(string="QuickBooks Error", readonly=True, copy=False)
