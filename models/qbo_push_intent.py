import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class QboPushIntent(models.Model):
    """That a document was about to be created in QBO for an order, committed before the call.

    Written in a transaction of its own, so it survives the push's transaction being
    rolled back or its worker being killed. The next push of the order with the same
    idempotency key (:meth:`~.document_mixin.QboDocumentMixin._qbo_request_id`) first
    looks in QBO for the document the earlier attempt may have made; it does not rely on
    QBO honouring ``requestid``. An intent that was followed by a definite answer is
    harmless: the order is then created (and never pushed again under that key) or was
    refused (the next push pays one read).
    """

    _name = "qbo.push.intent"
    _inherit = ["qbo.owned.fields.mixin"]
    _qbo_owned_all = True
    _description = "QuickBooks Online push attempt"

    res_model = fields.Char(required=True, readonly=True)
    res_id = fields.Many2oneReference(model_field="res_model", required=True, readonly=True)
    request_id = fields.Char(required=True, readonly=True)
    attempted_at = fields.Datetime(required=True, readonly=True)

    _order_uniq = models.UniqueIndex("(res_model, res_id)")

    @api.model
    def _qbo_lock(self, orders, wait):
        """Lock ``orders`` for this transaction; return those locked.

        Only one transaction sends an order at a time. The background push skips
        orders another transaction holds (``wait=False``: ``SKIP LOCKED``); the
        button refuses in words. A row changed since this transaction began raises a
        serialization failure, which the caller handles (the button's request is run
        again by the server, with a fresh view of the order).
        """
        if not orders:
            return orders
        how = SQL("SKIP LOCKED") if not wait else SQL("NOWAIT")
        query = SQL(
            "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE %s",
            SQL.identifier(orders._table),
            tuple(orders.ids),
            how,
        )
        try:
            with self.env.cr.savepoint(flush=False):
                # a held order is expected here, not a "bad query" for the log
                self.env.cr.execute(query, log_exceptions=False)
                locked = {row[0] for row in self.env.cr.fetchall()}
        except pg_errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "%(orders)s is being sent to QuickBooks Online right now. "
                    "Reload the page in a moment to see the result.",
                    orders=", ".join(orders.mapped("display_name")),
                )
            ) from None
        return orders.filtered(lambda order: order.id in locked)

    @api.model
    def _qbo_record(self, orders):
        """Commit that ``orders`` are about to be sent; return those sent before under the
        same key, whose document QBO may already hold."""
        keys = {order.id: order._qbo_request_id() for order in orders}
        if not keys:
            return orders
        now = fields.Datetime.now()
        with self.env.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT res_id, request_id FROM qbo_push_intent "
                    "WHERE res_model = %s AND res_id IN %s",
                    orders._name,
                    tuple(keys),
                )
            )
            earlier = {res_id for res_id, key in cr.fetchall() if keys.get(res_id) == key}
            for res_id, key in keys.items():
                cr.execute(
                    SQL(
                        "INSERT INTO qbo_push_intent "
                        "(res_model, res_id, request_id, attempted_at, create_date, write_date) "
                        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (res_model, res_id) "
                        "DO UPDATE SET request_id = EXCLUDED.request_id, "
                        "attempted_at = EXCLUDED.attempted_at, write_date = EXCLUDED.write_date",
                        orders._name,
                        res_id,
                        key,
                        now,
                        now,
                        now,
                    )
                )
        return orders.filtered(lambda order: order.id in earlier)
