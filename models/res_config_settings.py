from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    def action_open_qbo_connection(self):
        return self.env["qbo.connection"].action_open_company_connection()
