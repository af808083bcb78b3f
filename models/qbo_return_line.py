from odoo import fields, models


class QboReturnLine(models.Model):
    """A returned product of a :class:`QboReturn`: its quantity, at the order line's
    price and taxes (a line of the QBO credit)."""

    _name = "qbo.return.line"
    _inherit = ["qbo.owned.fields.mixin"]
    _qbo_owned_all = True
    _description = "QuickBooks Online returned product"

    order_id = fields.Many2one("qbo.return", required=True, readonly=True, ondelete="cascade")
    sale_line_id = fields.Many2one("sale.order.line", readonly=True)
    purchase_line_id = fields.Many2one("purchase.order.line", readonly=True)
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    name = fields.Text(string="Description", readonly=True)
    quantity = fields.Float(required=True, readonly=True, digits="Product Unit")
    currency_id = fields.Many2one(related="order_id.currency_id")
    price_subtotal = fields.Monetary(string="Untaxed amount", readonly=True)
    price_total = fields.Monetary(string="Total", readonly=True)
    tax_ids = fields.Many2many("account.tax", string="Taxes", readonly=True)
    #: never set: a return has only product lines (the push skips sections and notes)
    display_type = fields.Selection([("line_note", "Note")], readonly=True)
