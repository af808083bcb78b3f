"""Finding in QBO the document an unanswered create may have made.

QBO does not always honour ``requestid``, so after a create whose outcome is unknown
(timeout, reset, 5xx, the transient 6000, a worker killed) the push reads before it
writes again. ``PrivateNote`` is not queryable in QBO: the query asks for the documents
of the customer/vendor on the document's date, and the memo the push writes (the
order's reference) tells ours apart.

The look asks once per customer/vendor and date, however many orders share them, in
pages small enough that one batch answer stays under QBO's cap on the objects it
holds: past it, QBO refuses the items that do not fit (6000).
"""

from ..qbo import const, errors, query
from ..qbo.batch import chunks
from . import sync_log
from .error_words import explain

#: objects one batch answer may hold: QBO refuses the items past 1,000 (6000)
BATCH_ANSWER_MAX = 999


def party_key(payload):
    """``CustomerRef`` or ``VendorRef``: the payload's reference to its customer/vendor."""
    return next(key for key in ("CustomerRef", "VendorRef") if key in payload)


def look_key(payload):
    """What the look asks for: the payload's party and date."""
    key = party_key(payload)
    return key, payload[key]["value"], payload["TxnDate"]


def lookup(entity, look, start=1, size=const.MAX_QUERY_RESULTS):
    """The query of one page of the documents made out to ``look``'s party on its date.

    :param look: a :func:`look_key`
    """
    key, party, date = look
    where = f"{key} = {query.quote(party)} AND TxnDate = {query.quote(date)}"
    return query.select(entity, where, "Id", start, size)


def find_sent(client, entity, payloads):
    """Look in QBO for the documents ``payloads`` may have made.

    :param payloads: ``{order: payload}``
    :return: ``(found, unanswered)``: ``{order: document}`` of those QBO holds, and
        ``{order: error}`` of those whose look QBO refused for now (over its cap, or a
        transient fault): whether their document exists is still unknown
    """
    looks = {}
    for order, payload in payloads.items():
        looks.setdefault(look_key(payload), []).append(order)
    rows = {look: [] for look in looks}
    refused = {}
    start = dict.fromkeys(looks, 1)
    todo = list(looks)
    while todo:
        more = []
        for chunk in chunks(todo):
            size = min(const.MAX_QUERY_RESULTS, BATCH_ANSWER_MAX // len(chunk))
            items = [
                {"bId": str(number), "Query": lookup(entity, look, start[look], size)}
                for number, look in enumerate(chunk)
            ]
            results = client.batch(items)
            for number, look in enumerate(chunk):
                result = results[str(number)]
                if not result.ok:
                    refused[look] = _unanswered(result.error)
                    continue
                page = query.rows(result.data)
                rows[look] += page
                if len(page) == size:
                    start[look] += size
                    more.append(look)
        todo = more
    found, unanswered = {}, {}
    for look, orders in looks.items():
        for order in orders:
            if look in refused:
                unanswered[order] = refused[look]
            elif existing := own_document(rows[look], payloads[order]):
                found[order] = existing
    return found, unanswered


def _unanswered(error):
    """The error of a look QBO refused, when asking again later may answer it (raised
    otherwise): transient, or over the batch answer's cap (a 6000 on a query)."""
    if error.retryable and not isinstance(error, errors.ThrottledError):
        return error
    if isinstance(error, errors.ValidationError) and error.code == "6000":
        return error
    raise error


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
