from odoo import api, fields, models


class QboVendor(models.Model):
    """The QBO vendors of a connection, kept to match vendors by email.

    QBO can filter customers by email but not vendors, so the push matches a new
    vendor's email against this list and refreshes it from QBO (once per push)
    when the email is not found.
    """

    _name = "qbo.vendor"
    _inherit = ["qbo.owned.fields.mixin"]
    _qbo_owned_all = True
    _description = "QuickBooks Online vendor (email lookup cache)"
    _order = "id"

    connection_id = fields.Many2one("qbo.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    qbo_id = fields.Char(string="QBO ID", required=True)
    name = fields.Char(required=True)
    email = fields.Char(help="Lower-case primary email")

    _qbo_id_unique = models.UniqueIndex("(connection_id, qbo_id)")
    _email_index = models.Index("(connection_id, email)")

    @api.model
    def _find_by_email(self, connection, emails):
        """``{lower-case email: QBO id}`` of the cached vendors having these emails."""
        wanted = [email.lower() for email in emails]
        if not wanted:
            return {}
        vendors = self.search_fetch(
            [("connection_id", "=", connection.id), ("email", "in", wanted)],
            ["email", "qbo_id"],
            order="qbo_id",
        )
        found = {}
        for vendor in vendors:
            found.setdefault(vendor.email, vendor.qbo_id)
        return found

    @api.model
    def _replace(self, connection, rows):
        """Replace the cached list of ``connection`` by QBO's ``Vendor`` rows."""
        self.search([("connection_id", "=", connection.id)]).unlink()
        self.create(
            [
                {
                    "connection_id": connection.id,
                    "qbo_id": row["Id"],
                    "name": row.get("DisplayName") or row["Id"],
                    "email": ((row.get("PrimaryEmailAddr") or {}).get("Address") or "").lower()
                    or False,
                }
                for row in rows
            ]
        )
