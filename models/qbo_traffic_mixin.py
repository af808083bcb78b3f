from odoo import fields, models


class QboTrafficMixin(models.AbstractModel):
    """A record of the traffic with QuickBooks: a webhook event, a call of the sync log, a
    month's count of calls. The connector alone writes it (``_qbo_owned_all``); it keeps
    the company it was made for as given then, not as a field related to the connection.
    """

    _name = "qbo.traffic.mixin"
    _inherit = ["qbo.owned.fields.mixin"]
    _qbo_owned_all = True
    _description = "QuickBooks Online traffic record"

    connection_id = fields.Many2one(
        "qbo.connection", required=True, readonly=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
