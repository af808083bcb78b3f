from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    qbo_invoice_status = fields.Selection(
        [
            ("not_invoiced", "Not invoiced"),
            ("created", "Invoice created"),
            ("error", "Error"),
        ],
        string="QuickBooks Invoice",
        default="not_invoiced",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    qbo_error = fields.Text(string="QuickBooks Error", readonly=True, copy=False)
