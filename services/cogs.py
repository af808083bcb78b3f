"""The cost of goods sold of *Accounting with inventory*: what is due, and its entry.

When an invoiced sales order is fully delivered, one balanced QBO JournalEntry
moves the cost Odoo's stock valuation recorded for the order's deliveries (returns
deducted) from the mapped inventory asset account to the mapped COGS account. It
is posted once per QBO invoice: its ``requestid`` comes from the order and
``qbo_cogs_generation``, which changes only when the entry was deleted.

Everything here is computed from Odoo's records, without calling QuickBooks; the
calls are in :mod:`.cogs_sync`.
"""

from odoo import fields

from . import keys
from .payload import DOC_NUMBER_MAX

#: orders the COGS cron works on: an entry to post once delivered, or a stale one to delete
CRON_DOMAIN = [
    ("qbo_cogs_status", "=", "pending"),
    "|",
    ("delivery_status", "=", "full"),
    ("qbo_cogs_txn_id", "!=", False),
]


class CogsError(Exception):
    """Why the COGS entry of an order can't be posted, in the user's words."""


def label(env):
    """The entry's name in the user's sentences (:func:`.error_words.explain`)."""
    return env._("COGS entry")


# ---------------------------------------------------------------------- what is due
def applicable(orders):
    """Invoiced orders of companies in *Accounting with inventory* that sell goods."""
    inventory_companies = (
        orders.env["qbo.connection"]
        .sudo()
        .search(
            [("company_id", "in", orders.company_id.ids), ("accounting_mode", "=", "inventory")]
        )
        .company_id
    )
    return orders.filtered(
        lambda o: (
            o.qbo_status == "created"
            and o.company_id in inventory_companies
            and any(line.product_id.is_storable for line in o.order_line)
        )
    )


def is_stale(order):
    """Whether a COGS entry in QBO belongs to an invoice the order no longer has."""
    return bool(order.qbo_cogs_txn_id) and order.qbo_cogs_invoice_id != order.qbo_txn_id


def is_due(order):
    """Whether the order still needs its COGS entry for its current invoice."""
    return order.qbo_cogs_status != "posted" or is_stale(order)


def due(orders):
    """The orders among ``orders`` whose COGS entry is to be posted (or replaced)."""
    return applicable(orders).filtered(is_due)


# ---------------------------------------------------------------------- keys
def request_id(order, action):
    """Idempotency key: the same for every retry of one entry's ``action``."""
    return entry_key(order, order.qbo_cogs_generation, action)


def entry_key(record, generation, action):
    """The key of ``action`` on the entry of ``record`` (an order, or a return's reversal)
    in its ``generation``."""
    return keys.request_id(record.env, record._name, record.id, "cogs", generation, action)


def marker(record):
    """The mark of ``record``'s entries (an order's, or a return's reversal), written in
    their private note."""
    key = keys.request_id(record.env, record._name, record.id, "cogs-entry", length=20)
    return f"[odoo-cogs:{key}]"


def doc_number(record):
    """The number of ``record``'s entry: its name, then ``-COGS``, within QBO's limit."""
    return f"{record.name}-COGS"[-DOC_NUMBER_MAX:]


def check_own(order, entry):
    """Raise :class:`CogsError` unless ``entry`` (as read from QBO) was posted for ``order``.

    Only an entry carrying the order's mark is ever deleted: one made by hand in QBO,
    or posted for another order or by another database, is left alone.
    """
    if marker(order) not in (entry.get("PrivateNote") or ""):
        raise CogsError(
            order.env._(
                "The QuickBooks Online journal entry %(number)s was not posted by Odoo for "
                "this order, so it was not deleted. Check it in QuickBooks Online.",
                number=entry.get("DocNumber") or entry.get("Id"),
            )
        )


# ---------------------------------------------------------------------- the entry
def amount_and_date(order, connection):
    """The cost Odoo's valuation recorded for the delivered goods, returns deducted,
    and the date the delivery completed.

    :raises CogsError: nothing to post, or the setup can't take it.
    """
    env = order.env
    currency = order.company_id.currency_id
    check_setup(env, connection, currency)
    moves = (order.order_line.move_ids | order.picking_ids.move_ids).filtered(
        lambda m: m.state == "done" and m.product_id.is_storable and (m.is_out or m.is_in)
    )
    check_valued(env, moves, currency)
    cost = currency.round(
        sum(moves.filtered("is_out").mapped("value")) - sum(moves.filtered("is_in").mapped("value"))
    )
    if currency.compare_amounts(cost, 0.0) <= 0:
        raise CogsError(
            env._(
                "The delivered goods have a cost of %(cost)s in Odoo's inventory valuation: "
                "there is no cost of goods sold to post.",
                cost=currency.format(cost),
            )
        )
    deliveries = order.picking_ids.filtered(
        lambda p: p.state == "done" and p.picking_type_code == "outgoing" and p.date_done
    )
    done = max(deliveries.mapped("date_done"), default=fields.Datetime.now())
    return cost, fields.Datetime.context_timestamp(order, done).date()


def check_setup(env, connection, currency):
    """Raise :class:`CogsError` when the setup can't take a COGS entry in ``currency``."""
    if not (connection.cogs_account_id and connection.inventory_account_id):
        raise CogsError(
            env._(
                "Map the cost of goods sold and the inventory asset accounts in the "
                "QuickBooks Online setup, then post the COGS entry again."
            )
        )
    if connection.qbo_currency and connection.qbo_currency != currency.name:
        raise CogsError(
            env._(
                "The company's currency (%(odoo)s) is not QuickBooks Online's home currency "
                "(%(qbo)s): the COGS entry can't be posted in it.",
                odoo=currency.name,
                qbo=connection.qbo_currency,
            )
        )


def check_valued(env, moves, currency):
    """Raise :class:`CogsError` when Odoo's valuation has no cost for one of ``moves``."""
    unvalued = moves.filtered(lambda m: m.quantity and currency.is_zero(m.value))
    if unvalued:
        move = unvalued[0]
        raise CogsError(
            env._(
                "Odoo's inventory valuation has no cost for %(product)s in %(transfer)s: "
                "set the product's cost, then post the COGS entry again.",
                product=move.product_id.display_name,
                transfer=move.picking_id.name or move.reference,
            )
        )


def payload(order, connection, amount, date):
    """The JournalEntry of ``amount`` on ``date``: debit COGS, credit the inventory asset."""
    env = order.env
    number = (order.qbo_doc_number or order.qbo_txn_id or "").strip()
    description = env._("Cost of goods sold, %(order)s", order=order.name)
    return {
        "TxnDate": date.isoformat(),
        "DocNumber": doc_number(order),
        "PrivateNote": env._(
            "Cost of goods sold of sales order %(order)s (invoice %(invoice)s), from Odoo.",
            order=order.name,
            invoice=number,
        )
        + " "
        + marker(order),
        "Line": entry_lines(
            amount, description, connection.cogs_account_id, connection.inventory_account_id
        ),
    }


def entry_lines(amount, description, debit, credit):
    """The two lines of a journal entry moving ``amount`` from ``credit`` to ``debit``
    (``qbo.account`` records)."""
    return [
        {
            "DetailType": "JournalEntryLineDetail",
            "Amount": amount,
            "Description": description,
            "JournalEntryLineDetail": {
                "PostingType": posting,
                "AccountRef": {"value": account.qbo_id},
            },
        }
        for posting, account in (("Debit", debit), ("Credit", credit))
    ]
