from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "qbo.document.mixin"]

    qbo_status = fields.Selection(
        [
            ("not_pushed", "Not invoiced"),
            ("queued", "Queued"),
            ("created", "Invoice created"),
            ("voided", "Invoice voided"),
            ("error", "Error"),
        ],
        string="QuickBooks Invoice",
    )
    qbo_books_sales = fields.Boolean(
        string="Invoiced in QuickBooks",
        compute="_compute_qbo_books_sales",
        help="The company's sales orders are invoiced in QuickBooks Online (its setup is done "
        "with sales orders synced): the form leads with the QuickBooks button.",
    )

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

    def _qbo_after_invoice_created(self):
        """Hook run after the order's invoice was created in QBO (no-op here).

        The COGS entry of "Accounting with inventory" is posted from an override.
        """
