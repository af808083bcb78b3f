import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError
from odoo.tools import split_every

from ..qbo.const import MAX_BATCH_ITEMS
from ..services import kinds, push, send
from ..services.cron import CronRun

_logger = logging.getLogger(__name__)

#: orders of one push of the background push: 30 (QBO's items per batch call) per batch
#: call, as many batch calls as it sends at once
BULK_CHUNK = MAX_BATCH_ITEMS * send.CONCURRENT_BATCHES
#: a chunk another transaction wrote meanwhile: left queued for a new run
CONFLICTS = (pg_errors.SerializationFailure, pg_errors.UniqueViolation, ConcurrencyError)


class QboPushIntent(models.Model):
    """That a document was about to be created in QBO for an order, committed before the call.

    Written in a transaction of its own (:func:`..services.send.record_intent`), so it
    survives the push's transaction being rolled back or its worker being killed. The
    next push of the order with the same idempotency key
    (:func:`..services.send.document_key`) first looks in QBO for the document the
    earlier attempt may have made; it does not rely on QBO honouring ``requestid``. An
    intent that was followed by a definite answer is harmless: the order is then created
    (and never pushed again under that key) or was refused (the next push pays one read).

    The background push's cron runs here, the push's own model.
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
    def _cron_push_queued(self):
        """Background push of the orders queued from the lists, in chunks of
        :data:`BULK_CHUNK` orders (their batch calls sent at once).

        Progress is committed per chunk. A chunk another transaction changed since
        this one began (a button push of one of its orders, a link made by another
        push) is rolled back to its savepoint and left queued for a new run, which
        sees the orders as they are then: the job never fails for it. When QBO
        throttles, the job runs again after QBO's ``Retry-After``.
        """
        queued = [
            self.env[kind.model]
            .sudo()
            .search([("qbo_status", "=", "queued"), *kind.domain], order="id")
            for kind in kinds.PUSHED_KINDS
        ]
        run = CronRun(self.env, "quickbooks_online.ir_cron_qbo_push")
        run.start(sum(len(orders) for orders in queued))
        for orders in queued:
            for company_orders in orders.grouped("company_id").values():
                for ids in split_every(BULK_CHUNK, company_orders.ids):
                    chunk = orders.browse(ids)
                    try:
                        with self.env.cr.savepoint():
                            retry_after = push.push(chunk, bulk=True)
                    except CONFLICTS as error:
                        _logger.info(
                            "QBO push: %s changed meanwhile (%s), pushed in a new run",
                            chunk,
                            type(error).__name__,
                        )
                        run.later()
                        retry_after = None
                    if retry_after:
                        # QBO's limits: stop here, the queued orders wait for Retry-After
                        run.wait(retry_after)
                        return
                    if not run.step(len(chunk)):
                        return
