from odoo import fields, models


class AccountTax(models.Model):
    _inherit = "account.tax"

    qbo_tax_code_id = fields.Many2one(
        "qbo.tax.code",
        string="QuickBooks tax code",
        copy=False,
        help="The QBO tax code this tax is sent as (non-US QuickBooks companies).",
    )
