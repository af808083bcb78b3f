import contextlib
import contextvars

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..services import amend, kinds, push, record
from ..services.order_snapshot import differences, snapshot
from ..services.payload import product_lines

#: (model, ids) of the orders being cancelled through the connector's cancel flow, which
#: withdraws their QBO documents; a context variable, not an Odoo context key, so that no
#: RPC caller can claim it
_CANCELLING = contextvars.ContextVar("qbo_cancelling", default=None)

#: statuses from which an order may be pushed
PUSHABLE_STATUSES = ("not_pushed", "queued", "error")


def status_selection(not_pushed="Not pushed", created="Created", voided="Voided"):
    """The push statuses every order has, with the labels of its kind of QBO document."""
    return [
        ("not_pushed", not_pushed),
        ("queued", "Queued"),
        ("created", created),
        ("voided", voided),
        ("error", "Error"),
    ]


def status_field(selection, string, default, **attrs):
    """A status the connector keeps on an order: set by its own steps only (required,
    read-only, not copied to a duplicate), indexed for the crons' searches, tracked in
    the chatter."""
    return fields.Selection(
        selection,
        string=string,
        default=default,
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        **attrs,
    )


PAYMENT_STATUSES = [
    ("not_paid", "Not paid"),
    ("partial", "Partially paid"),
    ("paid", "Paid"),
]


