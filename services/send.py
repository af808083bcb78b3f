"""The push's send step: create each document in QBO exactly once.

Only one transaction sends an order at a time (:func:`lock`). That a document is
about to be created is committed before the first request, in a transaction of its
own (:func:`record_intent`), so it survives the push's transaction being rolled back
or its worker being killed. An order sent before under the same key, or whose create
just ended without a sure answer (reset, 5xx, 6000), is first looked for in QBO, all
such orders in one request (:mod:`.reconcile`): found, it is linked; else it is sent
again. A create itself is sent once (``resend_unsure=False``). A timeout ends the
rounds (QBO may still be writing): the order ends in error, and its next push looks
first. This does not rely on QBO honouring ``requestid``.
"""

import logging
import time

from psycopg2 import errors as pg_errors

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from ..qbo import errors, parallel
from ..qbo.const import MAX_BATCH_ITEMS, MAX_CONCURRENT_REQUESTS
from . import keys, reconcile, sync_log
from .error_words import explain

_logger = logging.getLogger(__name__)

#: sends of one order per push: the create, then after each unsure outcome a look and a resend
SEND_ROUNDS = 5
#: the QBO errors that stop a push at once: they are the whole run's, not one order's
RUN_ERRORS = (errors.ThrottledError, errors.ReconnectRequired)
#: batch calls of creates the background push sends at once (QBO serves ten requests of
#: a company at once; the client's limiter keeps every process together within them)
CONCURRENT_BATCHES = MAX_CONCURRENT_REQUESTS


def document_key(order):
    """Idempotency key of ``order``'s document: the same for every retry.

    Built from the database, the model and :func:`_key_parts`.
    """
    order.ensure_one()
    return keys.request_id(order.env, order._name, *_key_parts(order))


def batch_key(orders):
    """Request id of a bulk batch: stable for these orders and their :func:`_key_parts`."""
    ids = [":".join(str(part) for part in _key_parts(order)) for order in orders]
    return keys.request_id(orders.env, orders._name, *ids, length=keys.BATCH_ID_LENGTH, prefix="b")


def _key_parts(order):
    """The record, ``qbo_generation`` (bumped only when the QBO document was deleted)
    and, once QBO refused the order for sure, ``qbo_refusals`` (absent before: the keys
    of orders never refused stay as they were)."""
    refusals = (order.qbo_refusals,) if order.qbo_refusals else ()
    return (order.id, order.qbo_generation, *refusals)


def lock(orders, skip_held):
    """Lock ``orders`` for this transaction, never waiting; return those locked.

    The background push skips orders another transaction holds (``skip_held``:
    ``SKIP LOCKED``); the button refuses in words (``NOWAIT``). A row changed since this
    transaction began raises a serialization failure, which the caller handles (the
    button's request is run again by the server, with a fresh view of the order).
    """
    if not orders:
        return orders
    cr = orders.env.cr
    sql = SQL(
        "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE %s",
        SQL.identifier(orders._table),
        tuple(orders.ids),
        SQL("SKIP LOCKED") if skip_held else SQL("NOWAIT"),
    )
    try:
        with cr.savepoint(flush=False):
            # a held order is expected here, not a "bad query" for the log
            cr.execute(sql, log_exceptions=False)
            locked = {row[0] for row in cr.fetchall()}
    except pg_errors.LockNotAvailable:
        raise UserError(
            orders.env._(
                "%(orders)s is being sent to QuickBooks Online right now. "
                "Reload the page in a moment to see the result.",
                orders=", ".join(orders.mapped("display_name")),
            )
        ) from None
    return orders.filtered(lambda order: order.id in locked)


def record_intent(orders):
    """Commit, in a transaction of its own, that ``orders`` are about to be sent
    (``qbo.push.intent``); return those sent before under the same key, whose document
    QBO may already hold."""
    order_keys = {order.id: document_key(order) for order in orders}
    if not order_keys:
        return orders
    now = fields.Datetime.now()
    with orders.env.registry.cursor() as cr:
        cr.execute(
            SQL(
                "SELECT res_id, request_id FROM qbo_push_intent "
                "WHERE res_model = %s AND res_id IN %s",
                orders._name,
                tuple(order_keys),
            )
        )
        earlier = {res_id for res_id, key in cr.fetchall() if order_keys.get(res_id) == key}
        for res_id, key in order_keys.items():
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


