"""Bring the COGS entries in QuickBooks in line with the orders: mark, post, delete.

Only :func:`mark` runs inside an ORM operation (a validated delivery, an invoice
created or deleted): it marks the orders ``pending`` and wakes the COGS cron,
without calling QuickBooks. The calls are made by :func:`sync`, run by the cron,
which commits after each order, and by the *Post COGS* button.
"""

from datetime import timedelta

from odoo import fields

from ..qbo import errors
from . import cogs, sync_log
from .error_words import explain

CRON = "quickbooks_online.ir_cron_qbo_cogs"
#: a COGS entry QBO could not take for a passing reason is tried again after this
RETRY_DELAY = timedelta(minutes=5)


def wake(env, at=None):
    """Have the COGS cron run (at once, or at ``at``)."""
    env.ref(CRON).sudo()._trigger(at)


def mark(orders, reset_error=False, wake_cron=True):
    """The orders' COGS entry is to be brought in line (posted, or a stale one deleted):
    mark them ``pending`` and wake the cron when it has something to do."""
    orders = orders.sudo()
    if not orders:
        return orders
    values = {"qbo_cogs_status": "pending"}
    if reset_error:
        values["qbo_cogs_error"] = False
    orders.write(values)
    if wake_cron and orders.filtered_domain(cogs.CRON_DOMAIN):
        wake(orders.env)
    return orders


def sync(orders, raise_throttled=False):
    """Bring each order's COGS entry in line: delete a stale one, post a due one.

    Every failure ends on the order. With ``raise_throttled``, QBO's throttling
    is raised instead, for the cron to wait as QBO asks.
    """
    for order in orders.sudo():
        try:
            with sync_log.about(order, source="cogs"):
                _sync_one(order)
        except cogs.CogsError as error:
            failed(order, str(error), retry=False)
        except errors.QboError as error:
            if raise_throttled and isinstance(error, errors.ThrottledError):
                raise
            failed(order, explain(error, order, cogs.label(order.env)), retry=error.retryable)


def _sync_one(order):
    if cogs.is_stale(order):
        delete(order)
    if order.qbo_cogs_status == "pending" and order.delivery_status == "full":
        post(order)
    elif order.qbo_status != "created" and order.qbo_cogs_status == "pending":
        order.qbo_cogs_status = "none"


def failed(order, message, retry):
    """Record why the entry isn't posted; retryable failures stay waiting for the cron."""
    order.write({"qbo_cogs_status": "pending" if retry else "error", "qbo_cogs_error": message})
    if retry:
        wake(order.env, fields.Datetime.now() + RETRY_DELAY)


# ---------------------------------------------------------------------- post
def post(order):
    """Post the order's COGS entry (once: a retry replays the same request)."""
    if order.qbo_cogs_txn_id or order.qbo_status != "created":
        return
    env = order.env
    connection = order._qbo_connection()
    amount, date = cogs.amount_and_date(order, connection)
    entry = connection._qbo_client().create(
        "JournalEntry",
        cogs.payload(order, connection, amount, date),
        cogs.request_id(order, "create"),
    )
    order.write(
        {
            "qbo_cogs_status": "posted",
            "qbo_cogs_txn_id": str(entry["Id"]),
            "qbo_cogs_invoice_id": order.qbo_txn_id,
            "qbo_cogs_amount": amount,
            "qbo_cogs_date": date,
            "qbo_cogs_error": False,
        }
    )
    order.message_post(
        body=env._(
            "Cost of goods sold of %(amount)s posted to QuickBooks Online "
            "(journal entry %(number)s).",
            amount=order.qbo_cogs_currency_id.format(amount),
            number=entry.get("DocNumber") or entry["Id"],
        )
    )


# ---------------------------------------------------------------------- delete
def delete(order):
    """Delete the order's COGS entry in QBO (already deleted there is fine)."""
    number = order.qbo_cogs_txn_id
    entry = _delete_entry(order, order._qbo_connection()._qbo_client(), number)
    if entry:
        order.message_post(
            body=order.env._(
                "The COGS journal entry %(number)s was deleted in QuickBooks Online "
                "with its invoice.",
                number=entry.get("DocNumber") or number,
            )
        )
    forget(order, "pending" if order.qbo_status == "created" else "none")


def _delete_entry(order, client, entry_id):
    """Delete the entry ``entry_id``; return it, or ``None`` if already deleted.

    Only an entry this order posted is deleted (:func:`.cogs.check_own`, on the
    entry as read just before the delete).

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
        cogs.check_own(order, entry)
        request_id = cogs.request_id(order, f"delete-{entry['SyncToken']}")
        try:
            client.delete("JournalEntry", entry["Id"], entry["SyncToken"], request_id)
        except errors.StaleObjectError:
            if attempt:
                raise
            continue
        return entry
    return None


def forget(order, status):
    """The order no longer has a COGS entry in QBO; the next one is a new generation."""
    order.write(
        {
            "qbo_cogs_status": status,
            "qbo_cogs_txn_id": False,
            "qbo_cogs_invoice_id": False,
            "qbo_cogs_amount": 0.0,
            "qbo_cogs_date": False,
            "qbo_cogs_generation": order.qbo_cogs_generation + 1,
            "qbo_cogs_error": False,
        }
    )


def forget_deleted(orders):
    """Someone deleted these orders' COGS entries in QBO: the orders forget them."""
    for order in orders.sudo():
        number = order.qbo_cogs_txn_id
        forget(order, "none")
        order.message_post(
            body=order.env._(
                "The COGS journal entry %(number)s was deleted in QuickBooks Online.",
                number=number,
            )
        )
