from odoo import api, fields, models

from ..services import cogs, cogs_sync, returns
from ..services.const import COGS_BATCH
from ..services.cron import CronRun
from .document_mixin import status_field, status_selection


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "qbo.document.mixin"]

    qbo_status = fields.Selection(
        status_selection("Not invoiced", "Invoice created", "Invoice voided"),
        string="QuickBooks Invoice",
    )
    qbo_return_ids = fields.Many2many(
        "qbo.return",
        string="QuickBooks credit memos",
        compute="_compute_qbo_return_ids",
        groups="quickbooks_online.group_qbo_user",
    )
    qbo_books_sales = fields.Boolean(
        string="Invoiced in QuickBooks",
        compute="_compute_qbo_books_sales",
        help="The company's sales orders are invoiced in QuickBooks Online (its setup is done "
        "with sales orders synced): the form leads with the QuickBooks button.",
    )

    def _compute_qbo_return_ids(self):
        by_order = returns.returns_of(self, "sale_order_id")
        for order in self:
            order.qbo_return_ids = by_order.get(order, False)

    def _compute_qbo_books_sales(self):
        connections = (
            self.env["qbo.connection"]
            .sudo()
            .search([("company_id", "in", self.company_id.ids)])
            .grouped("company_id")
        )
        for order in self:
            connection = connections.get(order.company_id)
            order.qbo_books_sales = bool(
                connection and connection.setup_done and connection.sync_sales
            )

    def _action_cancel(self):
        """Cancel (the button and the mass cancel), then void the QuickBooks document
        (refused when it has a payment)."""
        with self._qbo_cancel_flow():
            result = super()._action_cancel()
        self._qbo_withdraw_on_cancel()
        return result

    def _qbo_after_push(self):
        result = super()._qbo_after_push()
        self._qbo_after_invoice_created()
        return result

    # ================================================================== COGS
    # Cost of goods sold entries of "Accounting with inventory" (services/cogs.py):
    # the hooks below only mark the orders; the cron and the button call QuickBooks.

    qbo_cogs_status = status_field(
        [
            ("none", "Not posted"),
            ("pending", "Waiting"),
            ("posted", "Posted"),
            ("error", "Error"),
        ],
        "QuickBooks COGS",
        "none",
        help="Cost of goods sold journal entry (Accounting with inventory): waiting until the "
        "invoiced order is fully delivered, then posted to QuickBooks Online.",
    )
    qbo_cogs_txn_id = fields.Char(
        string="QuickBooks COGS entry ID", readonly=True, copy=False, index=True
    )
    qbo_cogs_invoice_id = fields.Char(
        string="QuickBooks invoice of the COGS entry",
        readonly=True,
        copy=False,
        help="The QuickBooks invoice the entry was posted for; when it changes, the entry is "
        "stale.",
    )
    qbo_cogs_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company currency (COGS)"
    )
    qbo_cogs_amount = fields.Monetary(
        string="COGS amount", currency_field="qbo_cogs_currency_id", readonly=True, copy=False
    )
    qbo_cogs_date = fields.Date(string="COGS date", readonly=True, copy=False)
    qbo_cogs_generation = fields.Integer(readonly=True, copy=False, default=0)
    qbo_cogs_error = fields.Text(string="QuickBooks COGS error", readonly=True, copy=False)
    qbo_cogs_url = fields.Char(string="Open COGS entry", compute="_compute_qbo_cogs_url")

    def _qbo_owned_fields(self):
        """The COGS fields are the connector's own: users can't point an order at another
        journal entry (only an entry carrying the order's mark is ever deleted)."""
        return super()._qbo_owned_fields() | {
            "qbo_cogs_status",
            "qbo_cogs_txn_id",
            "qbo_cogs_invoice_id",
            "qbo_cogs_amount",
            "qbo_cogs_date",
            "qbo_cogs_generation",
            "qbo_cogs_error",
        }

    @api.depends("qbo_cogs_txn_id", "company_id")
    def _compute_qbo_cogs_url(self):
        for order in self:
            connection = order._qbo_connection() if order.qbo_cogs_txn_id else None
            order.qbo_cogs_url = (
                connection._qbo_web_url("journal", order.qbo_cogs_txn_id) if connection else False
            )

    def _qbo_after_invoice_created(self):
        """The order's invoice was created in QBO: its COGS entry is now due; the cron
        posts it once the order is fully delivered (never inside the push)."""
        cogs_sync.mark(cogs.due(self), reset_error=True)

    def _qbo_cogs_on_delivery(self):
        """A delivery or return of these orders was validated: the cron posts the entry
        once the order is fully delivered (never inside the stock operation)."""
        cogs_sync.mark(cogs.due(self))

    def _qbo_mark_deleted(self):
        """The invoice was deleted in QBO: its COGS entry goes too (by the cron), so that
        invoicing the order again never counts the cost twice."""
        with_entry = self.filtered("qbo_cogs_txn_id")
        result = super()._qbo_mark_deleted()
        (self - with_entry).filtered(lambda o: o.qbo_cogs_status != "none").sudo().write(
            {"qbo_cogs_status": "none", "qbo_cogs_error": False}
        )
        cogs_sync.mark(with_entry)
        return result

    def action_qbo_post_cogs(self):
        """Button: post (or retry) the COGS entry now (QuickBooks users only)."""
        self._qbo_check_push_rights()
        orders = cogs_sync.mark(cogs.due(self.sudo()), reset_error=True, wake_cron=False)
        cogs_sync.sync(orders)
        return True

    @api.model
    def _cron_qbo_cogs(self):
        """Post the entries of invoiced orders whose delivery completed; delete stale ones.

        Orders waiting after a failure come last, so that a backlog larger than one
        run's slice still reaches every order.
        """
        run = CronRun(self.env, cogs_sync.CRON)
        orders = self.sudo()
        run.start(orders.search_count(cogs.CRON_DOMAIN))
        batch = orders.search(
            cogs.CRON_DOMAIN, order="qbo_cogs_error asc nulls first, id", limit=COGS_BATCH
        )
        run.each(batch, lambda order: cogs_sync.sync(order, raise_throttled=True))

    @api.model
    def _qbo_cogs_entries_deleted(self, connection, entry_ids):
        """Someone deleted COGS entries in QBO: forget them (they are not posted again
        by themselves; the *Post COGS* button does it)."""
        if entry_ids:
            cogs_sync.forget_deleted(self.env["qbo.sync"]._cogs_orders(connection, entry_ids))