def send(run):
    """Create the documents of ``run.orders`` (their ``run.payloads``) exactly once;
    each outcome is recorded on its order through ``run``."""
    orders = run.orders
    unsure = record_intent(orders)
    for order in orders:
        order.sudo().qbo_push_key = document_key(order)
    todo, error = orders, None
    for attempt in range(SEND_ROUNDS):
        if unsure:
            todo -= _link_sent(run, unsure)
        if not todo:
            return
        if attempt:
            time.sleep(run.client.backoff_factor * 2 ** (attempt - 1))
        unsure, error = _create(run, todo)
        todo = unsure
        if not todo or getattr(error, "timed_out", False) or run.past_deadline():
            break
    for order in todo:
        run.failed(order, explain(error, order))


@sync_log.about(source="reconcile")
def _link_sent(run, orders):
    """Link the orders whose document QBO already holds; return them, and those whose
    look QBO refused for now: neither is sent again in this push."""
    payloads = {order: run.payloads[order] for order in orders}
    found, unanswered = reconcile.find_sent(run.client, run.kind.entity, payloads)
    for order, existing in found.items():
        _logger.info("%s was already in QBO (%s): linked", order.name, existing["Id"])
        run.created(order, existing)
    for order, error in unanswered.items():
        run.ask_again(order, error)
    return orders.browse([order.id for order in (*found, *unanswered)])


def _create(run, orders):
    """Send the creates once; return the orders left unsure and the last unsure error."""
    unsure, unsure_error = orders.browse(), None
    outcomes = _create_batches(run, orders) if run.bulk else _create_each(run, orders)
    for order, data, error in outcomes:
        if data is not None:
            run.created(order, data)
        elif isinstance(error, errors.DuplicateDocNumberError):
            existing, message = reconcile.duplicate_number(run, order, error)
            if existing:
                run.created(order, existing)
            else:
                run.refused(order, message)
        elif error.retryable:
            unsure |= order
            unsure_error = error
        elif isinstance(error, errors.ValidationError):  # a fault answered: nothing created
            run.refused(order, explain(error, order))
        else:
            run.failed(order, explain(error, order))
    return unsure, unsure_error


def _create_each(run, orders):
    """One ``create`` per order; yields ``(order, data, error)``."""
    for order in orders:
        try:
            data = run.client.create(
                run.kind.entity, run.payloads[order], document_key(order), resend_unsure=False
            )
        except RUN_ERRORS:
            raise
        except errors.QboError as error:
            yield order, None, error
        else:
            yield order, data, None


def _create_batches(run, orders):
    """Batches of creates (:func:`batch_key` their request id), sent concurrently
    (:func:`qbo.parallel.batches`); yields as :func:`_create_each`.

    Each chunk keeps its own request id and its orders' intents. Every answered chunk
    is yielded, hence recorded, before a throttling or a lost connection of another is
    raised: a document created next to a throttled chunk is never sent again.
    """
    entity = run.kind.entity
    chunks = [orders.browse(ids) for ids in split_every(MAX_BATCH_ITEMS, orders.ids)]
    calls = [
        (
            [
                {"bId": str(order.id), "operation": "create", entity: run.payloads[order]}
                for order in chunk
            ],
            batch_key(chunk),
        )
        for chunk in chunks
    ]
    outcomes = parallel.batches(run.client, calls, workers=CONCURRENT_BATCHES, resend_unsure=False)
    run_error = None
    for chunk, outcome in zip(chunks, outcomes, strict=True):
        if isinstance(outcome, RUN_ERRORS):
            run_error = run_error or outcome
        elif isinstance(outcome, errors.QboError):
            for order in chunk:
                yield order, None, outcome
        else:
            for order in chunk:
                result = outcome[str(order.id)]
                yield order, (result.data if result.ok else None), result.error
    if run_error:
        raise run_error
