"""The COGS reversal of a credit memo (*Accounting with inventory*).

The order's COGS entry moved the delivered goods' cost to the cost of goods sold.
Goods that come back after that entry was posted are taken out of it again: once
the return's credit memo is in QBO, one JournalEntry debits the inventory asset and
credits the cost of goods sold by the cost Odoo's valuation recorded for the
returned goods. Goods returned before the order's entry was posted need none: that
entry deducts them (:func:`.cogs.amount_and_date`).

Only :func:`wake` runs inside the push; the entry is posted by the cron and by the
return's push button (:func:`sync`), once per credit memo: its ``requestid`` comes
from the return and its ``qbo_generation``.
"""

from datetime import timedelta

from odoo import fields

from ..qbo import errors
from . import cogs, sync_log
from .error_words import explain
from .payload import order_date

CRON = "quickbooks_online.ir_cron_qbo_return_cogs"
#: returns whose reversal the cron posts: waiting, with their credit memo in QBO
DOMAIN = [("qbo_cogs_status", "=", "pending"), ("qbo_status", "=", "created")]
#: a reversal QBO could not take for a passing reason is tried again after this
RETRY_DELAY = timedelta(minutes=5)


def applies(order, picking):
    """Whether the return ``picking`` of ``order`` needs a COGS reversal: the order's
    COGS entry is posted already and goods valued in stock came back."""
    return (
        order._name == "sale.order"
        and order.qbo_cogs_status == "posted"
        and any(move.product_id.is_storable for move in picking.move_ids)
    )


def wake(env, at=None):
    env.ref(CRON).sudo()._trigger(at)


def request_id(credit):
    return cogs.entry_key(credit, credit.qbo_generation, "create")


def amount(credit):
    """The cost Odoo's valuation recorded for the goods that came back."""
    currency = credit.company_id.currency_id
    moves = credit.picking_id.move_ids.filtered(
        lambda m: m.state == "done" and m.product_id.is_storable and m.is_in
    )
    cogs.check_valued(credit.env, moves, currency)
    return currency.round(sum(moves.mapped("value")))


def payload(credit, connection, value):
    env = credit.env
    description = env._("Cost of goods returned, %(picking)s", picking=credit.name)
    return {
        "TxnDate": order_date(credit).isoformat(),
        "DocNumber": cogs.doc_number(credit),
        "PrivateNote": env._(
            "Cost of goods returned with %(picking)s (credit memo %(memo)s), from Odoo.",
            picking=credit.name,
            memo=credit.qbo_doc_number or credit.qbo_txn_id,
        )
        + " "
        + cogs.marker(credit),
        "Line": cogs.entry_lines(
            value, description, connection.inventory_account_id, connection.cogs_account_id
        ),
    }


def sync(records, raise_throttled=False, retry=False):
    """Post the reversal of each of the returns ``records`` whose credit memo is in QBO.

    Every failure ends on the return. ``retry`` takes the returns whose reversal
    failed too (the push button). With ``raise_throttled``, QBO's throttling is
    raised instead, for the cron to wait as QBO asks.
    """
    domain = list(DOMAIN)
    if retry:
        domain[0] = ("qbo_cogs_status", "in", ("pending", "error"))
    for credit in records.sudo().filtered_domain(domain):
        try:
            with sync_log.about(credit, source="cogs"):
                post(credit)
        except cogs.CogsError as error:
            credit.write({"qbo_cogs_status": "error", "qbo_cogs_error": str(error)})
        except errors.QboError as error:
            if raise_throttled and isinstance(error, errors.ThrottledError):
                raise
            credit.write(
                {
                    "qbo_cogs_status": "pending" if error.retryable else "error",
                    "qbo_cogs_error": explain(error, credit, cogs.label(credit.env)),
                }
            )
            if error.retryable:
                wake(credit.env, fields.Datetime.now() + RETRY_DELAY)


def post(credit):
    env = credit.env
    connection = credit._qbo_connection()
    currency = credit.company_id.currency_id
    cogs.check_setup(env, connection, currency)
    value = amount(credit)
    if currency.is_zero(value):
        credit.write({"qbo_cogs_status": "none", "qbo_cogs_error": False})
        return
    entry = connection._qbo_client().create(
        "JournalEntry", payload(credit, connection, value), request_id(credit)
    )
    credit.write(
        {
            "qbo_cogs_status": "posted",
            "qbo_cogs_txn_id": str(entry["Id"]),
            "qbo_cogs_amount": value,
            "qbo_cogs_error": False,
        }
    )
    credit.source_order().message_post(
        body=env._(
            "Cost of goods returned with %(picking)s, %(amount)s, taken out of the cost of "
            "goods sold in QuickBooks Online (journal entry %(number)s).",
            picking=credit.name,
            amount=currency.format(value),
            number=entry.get("DocNumber") or entry["Id"],
        ),
        subtype_xmlid="mail.mt_note",
    )
