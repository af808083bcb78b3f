"""Cost of goods sold journal entries of *Accounting with inventory*.

When an invoiced sales order is fully delivered, one balanced JournalEntry goes to
QBO: debit the mapped COGS account, credit the mapped inventory asset account, for
the cost Odoo's stock valuation recorded for the order's deliveries (returns
deducted). It is posted once per QBO invoice: the ``requestid`` comes from the
order and ``qbo_cogs_generation``, which changes only when the entry was deleted.
"""

import hashlib
import logging
from datetime import timedelta

from odoo import api, fields, models

from ..qbo import errors
from .sync_const import COGS_BATCH, DOC_NUMBER_MAX

_logger = logging.getLogger(__name__)

#: a COGS entry QBO could not take for a passing reason is tried again after this
_RETRY_DELAY = timedelta(minutes=5)


class CogsError(Exception):
    """Why the COGS entry of an order can't be posted, in the user's words."""


class SaleOrder(models.Model):
    _inherit = "sale.order"

    qbo_cogs_status = fields.Selection(
        [
            ("none", "Not posted"),
            ("pending", "Waiting"),
            ("posted", "Posted"),
            ("error", "Error"),
        ],
        string="QuickBooks COGS",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
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

    @api.depends("qbo_cogs_txn_id", "company_id")
    def _compute_qbo_cogs_url(self):
        for order in self:
            connection = order._qbo_connection() if order.qbo_cogs_txn_id else None
            order.qbo_cogs_url = (
                connection._qbo_web_url("journal", order.qbo_cogs_txn_id) if connection else False
            )

    # ------------------------------------------------------------------ triggers
    def _qbo_after_invoice_created(self):
        """Post the COGS entry right after the invoice when the order is already fully
        delivered; otherwise it waits for the delivery (see :meth:`_qbo_cogs_on_delivery`)."""
        result = super()._qbo_after_invoice_created()
        orders = self._qbo_cogs_applicable().filtered(lambda o: o._qbo_cogs_due())
        orders.write({"qbo_cogs_status": "pending", "qbo_cogs_error": False})
        orders.filtered(lambda o: o.delivery_status == "full" or o.qbo_cogs_txn_id)._qbo_cogs_sync()
        return result

    def _qbo_cogs_on_delivery(self):
        """A delivery or return of these orders was validated: the cron posts the entry
        once the order is fully delivered (never inside the stock operation)."""
        orders = self._qbo_cogs_applicable().filtered(lambda o: o._qbo_cogs_due())
        if not orders:
            return
        orders.write({"qbo_cogs_status": "pending"})
        if any(order.delivery_status == "full" for order in orders):
            self.env.ref("quickbooks_online.ir_cron_qbo_cogs").sudo()._trigger()

    def action_qbo_post_cogs(self):
        """Button: post (or retry) the COGS entry now (QuickBooks users only)."""
        self._qbo_check_push_rights()
        orders = self.sudo()._qbo_cogs_applicable().filtered(lambda o: o._qbo_cogs_due())
        orders.write({"qbo_cogs_status": "pending", "qbo_cogs_error": False})
        orders._qbo_cogs_sync()
        return True

    @api.model
    def _cron_qbo_cogs(self):
        """Post the entries of invoiced orders whose delivery completed; delete stale ones."""
        orders = self.search(
            [
                ("qbo_cogs_status", "=", "pending"),
                "|",
                ("delivery_status", "=", "full"),
                ("qbo_cogs_txn_id", "!=", False),
            ],
            limit=COGS_BATCH,
        )
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(orders))
        for order in orders:
            order._qbo_cogs_sync()
            if not cron._commit_progress(processed=1):
                break

    def _qbo_cogs_applicable(self):
        """Invoiced orders of companies in *Accounting with inventory* that sell goods."""
        inventory_companies = (
            self.env["qbo.connection"]
            .sudo()
            .search(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("accounting_mode", "=", "inventory"),
                ]
            )
            .company_id
        )
        return self.filtered(
            lambda o: (
                o.qbo_status == "created"
                and o.company_id in inventory_companies
                and any(line.product_id.is_storable for line in o.order_line)
            )
        )

    def _qbo_cogs_due(self):
        """Whether the order still needs its COGS entry for its current invoice."""
        self.ensure_one()
        return self.qbo_cogs_status != "posted" or self._qbo_cogs_stale()

    # ------------------------------------------------------------------ posting
    def _qbo_cogs_sync(self):
        """Bring each order's COGS entry in line: delete a stale one, post a due one."""
        for order in self:
            try:
                if order._qbo_cogs_stale():
                    order._qbo_cogs_delete()
                if order.qbo_cogs_status == "pending" and order.delivery_status == "full":
                    order._qbo_cogs_post()
                elif order.qbo_status != "created" and order.qbo_cogs_status == "pending":
                    order.qbo_cogs_status = "none"
            except CogsError as error:
                order._qbo_cogs_failed(str(error), retry=False)
            except errors.QboError as error:
                order._qbo_cogs_failed(
                    self.env._("QuickBooks Online answered: %(error)s", error=error),
                    retry=error.retryable,
                )

    def _qbo_cogs_stale(self):
        """Whether a COGS entry in QBO belongs to an invoice the order no longer has."""
        self.ensure_one()
        return bool(self.qbo_cogs_txn_id) and self.qbo_cogs_invoice_id != self.qbo_txn_id

    def _qbo_cogs_post(self):
        self.ensure_one()
        if self.qbo_cogs_txn_id or self.qbo_status != "created":
            return
        connection = self._qbo_connection()
        amount, date = self._qbo_cogs_amount_and_date(connection)
        payload = self._qbo_cogs_payload(connection, amount, date)
        entry = connection._qbo_client().create(
            "JournalEntry", payload, self._qbo_cogs_request_id("create")
        )
        self.write(
            {
                "qbo_cogs_status": "posted",
                "qbo_cogs_txn_id": str(entry["Id"]),
                "qbo_cogs_invoice_id": self.qbo_txn_id,
                "qbo_cogs_amount": amount,
                "qbo_cogs_date": date,
                "qbo_cogs_error": False,
            }
        )
        self.message_post(
            body=self.env._(
                "Cost of goods sold of %(amount)s posted to QuickBooks Online "
                "(journal entry %(number)s).",
                amount=self.qbo_cogs_currency_id.format(amount),
                number=entry.get("DocNumber") or entry["Id"],
            )
        )

    def _qbo_cogs_amount_and_date(self, connection):
        """The cost Odoo's valuation recorded for the delivered goods, returns deducted,
        and the date the delivery completed.

        :raises CogsError: nothing to post, or the setup can't take it.
        """
        currency = self.company_id.currency_id
        if not (connection.cogs_account_id and connection.inventory_account_id):
            raise CogsError(
                self.env._(
                    "Map the cost of goods sold and the inventory asset accounts in the "
                    "QuickBooks Online setup, then post the COGS entry again."
                )
            )
        if connection.qbo_currency and connection.qbo_currency != currency.name:
            raise CogsError(
                self.env._(
                    "The company's currency (%(odoo)s) is not QuickBooks Online's home currency "
                    "(%(qbo)s): the COGS entry can't be posted in it.",
                    odoo=currency.name,
                    qbo=connection.qbo_currency,
                )
            )
        moves = (self.order_line.move_ids | self.picking_ids.move_ids).filtered(
            lambda m: m.state == "done" and m.product_id.is_storable and (m.is_out or m.is_in)
        )
        unvalued = moves.filtered(lambda m: m.quantity and currency.is_zero(m.value))
        if unvalued:
            move = unvalued[0]
            raise CogsError(
                self.env._(
                    "Odoo's inventory valuation has no cost for %(product)s in %(transfer)s: "
                    "set the product's cost, then post the COGS entry again.",
                    product=move.product_id.display_name,
                    transfer=move.picking_id.name or move.reference,
                )
            )
        cost = currency.round(
            sum(moves.filtered("is_out").mapped("value"))
            - sum(moves.filtered("is_in").mapped("value"))
        )
        if currency.compare_amounts(cost, 0.0) <= 0:
            raise CogsError(
                self.env._(
                    "The delivered goods have a cost of %(cost)s in Odoo's inventory valuation: "
                    "there is no cost of goods sold to post.",
                    cost=currency.format(cost),
                )
            )
        deliveries = self.picking_ids.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing" and p.date_done
        )
        done = max(deliveries.mapped("date_done"), default=fields.Datetime.now())
        return cost, fields.Datetime.context_timestamp(self, done).date()

    def _qbo_cogs_payload(self, connection, amount, date):
        number = (self.qbo_doc_number or self.qbo_txn_id or "").strip()
        description = self.env._("Cost of goods sold, %(order)s", order=self.name)

        def line(posting, account):
            return {
                "DetailType": "JournalEntryLineDetail",
                "Amount": amount,
                "Description": description,
                "JournalEntryLineDetail": {
                    "PostingType": posting,
                    "AccountRef": {"value": account.qbo_id},
                },
            }

        return {
            "TxnDate": date.isoformat(),
            "DocNumber": f"{self.name}-COGS"[-DOC_NUMBER_MAX:],
            "PrivateNote": self.env._(
                "Cost of goods sold of sales order %(order)s (invoice %(invoice)s), from Odoo.",
                order=self.name,
                invoice=number,
            )
            + " "
            + self._qbo_cogs_marker(),
            "Line": [
                line("Debit", connection.cogs_account_id),
                line("Credit", connection.inventory_account_id),
            ],
        }

    def _qbo_cogs_request_id(self, action):
        """Idempotency key: the same for every retry of one entry's ``action``."""
        self.ensure_one()
        database_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        seed = f"{database_uuid}|{self._name}|{self.id}|cogs|{self.qbo_cogs_generation}|{action}"
        return hashlib.sha256(seed.encode()).hexdigest()[:40]

    def _qbo_cogs_failed(self, message, retry):
        """Record why the entry isn't posted; retryable failures stay waiting for the cron."""
        self.ensure_one()
        self.write({"qbo_cogs_status": "pending" if retry else "error", "qbo_cogs_error": message})
        if retry:
            self.env.ref("quickbooks_online.ir_cron_qbo_cogs").sudo()._trigger(
                fields.Datetime.now() + _RETRY_DELAY
            )

    # ------------------------------------------------------------------ deletion
    def _qbo_cogs_delete(self):
        """Delete the order's COGS entry in QBO (already deleted there is fine)."""
        self.ensure_one()
        connection = self._qbo_connection()
        client = connection._qbo_client()
        number = self.qbo_cogs_txn_id
        entry = self._qbo_cogs_delete_entry(client, number)
        if entry:
            self.message_post(
                body=self.env._(
                    "The COGS journal entry %(number)s was deleted in QuickBooks Online "
                    "with its invoice.",
                    number=entry.get("DocNumber") or number,
                )
            )
        self._qbo_cogs_unlink("pending" if self.qbo_status == "created" else "none")

    def _qbo_cogs_delete_entry(self, client, entry_id):
        """Delete the entry ``entry_id``; return it, or ``None`` if already deleted.

        Only an entry this order posted is deleted (:meth:`_qbo_cogs_check_own`, on
        the entry as read just before the delete).

        The delete sends the SyncToken just read; when the entry changed in between
        (5010 "Stale Object Error"), it is read again and the delete sent once more, as
        QBO asks. The SyncToken is part of the request id: a delete of another version
        is another request, while a resent one is replayed.
        """
        for attempt in range(2):
            try:
                entry = client.read("JournalEntry", entry_id)
            except errors.ObjectNotFoundError as error:
                if not error.deleted:
                    raise
                return None
            self._qbo_cogs_check_own(entry)
            request_id = self._qbo_cogs_request_id(f"delete-{entry['SyncToken']}")
            try:
                client.delete("JournalEntry", entry["Id"], entry["SyncToken"], request_id)
            except errors.StaleObjectError:
                if attempt:
                    raise
                continue
            return entry
        return None

    def _qbo_cogs_unlink(self, status):
        self.write(
            {
                "qbo_cogs_status": status,
                "qbo_cogs_txn_id": False,
                "qbo_cogs_invoice_id": False,
                "qbo_cogs_amount": 0.0,
                "qbo_cogs_date": False,
                "qbo_cogs_generation": self.qbo_cogs_generation + 1,
                "qbo_cogs_error": False,
            }
        )

    def _qbo_mark_deleted(self):
        """The invoice was deleted in QBO: its COGS entry goes too, so that invoicing
        the order again never counts the cost twice."""
        with_entry = self.filtered("qbo_cogs_txn_id")
        result = super()._qbo_mark_deleted()
        (self - with_entry).filtered(lambda o: o.qbo_cogs_status != "none").write(
            {"qbo_cogs_status": "none", "qbo_cogs_error": False}
        )
        with_entry.write({"qbo_cogs_status": "pending"})
        with_entry._qbo_cogs_sync()
        return result

    @api.model
    def _qbo_cogs_entries_deleted(self, connection, entry_ids):
        """Someone deleted COGS entries in QBO: forget them (they are not posted again
        by themselves; the *Post COGS* button does it)."""
        if not entry_ids:
            return
        orders = self.env["qbo.sync"]._cogs_orders(connection, entry_ids)
        for order in orders:
            number = order.qbo_cogs_txn_id
            order._qbo_cogs_unlink("none")
            order.message_post(
                body=self.env._(
                    "The COGS journal entry %(number)s was deleted in QuickBooks Online.",
                    number=number,
                )
            )
