from odoo import fields, models


class QboTaxCode(models.Model):
    """A tax code of the connected QBO company, as read from QBO.

    Non-US companies map every Odoo tax to one of these; QBO applies the code's
    sales or purchase rate list to the line.
    """

    _name = "qbo.tax.code"
    _inherit = ["qbo.owned.fields.mixin"]
    _qbo_owned_all = True
    _description = "QuickBooks Online tax code"
    _order = "name"

    connection_id = fields.Many2one("qbo.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    qbo_id = fields.Char(string="QBO ID", required=True)
    name = fields.Char(required=True)
    description = fields.Char()
    active = fields.Boolean(default=True)
    sales_rate = fields.Float(
        digits=(16, 4), help="Total percentage of the code's sales tax rates (empty: not for sales)"
    )
    purchase_rate = fields.Float(
        digits=(16, 4), help="Total percentage of the code's purchase tax rates"
    )
    for_sales = fields.Boolean(help="The code has a sales tax rate list")
    for_purchases = fields.Boolean(help="The code has a purchase tax rate list")

    _qbo_id_unique = models.UniqueIndex("(connection_id, qbo_id)")
