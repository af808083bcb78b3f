"""The requests that create the push's documents, and the look for those already sent.

Plain functions over the client: they send and report, the push (``qbo.push``) decides
and writes. A create is sent once (``resend_unsure=False``): what QBO may have written
is looked for before it is sent again (see :mod:`.qbo_reconcile`).
"""

from odoo.tools import split_every

from ..qbo import errors, query
from ..qbo.const import MAX_BATCH_ITEMS
from . import qbo_reconcile

#: the QBO errors that stop a push at once: they are the whole run's, not one order's
RUN_ERRORS = (errors.ThrottledError, errors.ReconnectRequired)


def create_each(client, orders, payloads):
    """One ``create`` per order; yields ``(order, data, error)``."""
    for order in orders:
        try:
            data = client.create(
                order._qbo_entity, payloads[order], order._qbo_request_id(), resend_unsure=False
            )
        except RUN_ERRORS:
            raise
        except errors.QboError as error:
            yield order, None, error
        else:
            yield order, data, None


def create_batches(client, orders, payloads, batch_key):
    """Batches of creates (``batch_key(chunk)`` their request id); yields as :func:`create_each`."""
    entity = orders._qbo_entity
    for ids in split_every(MAX_BATCH_ITEMS, orders.ids):
        chunk = orders.browse(ids)
        items = [
            {"bId": str(order.id), "operation": "create", entity: payloads[order]}
            for order in chunk
        ]
        try:
            results = client.batch(items, batch_key(chunk), resend_unsure=False)
        except RUN_ERRORS:
            raise
        except errors.QboError as error:
            for order in chunk:
                yield order, None, error
            continue
        for order in chunk:
            result = results[str(order.id)]
            yield order, (result.data if result.ok else None), result.error


def find_sent(client, orders, payloads):
    """The documents QBO already holds for ``orders``, one request: ``{order: document}``."""
    entity = orders._qbo_entity
    items = [
        {"bId": str(order.id), "Query": qbo_reconcile.lookup(entity, payloads[order])}
        for order in orders
    ]
    results = client.batch(items)
    found = {}
    for order in orders:
        result = results[str(order.id)]
        if not result.ok:
            raise result.error
        existing = qbo_reconcile.own_document(query.rows(result.data), payloads[order])
        if existing:
            found[order] = existing
    return found