class QboDocumentMixin(models.AbstractModel):
    """What an Odoo order knows of the QBO document pushed for it, and its buttons.

    Shared by sale orders (QBO invoices) and purchase orders (QBO bills); what differs
    between them is the order's kind (:meth:`_qbo_kind`, :mod:`..services.kinds`). The
    status is set by the push and by what comes back from QBO (deletion, void,
    payments); users cannot set it (see :class:`QboOwnedFieldsMixin`).
    ``qbo_generation`` is part of the idempotency key of the push: it changes only
    when the QBO document was deleted, so every retry of one push reuses the same
    ``requestid``; so is ``qbo_refusals``, once QBO refused the document for sure.
    """

    _name = "qbo.document.mixin"
    _inherit = ["qbo.owned.fields.mixin"]
    _description = "QuickBooks Online document link"

    qbo_status = status_field(status_selection(), "QuickBooks", "not_pushed")
    qbo_txn_id = fields.Char(string="QuickBooks document ID", readonly=True, copy=False, index=True)
    qbo_doc_number = fields.Char(string="QuickBooks number", readonly=True, copy=False)
    qbo_url = fields.Char(string="Open in QuickBooks", compute="_compute_qbo_url")
    qbo_generation = fields.Integer(readonly=True, copy=False, default=0)
    qbo_refusals = fields.Integer(
        readonly=True,
        copy=False,
        default=0,
        help="How many times QuickBooks refused to create the document (part of the push's "
        "idempotency key, so that a corrected order is not answered with the old refusal).",
    )
    qbo_error = fields.Text(string="QuickBooks error", readonly=True, copy=False)
    qbo_pushed_at = fields.Datetime(string="Pushed to QuickBooks", readonly=True, copy=False)
    qbo_total = fields.Float(string="QuickBooks total", readonly=True, copy=False)
    qbo_balance = fields.Float(string="QuickBooks balance", readonly=True, copy=False)
    qbo_payment_status = fields.Selection(
        PAYMENT_STATUSES, string="QuickBooks payment", readonly=True, copy=False
    )
    qbo_amount_warning = fields.Char(
        string="QuickBooks total differs",
        readonly=True,
        copy=False,
        help="Set when QuickBooks' total differs from Odoo's by more than rounding.",
    )
    qbo_push_key = fields.Char(
        readonly=True,
        copy=False,
        help="Idempotency key of the push in progress, kept when its outcome is unknown: "
        "the next push then looks in QuickBooks before it creates anything.",
    )
    qbo_pushed_content = fields.Json(
        readonly=True,
        copy=False,
        help="What the QuickBooks document holds: the order's content when it was last sent.",
    )
    qbo_changes = fields.Text(
        string="Changed since sent to QuickBooks",
        compute="_compute_qbo_changes",
        store=True,
        help="What differs between the order and its QuickBooks document, one change a line.",
    )
    qbo_changed = fields.Boolean(
        string="Changed since pushed",
        compute="_compute_qbo_changes",
        store=True,
        index=True,
    )

    def _qbo_content_depends(self):
        """The fields the pushed content is made of (see :func:`.order_snapshot.snapshot`)."""
        kind = self._qbo_kind()
        if not kind:  # the abstract mixin itself
            return []
        return [
            "qbo_pushed_content",
            "qbo_status",
            "partner_id",
            "date_order",
            "user_id",
            "currency_id",
            "amount_total",
            "order_line.display_type",
            "order_line.product_id",
            "order_line.price_subtotal",
            "order_line.tax_ids",
            "order_line." + kind.qty_field,
        ]

    @api.depends(lambda self: self._qbo_content_depends())
    def _compute_qbo_changes(self):
        for order in self:
            changes = []
            if order.qbo_status == "created" and order.qbo_pushed_content:
                changes = differences(
                    order.env, order.qbo_pushed_content, order._qbo_content(), order.currency_id
                )
            order.qbo_changes = "\n".join(changes) or False
            order.qbo_changed = bool(changes)

    def _qbo_content(self):
        """The order's content as its QBO document would hold it now."""
        return snapshot(self, product_lines(self))

    def _qbo_owned_fields(self):
        return super()._qbo_owned_fields() | {
            "qbo_status",
            "qbo_txn_id",
            "qbo_doc_number",
            "qbo_generation",
            "qbo_refusals",
            "qbo_error",
            "qbo_pushed_at",
            "qbo_total",
            "qbo_balance",
            "qbo_payment_status",
            "qbo_amount_warning",
            "qbo_push_key",
            "qbo_pushed_content",
            "qbo_changes",
            "qbo_changed",
        }

    def write(self, vals):
        if vals.get("state") == "cancel":
            self._qbo_check_cancel_flow()
        return super().write(vals)

    @contextlib.contextmanager
    def _qbo_cancel_flow(self):
        """Cancel these orders the connector's way: their QBO documents are withdrawn
        right after (see :meth:`_qbo_withdraw_on_cancel`)."""
        token = _CANCELLING.set((self._name, frozenset(self.ids)))
        try:
            yield
        finally:
            _CANCELLING.reset(token)

    def _qbo_check_cancel_flow(self):
        """Refuse a cancel that would leave the order's QBO document open: writing the
        state directly (over RPC, say) skips the withdrawal of the document."""
        in_qbo = self.filtered(lambda order: order.qbo_status == "created")
        flow = _CANCELLING.get()
        if in_qbo and not (flow and flow[0] == self._name and set(in_qbo.ids) <= flow[1]):
            raise UserError(
                self.env._(
                    "%(orders)s: the %(document)s sent to QuickBooks Online is open there. "
                    "Cancel the order with its Cancel button, which withdraws the document too.",
                    orders=", ".join(in_qbo.mapped("display_name")),
                    document=self._qbo_kind().label(self.env),
                )
            )

    def _qbo_kind(self):
        """The kind of document these orders become in QBO (:mod:`..services.kinds`)."""
        return kinds.kind_of(self._name)

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
                connection._qbo_web_url(order._qbo_kind().web_kind, order.qbo_txn_id)
                if connection and order.qbo_txn_id
                else False
            )

    def action_qbo_open(self):
        """Open the QBO document in a new tab (the status badge links here)."""
        self.ensure_one()
        if not self.qbo_url:
            return False
        return {"type": "ir.actions.act_url", "url": self.qbo_url, "target": "new"}

    # ------------------------------------------------------------------ push actions
    def _qbo_check_push_rights(self):
        if not self.env.user.has_group("quickbooks_online.group_qbo_user"):
            raise AccessError(
                self.env._("Only QuickBooks users can send orders to QuickBooks Online.")
            )
        self.check_access("write")

    def action_qbo_push(self):
        """*Create invoice* / *Create bill*: push the orders now.

        Errors never raise: they land on each order (``qbo_error``), so that QBO
        customers and items created on the way stay linked in Odoo.
        """
        self._qbo_check_push_rights()
        push.push(self.filtered(lambda o: o.qbo_status in PUSHABLE_STATUSES))
        return True

    def action_qbo_push_queue(self):
        """Bulk action of the list: queue the confirmed orders for the background push.

        Quotations and orders already sent are left as they are; the notification
        says how many were skipped and why.
        """
        self._qbo_check_push_rights()
        pushable = self.filtered(lambda o: o.qbo_status in PUSHABLE_STATUSES)
        orders = pushable.filtered(self._qbo_kind().is_confirmed)
        orders.sudo().write({"qbo_status": "queued", "qbo_error": False})
        if orders:
            self.env.ref("quickbooks_online.ir_cron_qbo_push").sudo()._trigger()
        messages = [
            self.env._(
                "%(count)s order(s) queued for QuickBooks Online; they are sent in the background.",
                count=len(orders),
            )
        ]
        if unconfirmed := len(pushable - orders):
            messages.append(
                self.env._(
                    "%(count)s not confirmed yet, left out: only confirmed orders are sent.",
                    count=unconfirmed,
                )
            )
        if already := len(self - pushable):
            messages.append(
                self.env._(
                    "%(count)s already sent or voided in QuickBooks, left out.", count=already
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if len(messages) > 1 else "info",
                "message": " ".join(messages),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_qbo_update(self):
        """*Update in QuickBooks*: send the order's changes over its unpaid QBO document.

        A document with a payment or credit is left alone; why lands on the order
        (``qbo_error``) and in the notification.
        """
        self._qbo_check_push_rights()
        changed = self.sudo().filtered(lambda o: o.qbo_status == "created" and o.qbo_changed)
        refusals = [message for order in changed if (message := amend.update(order))]
        if refusals:
            message = "\n".join(refusals)
        elif changed:
            message = self.env._("QuickBooks Online was updated.")
        else:
            message = self.env._("Nothing to update: QuickBooks Online holds the order as it is.")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if refusals else ("success" if changed else "info"),
                "message": message,
                "sticky": bool(refusals),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _qbo_withdraw_on_cancel(self):
        """The orders were cancelled: void their QBO invoices, delete their unpaid bills.

        Runs inside the user's cancel action; any refusal raises and rolls the cancel back.
        Voiding changes the books, so an order whose document is in QBO is cancelled by a
        QuickBooks user only.
        """
        in_quickbooks = self.filtered(lambda o: o.qbo_status == "created")
        if in_quickbooks and not self.env.user.has_group("quickbooks_online.group_qbo_user"):
            raise UserError(
                self.env._(
                    "%(orders)s: the %(document)s is in QuickBooks Online and cancelling the "
                    "order withdraws it there. Ask a QuickBooks user to cancel the order.",
                    orders=", ".join(in_quickbooks.mapped("name")),
                    document=self._qbo_kind().label(self.env),
                )
            )
        self.sudo().filtered(lambda o: o.qbo_status == "queued").write({"qbo_status": "not_pushed"})
        amend.cancel(self.sudo())

    # ------------------------------------------------------------------ what QBO tells back
    def _qbo_apply_remote(self, document):
        """Bring the order in line with its QBO ``document`` (a full Invoice/Bill);
        idempotent: the same QBO state applied twice writes nothing the second time."""
        self.ensure_one()
        return record.apply_remote(self, document)

    def _qbo_mark_deleted(self):
        """The QBO document was deleted: the order is back to not invoiced/billed."""
        for order in self:
            record.mark_deleted(order)

    def _qbo_after_push(self):
        """Called on each order whose document was just created in QBO.

        Records what the document holds, the reference of *Changed since pushed*.
        """
        self.sudo().write({"qbo_pushed_content": self._qbo_content()})
