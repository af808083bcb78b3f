"""Changes to documents already in QBO: *Update in QuickBooks* and the withdrawal on cancel.

Only a document nothing was applied to (no payment, no credit) is changed:
once money moved, the accountant adjusts it in QuickBooks. Every write sends
the SyncToken just read; on 5010 (someone changed the document meanwhile)
the document is read again, checked again, and the write retried once.
"""

from markupsafe import Markup

from odoo.exceptions import UserError

from ..qbo import errors
from . import keys, payload, preflight, record, resolve, sync_log
from .error_words import explain
from .order_snapshot import money_moved
from .payload import payment_status
from .push import PushRun
from .send import document_key


# ---------------------------------------------------------------------- update
def update(order):
    """Send ``order``'s current content over its QBO document; return the refusal, if any."""
    with sync_log.about(order, source="push"):
        return _update(order)


def _update(order):
    env, kind = order.env, order._qbo_kind()
    connection = order._qbo_connection()
    blocker = preflight.connection_blocker(env, connection, kind)
    messages = [blocker] if blocker else preflight.order_messages(order, connection)
    if messages:
        return _refuse(order, "\n".join(messages))
    run = PushRun(connection, order, bulk=False)
    try:
        resolved = resolve.resolve(run, order)
        if resolved.failures:
            return _refuse(order, "\n".join(dict.fromkeys(resolved.failures.values())))
        content = payload.document(
            order, connection, resolved.party_ids[kind.party(order).id], resolved.item_ids
        )

        def send(document):
            body = dict(content, Id=document["Id"], SyncToken=document["SyncToken"])
            key = write_key(order, "update", document)
            return run.client.update(kind.entity, body, key, sparse=True)

        data = _write_fresh(run, order, send, _update_refusal)
    except errors.QboError as error:
        return _refuse(order, explain(error, order))
    if data is None:
        return env._(
            "The %(document)s was deleted in QuickBooks Online: the order is back to "
            "not sent; push it again to create a new one.",
            document=kind.label(env),
        )
    if isinstance(data, str):
        return _refuse(order, data)
    _after_update(order, data)
    return None


def _after_update(order, data):
    env = order.env
    changes = order.qbo_changes
    total = data.get("TotalAmt") or 0.0
    balance = data.get("Balance", total) or 0.0
    order.write(
        {
            "qbo_total": total,
            "qbo_balance": balance,
            "qbo_payment_status": payment_status(total, balance),
            "qbo_amount_warning": record.amount_warning(order, total),
            "qbo_error": False,
            "qbo_pushed_content": order._qbo_content(),
        }
    )
    body = Markup("%s<ul>%s</ul>") % (
        env._(
            "The %(document)s %(number)s was updated in QuickBooks Online:",
            document=order._qbo_kind().label(env),
            number=order.qbo_doc_number or order.qbo_txn_id,
        ),
        Markup().join(Markup("<li>%s</li>") % change for change in changes.splitlines()),
    )
    order.message_post(body=body, subtype_xmlid="mail.mt_note")


def _update_refusal(order, document):
    env = order.env
    """Why the document can't be updated from Odoo (voided, money moved), or ``None``."""
    message = _paid_refusal(order, document)
    if order.qbo_status == "voided":
        return env._(
            "The %(document)s was voided in QuickBooks Online: it is not updated.",
            document=order._qbo_kind().label(env),
        )
    return message


def _paid_refusal(order, document):
    """Why the document can't be changed from Odoo (money moved), or ``None``.

    The order first takes what QBO holds (balance, payment status, void).
    """
    env = order.env
    record.apply_remote(order, document)
    if order.qbo_status == "voided" or not money_moved(document):
        return None
    return env._(
        "The %(document)s %(number)s already has a payment or credit in QuickBooks "
        "Online, so Odoo does not change it. Adjust it in QuickBooks (or issue a "
        "credit memo for the difference).",
        document=order._qbo_kind().label(env),
        number=order.qbo_doc_number or order.qbo_txn_id,
    )


def _refuse(order, message):
    """Tell why the document stays as it is; the order keeps its status."""
    order.write({"qbo_error": message})
    return message


# ---------------------------------------------------------------------- cancel
def cancel(orders):
    """Void the invoices (delete the bills) of the cancelled ``orders``.

    Raise :class:`UserError` (the cancel is rolled back) when QBO can't be
    reached or money already moved on a document: nothing is sent then.
    Bills are deleted, QBO's API offering no void for them.
    """
    env = orders.env
    orders = orders.filtered(lambda o: o.qbo_txn_id and o.qbo_status != "voided")
    for company_orders in orders.grouped("company_id").values():
        connection = company_orders[:1]._qbo_connection()
        if not connection or connection.state != "connected":
            raise UserError(
                env._(
                    "%(orders)s already have a document in QuickBooks Online, and "
                    "QuickBooks Online is not connected: the document would stay open. "
                    "Reconnect QuickBooks, then cancel again.",
                    orders=", ".join(company_orders.mapped("name")),
                )
            )
        with sync_log.about(company_orders, source="push"):
            _cancel(env, connection, company_orders)


def _cancel(env, connection, company_orders):
    """Void or delete the documents of ``company_orders`` (one connection)."""
    run = PushRun(connection, company_orders, bulk=False)
    try:
        documents = {order: _read(run, order) for order in company_orders}
        paid = [_paid_refusal(order, document) for order, document in documents.items() if document]
        if refusals := [message for message in paid if message]:
            raise UserError(
                env._(
                    "The order can't be cancelled:\n%(reasons)s\nTo cancel it anyway, "
                    "first remove or refund the payment in QuickBooks Online.",
                    reasons="\n".join(refusals),
                )
            )
        for order, document in documents.items():
            if document and order.qbo_status != "voided":
                _withdraw(run, order)
    except errors.QboError as error:
        raise UserError(explain(error, company_orders[:1])) from error


def _withdraw(run, order):
    entity, operation = run.kind.entity, run.kind.withdraw
    method = run.client.void if operation == "void" else run.client.delete

    def send(document):
        key = write_key(order, operation, document)
        return method(entity, document["Id"], document["SyncToken"], key)

    data = _write_fresh(run, order, send, _paid_refusal)
    if isinstance(data, str):
        raise UserError(data)
    if data is None:  # deleted in QuickBooks meanwhile: nothing left to withdraw
        return
    if operation == "void":
        record.apply_remote(order, data)
    else:
        order._qbo_mark_deleted()


# ---------------------------------------------------------------------- shared
def _read(run, order):
    """The order's QBO document, or ``None`` when it was deleted (the order is told)."""
    try:
        return run.client.read(run.kind.entity, order.qbo_txn_id)
    except errors.ObjectNotFoundError:
        order._qbo_mark_deleted()
        return None


def _write_fresh(run, order, send, refusal):
    """Read the document, check it with ``refusal``, ``send`` it; once more on 5010.

    Returns what QBO answered, the refusal's sentence, or ``None`` when the
    document was deleted in QBO (the order is back to not sent).
    """
    for attempt in (1, 2):
        document = _read(run, order)
        if document is None:
            return None
        if message := refusal(order, document):
            return message
        try:
            return send(document)
        except errors.StaleObjectError:
            if attempt == 2:
                raise
    return None


def write_key(order, operation, document):
    """Request id of one write: a retry of the same write replays it."""
    return keys.digest(document_key(order), operation, document["SyncToken"])
