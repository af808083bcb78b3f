from odoo import fields, models


class QboAccount(models.Model):
    """A ledger account of the connected QBO company, as read from QBO.

    Kept so that the mapping of the setup wizard can use ordinary many2one
    fields filtered by account type; refreshed from QBO when the wizard opens.
    """

    _name = "qbo.account"
    _inherit = ["qbo.owned.fields.mixin"]
    _qbo_owned_all = True
    _description = "QuickBooks Online account"
    _order = "account_type, name"

    connection_id = fields.Many2one("qbo.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    qbo_id = fields.Char(string="QBO ID", required=True)
    name = fields.Char(required=True)
    account_type = fields.Char(help="QBO AccountType, e.g. Income, Cost of Goods Sold")
    account_sub_type = fields.Char(help="QBO AccountSubType, e.g. SalesOfProductIncome")
    classification = fields.Char(help="QBO Classification: Asset, Liability, Revenue...")
    active = fields.Boolean(default=True)

    _qbo_id_unique = models.UniqueIndex("(connection_id, qbo_id)")

    def _compute_display_name(self):
        for account in self:
            account.display_name = f"{account.name} ({account.account_type})"
