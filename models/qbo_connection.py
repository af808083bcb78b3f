from odoo import api, fields, models


class QboConnection(models.Model):
    """The link between one Odoo company and one QuickBooks Online company.

    There is at most one connection per Odoo company: every document of that
    company is pushed through it, so a second one would make the target
    ambiguous.
    """

    _name = "qbo.connection"
    _description = "QuickBooks Online connection"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _rec_name = "display_name"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
        index=True,
    )
    state = fields.Selection(
        [
            ("not_connected", "Not connected"),
            ("connected", "Connected"),
            ("reconnect", "Reconnect needed"),
        ],
        default="not_connected",
        required=True,
        readonly=True,
        tracking=True,
    )

    _company_unique = models.UniqueIndex(
        "(company_id)",
        "A company has only one QuickBooks Online connection.",
    )

    @api.depends("company_id")
    def _compute_display_name(self):
        for connection in self:
            connection.display_name = self.env._(
                "QuickBooks Online – %(company)s", company=connection.company_id.name
            )

    @api.model
    def _for_company(self, company=None):
        """Return the connection of ``company`` (default: the current one),
        creating it on first use so that the menu always has a record to open."""
        company = company or self.env.company
        connection = self.search([("company_id", "=", company.id)], limit=1)
        return connection or self.create({"company_id": company.id})

    @api.model
    def action_open_company_connection(self):
        connection = self._for_company()
        return {
            "type": "ir.actions.act_window",
            "name": connection.display_name,
            "res_model": self._name,
            "res_id": connection.id,
            "view_mode": "form",
            "target": "current",
        }
