"""Finding in QBO the document an unanswered create may have made.

QBO does not always honour ``requestid``, so after a create whose outcome is unknown
(timeout, reset, 5xx, the transient 6000, a worker killed) the push reads before it
writes again. ``PrivateNote`` is not queryable in QBO: the query asks for the documents
of the customer/vendor on the document's date, and the memo the push writes (the
order's reference) tells ours apart.
"""

from ..qbo import const, query


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
