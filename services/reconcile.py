"""Finding in QBO the document an unanswered create may have made.

QBO does not always honour ``requestid``, so after a create whose outcome is unknown
(timeout, reset, 5xx, the transient 6000, a worker killed) the push reads before it
writes again. ``PrivateNote`` is not queryable in QBO: the query asks for the documents
of the customer/vendor on the document's date, and the memo the push writes (the
order's reference) tells ours apart.
"""

from ..qbo import const, errors, query
from . import sync_log
from .error_words import explain


def party_key(payload):
    """``CustomerRef`` or ``VendorRef``: the payload's reference to its customer/vendor."""
    return next(key for key in ("CustomerRef", "VendorRef") if key in payload)


def lookup(entity, payload):
    """The query for the documents made out to the payload's party on its date."""
    key = party_key(payload)
    where = (
        f"{key} = {query.quote(payload[key]['value'])} "
        f"AND TxnDate = {query.quote(payload['TxnDate'])}"
    )
    return query.select(entity, where, "Id", 1, const.MAX_QUERY_RESULTS)


def own_document(rows, payload):
    """The oldest of ``rows`` that this payload made: same party, same date, same memo."""
    key = party_key(payload)
    for row in sorted(rows, key=lambda row: int(row["Id"]) if row["Id"].isdigit() else 0):
        if (
            (row.get(key) or {}).get("value") == payload[key]["value"]
            and row.get("TxnDate") == payload["TxnDate"]
            and (row.get("PrivateNote") or "").strip() == payload["PrivateNote"]
        ):
            return row
    return None


@sync_log.about(source="reconcile")
def duplicate_number(run, order, error):
    """6140 on our own number: the document when it is this order's, else why not.

    It is ours when it is made out to the same customer/vendor and its memo
    carries the order name, or its total is the order's; anything else is a
    number clash the user must solve in QuickBooks.

    :return: ``(document, None)`` when it is ours, ``(None, message)`` otherwise
    """
    env, kind = order.env, run.kind
    try:
        if error.existing_txn_id:
            existing = run.client.read(kind.entity, error.existing_txn_id)
        else:
            where = "DocNumber = " + query.quote(order.name)
            existing = next(iter(run.client.query_all(kind.entity, where)), None)
    except (errors.ThrottledError, errors.ReconnectRequired):
        raise
    except errors.QboError as read_error:
        return None, explain(read_error, order)
    party = kind.party(order)
    party_id = (
        env["qbo.link"].sudo()._get_map(run.connection, party, kind.party_entity).get(party.id)
    )
    ours = (
        existing
        and (existing.get(kind.party_entity + "Ref") or {}).get("value") == party_id
        and (
            order.name in (existing.get("PrivateNote") or "")
            or not order.currency_id.compare_amounts(
                existing.get("TotalAmt") or 0.0, order.amount_total
            )
        )
    )
    if ours:
        return existing, None
    return None, env._(
        "The number %(number)s is already used by another %(document)s in "
        "QuickBooks Online. Rename or delete that %(document)s in QuickBooks, or "
        "turn off custom transaction numbers, then push again.",
        number=order.name,
        document=kind.label(env),
    )
