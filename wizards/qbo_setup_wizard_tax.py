from odoo import api, fields, models
from odoo.exceptions import ValidationError


class QboSetupWizardTax(models.TransientModel):
    _name = "qbo.setup.wizard.tax"
    _description = "QuickBooks Online setup: tax mapping line"
    _order = "type_tax_use desc, tax_id"

    wizard_id = fields.Many2one("qbo.setup.wizard", required=True, ondelete="cascade")
    connection_id = fields.Many2one(related="wizard_id.connection_id")
    tax_id = fields.Many2one("account.tax", string="Odoo tax", required=True, readonly=True)
    type_tax_use = fields.Selection(related="tax_id.type_tax_use", string="Used on")
    amount = fields.Float(related="tax_id.amount", string="Rate")
    qbo_tax_code_id = fields.Many2one(
        "qbo.tax.code",
        string="QuickBooks tax code",
        # Sale taxes: codes with a sales rate list or none at all; purchases likewise.
        domain="[('connection_id', '=', connection_id), '|', "
        "('for_sales', '=', type_tax_use == 'sale'), "
        "('for_purchases', '=', type_tax_use == 'purchase')]",
    )

    @api.constrains("tax_id", "wizard_id")
    def _check_tax_company(self):
        """The wizard writes the mapping as superuser: only the taxes of its own company."""
        for line in self:
            if line.tax_id.sudo().company_id != line.wizard_id.company_id:
                raise ValidationError(
                    self.env._("The setup maps the taxes of its own company only.")
                )
