"""Any QBO error in the user's words: one entry point, :func:`explain`.

The push, *Update in QuickBooks*, the cancel and the cost of goods all turn a
:class:`~..qbo.errors.QboError` into a sentence here. Some refusals do not tell the user
what to fix in QBO's own words: closed books (6210), an item lacking the account of one
side (6000 on ``ItemRef``), an account of the setup's mapping made inactive or deleted
in QBO (610/2500 that name no record). One extra read, only when such an error
happened, finds what to say (:func:`diagnose`).
"""

from contextlib import suppress
from datetime import date

from odoo.tools import format_date

from ..qbo import errors, query
from .company import read_company
from .payload import SHIPPING_ITEM, order_date
from .setup import MAPPED_ACCOUNTS

#: QBO's "Account Period Closed": the document's date is in closed books
PERIOD_CLOSED = "6210"
#: QBO's "Invalid Reference Id": what the document refers to is unknown or inactive
INVALID_REFERENCE = "2500"
#: QBO's "Business Validation Error"
BUSINESS_RULE = "6000"
#: seconds the one read that names a refusal's cause may take
DIAGNOSE_TIMEOUT = 10


def explain(error, order, document=None):
    """What to tell the user about ``error``, met on ``order``'s document (never a traceback).

    :param error: a :class:`~..qbo.errors.QboError`
    :param order: the order (a sale or purchase order) the request was for
    :param document: the document's name in the sentence; the order's kind's label by default
    """
    env = order.env
    document = document or order._qbo_kind().label(env)
    if isinstance(error, errors.ReconnectRequired):
        return order._qbo_connection()._qbo_reconnect_message()
    if isinstance(error, (errors.AuthenticationError, errors.AuthorizationError)):
        return env._(
            "QuickBooks Online refused access (%(error)s). Check the connection.",
            error=str(error),
        )
    if isinstance(error, errors.ThrottledError):
        return env._("QuickBooks Online is busy (too many requests). Push again in a minute.")
    if error.retryable:
        return env._(
            "QuickBooks Online did not answer (%(error)s). Push again later: QuickBooks "
            "is checked for this %(document)s first, so no second %(document)s is created.",
            error=str(error),
            document=document,
        )
    if diagnosis := diagnose(order._qbo_connection(), error, order, document):
        return diagnosis
    if isinstance(error, errors.ObjectNotFoundError):
        return env._(
            "Something this %(document)s refers to is inactive or deleted in "
            "QuickBooks Online: %(error)s",
            document=document,
            error=str(error),
        )
    return env._(
        "QuickBooks Online refused the %(document)s: %(error)s",
        document=document,
        error=str(error),
    )


def diagnose(connection, error, order=None, document=None):
    """A message naming the cause of ``error``, or ``None`` to keep QBO's words.

    :param connection: the ``qbo.connection`` the request went through
    :param order: the order whose document QBO refused (``None`` for its items/contact)
    """
    if not isinstance(error, errors.ValidationError):
        return None
    if error.code == PERIOD_CLOSED and order:
        return _closed_books(connection, order, document or order._qbo_kind().label(order.env))
    if error.code == BUSINESS_RULE and error.element == "ItemRef" and order:
        return order._qbo_kind().item_side_message(order.env, error)
    if error.code == INVALID_REFERENCE and SHIPPING_ITEM in (error.detail or ""):
        return _shipping_off(connection)
    refused_reference = (
        isinstance(error, errors.ObjectNotFoundError) and not error.deleted
    ) or error.code == INVALID_REFERENCE
    if refused_reference:
        return _inactive_accounts(connection)
    return None


def _diagnosing_read(connection, read):
    """``read(client)``, short and never retried (:data:`DIAGNOSE_TIMEOUT`), so that it
    fits inside the button's time budget: it only improves the words, which stand without
    it (``None``)."""
    try:
        return read(connection._qbo_client(timeout=DIAGNOSE_TIMEOUT, max_retries=0))
    except errors.QboError:
        return None


def _closed_books(connection, order, document):
    env = connection.env
    prefs = _diagnosing_read(connection, lambda client: client.preferences())
    closed = ((prefs or {}).get("AccountingInfoPrefs") or {}).get("BookCloseDate")
    values = {"document": document, "txn_date": format_date(env, order_date(order))}
    if not closed:
        return env._(
            "The QuickBooks books are closed for the date of this %(document)s "
            "(%(txn_date)s). Change the closing date in QuickBooks (Settings > Account "
            "and settings > Advanced > Accounting), then push again.",
            **values,
        )
    return env._(
        "The QuickBooks books are closed up to %(closed)s and this %(document)s is dated "
        "%(txn_date)s. Move the closing date back in QuickBooks (Settings > Account and "
        "settings > Advanced > Accounting), then push again.",
        closed=format_date(env, date.fromisoformat(closed[:10])),
        **values,
    )


def _shipping_off(connection):
    """QBO refused the shipping charge: Shipping was turned off in QBO since the setup
    read it. The preferences are read again, so the next push knows (when QBO answers)."""
    with suppress(errors.QboError):
        read_company(connection, connection._qbo_client())
    return connection.env._(
        "QuickBooks refused the shipping charge: Shipping is off in QuickBooks (Settings > "
        "Account and settings > Sales > Sales form content). Turn it on again, or choose a "
        "shipping item in the QuickBooks Online setup, then push again."
    )


def _inactive_accounts(connection):
    """Name the mapped accounts QBO no longer lists as active (None when all are)."""
    env = connection.env
    mapped = {name: connection[name] for name in MAPPED_ACCOUNTS if connection[name]}
    ids = sorted({account.qbo_id for account in mapped.values()})
    if not ids:
        return None
    rows = _diagnosing_read(
        connection,
        lambda client: client.query_all("Account", f"Id IN {query.in_list(ids)}"),
    )
    if rows is None:
        return None
    active = {row["Id"] for row in rows}
    gone = [
        env._(
            "%(account)s (%(role)s)",
            account=account.name,
            role=connection._fields[name]._description_string(env),
        )
        for name, account in mapped.items()
        if account.qbo_id not in active
    ]
    if not gone:
        return None
    return env._(
        "These accounts of the QuickBooks Online setup are inactive or deleted in "
        "QuickBooks: %(accounts)s. Make them active again in QuickBooks, or map other "
        "accounts in the QuickBooks Online setup, then push again.",
        accounts=", ".join(gone),
    )
