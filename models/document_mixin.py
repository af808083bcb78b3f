from odoo import api, fields, models

PAYMENT_STATUSES = [
    ("not_paid", "Not paid"),
    ("partial", "Partially paid"),
    ("paid", "Paid"),
]


class QboDocumentMixin(models.AbstractModel):
    """What an Odoo order knows of the QBO document pushed for it.

    Shared by sale orders (QBO invoices) and purchase orders (QBO bills). The
    status is set by the push and by what comes back from QBO (deletion, void,
    payments); users cannot set it. ``qbo_generation`` is part of the
    idempotency key of the push: it changes only when the QBO document was
    deleted, so every retry of one push reuses the same ``requestid``.
    """

    _name = "qbo.document.mixin"
    _description = "QuickBooks Online document link"
    #: deep-link kind of the QBO document (``invoice`` or ``bill``)
    _qbo_kind = None
    #: QBO entity of the document (``Invoice`` or ``Bill``)
    _qbo_entity = None

    qbo_status = fields.Selection(
        [
            ("not_pushed", "Not pushed"),
            ("queued", "Queued"),
            ("created", "Created"),
            ("voided", "Voided"),
            ("error", "Error"),
        ],
        string="QuickBooks",
        default="not_pushed",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    qbo_txn_id = fields.Char(string="QBO document ID", readonly=True, copy=False, index=True)
    qbo_doc_number = fields.Char(string="QBO number", readonly=True, copy=False)
    qbo_url = fields.Char(string="Open in QuickBooks", compute="_compute_qbo_url")
    qbo_generation = fields.Integer(readonly=True, copy=False, default=0)
    qbo_error = fields.Text(string="QuickBooks error", readonly=True, copy=False)
    qbo_pushed_at = fields.Datetime(string="Pushed to QuickBooks", readonly=True, copy=False)
    qbo_total = fields.Float(string="QBO total", readonly=True, copy=False)
    qbo_balance = fields.Float(string="QBO balance", readonly=True, copy=False)
    qbo_payment_status = fields.Selection(
        PAYMENT_STATUSES, string="QBO payment", readonly=True, copy=False
    )
    qbo_amount_warning = fields.Char(
        string="QBO total differs",
        readonly=True,
        copy=False,
        help="Set when QBO's total differs from Odoo's by more than rounding.",
    )

    def _qbo_connection(self):
        """The QBO connection of the order's company (sudo), or an empty recordset."""
        self.ensure_one()
        return (
            self.env["qbo.connection"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)], limit=1)
        )

    @api.depends("qbo_txn_id", "company_id")
    def _compute_qbo_url(self):
        connections = {
            conn.company_id.id: conn
            for conn in self.env["qbo.connection"]
            .sudo()
            .search([("company_id", "in", self.company_id.ids)])
        }
        for order in self:
            connection = connections.get(order.company_id.id)
            order.qbo_url = (
                connection._qbo_web_url(self._qbo_kind, order.qbo_txn_id)
                if connection and order.qbo_txn_id
                else False
            )

    def action_qbo_open(self):
        """Open the QBO document in a new tab (the status badge links here)."""
        self.ensure_one()
        if not self.qbo_url:
            return False
        return {"type": "ir.actions.act_url", "url": self.qbo_url, "target": "new"}
