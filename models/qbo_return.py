from odoo import api, fields, models

from ..services import kinds, return_cogs, returns
from ..services.const import COGS_BATCH
from ..services.cron import CronRun

RETURN_TYPES = [("credit_memo", "Credit memo"), ("vendor_credit", "Vendor credit")]


class QboReturn(models.Model):
    """Goods returned after the order's QBO document, and the QBO credit they became.

    One per validated return picking of an order whose invoice (bill) is in QBO
    (:mod:`..services.returns`): a credit memo for a sale return, a vendor credit for
    a purchase return. It is pushed like an order (:mod:`..services.push`), with the
    kind of its ``return_type`` (:mod:`..services.kinds`), so it has the same
    preflight, exactly-once send and deletion from QBO. Its lines hold the returned
    quantities at the order lines' prices and taxes, as they were when it was made.
    Every field is the connector's own.
    """

    _name = "qbo.return"
    _inherit = ["mail.thread", "qbo.document.mixin"]
    _qbo_owned_all = True
    _description = "QuickBooks Online credit for returned goods"
    _order = "id"

    name = fields.Char(required=True, readonly=True)
    return_type = fields.Selection(RETURN_TYPES, required=True, readonly=True)
    picking_id = fields.Many2one(
        "stock.picking", string="Return", required=True, readonly=True, ondelete="restrict"
    )
    sale_order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null")
    purchase_order_id = fields.Many2one("purchase.order", readonly=True, index="btree_not_null")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    partner_invoice_id = fields.Many2one(related="sale_order_id.partner_invoice_id")
    partner_shipping_id = fields.Many2one(related="sale_order_id.partner_shipping_id")
    user_id = fields.Many2one("res.users", readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    date_order = fields.Datetime(string="Returned on", required=True, readonly=True)
    state = fields.Selection(related="picking_id.state")
    order_line = fields.One2many("qbo.return.line", "order_id", readonly=True)
    amount_total = fields.Monetary(compute="_compute_amount_total", store=True)
    qbo_cogs_status = fields.Selection(
        [("none", "None"), ("pending", "Waiting"), ("posted", "Posted"), ("error", "Error")],
        string="QuickBooks COGS reversal",
        default="none",
        required=True,
        readonly=True,
        help="Accounting with inventory: the journal entry taking the returned goods' cost "
        "out of the cost of goods sold, posted once the credit memo is in QuickBooks.",
    )
    qbo_cogs_txn_id = fields.Char(string="QuickBooks COGS reversal ID", readonly=True)
    qbo_cogs_amount = fields.Float(string="COGS reversed", readonly=True)
    qbo_cogs_error = fields.Text(string="QuickBooks COGS reversal error", readonly=True)

    _picking_uniq = models.UniqueIndex("(picking_id)")

    @api.depends("order_line.price_total")
    def _compute_amount_total(self):
        for credit in self:
            credit.amount_total = sum(credit.order_line.mapped("price_total"))

    def _qbo_content_depends(self):
        return []

    def _qbo_kind(self):
        """The kind of these returns' credit (one kind: a push sends one at a time)."""
        types = set(self.mapped("return_type"))
        return kinds.RETURN_KINDS[types.pop()] if len(types) == 1 else None

    def source_order(self):
        """The sales or purchase order whose goods came back."""
        self.ensure_one()
        return self.sale_order_id or self.purchase_order_id

    def action_qbo_push(self):
        """*Create credit memo* / *Create vendor credit*: push now, then post the COGS
        reversal of the credit memos now in QBO."""
        result = True
        for records in self.grouped("return_type").values():
            result = super(QboReturn, records).action_qbo_push()
        return_cogs.sync(self.sudo(), retry=True)
        return result

    def _qbo_after_push(self):
        """The credit is in QBO: say so on the order; its COGS reversal is now due."""
        returns.created(self)
        if self.filtered(lambda credit: credit.qbo_cogs_status == "pending"):
            return_cogs.wake(self.env)

    def _qbo_mark_deleted(self):
        result = super()._qbo_mark_deleted()
        returns.deleted(self)
        return result

    @api.model
    def _cron_qbo_return_cogs(self):
        """Post the COGS reversals of the credit memos in QBO."""
        run = CronRun(self.env, return_cogs.CRON)
        records = self.sudo()
        run.start(records.search_count(return_cogs.DOMAIN))
        batch = records.search(
            return_cogs.DOMAIN, order="qbo_cogs_error asc nulls first, id", limit=COGS_BATCH
        )
        run.each(batch, lambda credit: return_cogs.sync(credit, raise_throttled=True))
