"""QBO's current state of the documents Odoo linked, and its effects on the orders.

Both the CDC sweep and the webhook events end in :func:`apply`, which takes QBO's
current state (never the order in which notifications arrived) and is idempotent.
"""

import logging
from collections import defaultdict

from ..qbo import errors, query
from .const import ID_QUERY_CHUNK
from .kinds import PUSHED_KINDS

_logger = logging.getLogger(__name__)

#: QBO document entity -> its kind (:mod:`.kinds`)
DOCUMENT_KINDS = {kind.entity: kind for kind in PUSHED_KINDS}
#: QBO document entity -> the Odoo model of its records (orders, returns)
DOCUMENT_MODELS = {entity: kind.model for entity, kind in DOCUMENT_KINDS.items()}
#: payment entity -> the document entity it pays
PAYMENT_TARGETS = {"Payment": "Invoice", "BillPayment": "Bill"}


class Changes:
    """QBO's current state of some objects: full objects by entity, deleted Ids by entity."""

    def __init__(self):
        self.changed = defaultdict(dict)
        self.deleted = defaultdict(set)

    @classmethod
    def from_cdc(cls, result):
        changes = cls()
        for entity, objects in result.changed.items():
            for obj in objects:
                changes.changed[entity][str(obj["Id"])] = obj
        for entity, ids in result.deleted.items():
            changes.deleted[entity].update(map(str, ids))
        return changes

    def knows(self, entity, qbo_id):
        return qbo_id in self.changed[entity] or qbo_id in self.deleted[entity]


def check_all(connection, client):
    """Current state of every document and COGS entry linked to ``connection``."""
    changes = Changes()
    for entity in DOCUMENT_KINDS:
        ids = linked_documents(connection, entity).mapped("qbo_txn_id")
        fetch(client, entity, ids, changes)
    ids = cogs_orders(connection).mapped("qbo_cogs_txn_id")
    fetch(client, "JournalEntry", ids, changes)
    apply(connection, client, changes)


def fetch(client, entity, ids, changes):
    """Add the current state of ``ids`` to ``changes``: ``Id IN`` queries by chunks.

    A document that doesn't come back is deleted once a read confirms it (610
    "deleted"); a payment that doesn't come back is ignored (QBO reports the
    documents whose balance its deletion changed).
    """
    ids = sorted({str(qbo_id) for qbo_id in ids if qbo_id})
    for start in range(0, len(ids), ID_QUERY_CHUNK):
        chunk = ids[start : start + ID_QUERY_CHUNK]
        # At most one row per Id, so a single page answers the chunk.
        sql = query.select(entity, f"Id IN {query.in_list(chunk)}", "Id", 1, ID_QUERY_CHUNK)
        rows = query.rows(client.query(sql))
        found = {str(row["Id"]): row for row in rows}
        changes.changed[entity].update(found)
        if entity in PAYMENT_TARGETS:
            continue
        for qbo_id in chunk:
            if qbo_id not in found and _confirm_deleted(client, entity, qbo_id):
                changes.deleted[entity].add(qbo_id)


def _confirm_deleted(client, entity, qbo_id):
    try:
        client.read(entity, qbo_id)
    except errors.ObjectNotFoundError as error:
        if error.deleted:
            return True
        _logger.warning("QBO %s %s not found (and not deleted): %s", entity, qbo_id, error)
    return False


def apply(connection, client, changes):
    """Apply QBO's state to the linked orders (deletions, voids, balances, COGS)."""
    _add_paid_documents(connection, client, changes)
    # COGS entries first: an invoice deleted with its entry must not delete it twice.
    connection.env["sale.order"]._qbo_cogs_entries_deleted(
        connection, changes.deleted["JournalEntry"]
    )
    for entity in DOCUMENT_KINDS:
        _apply_documents(connection, entity, changes.changed[entity], changes.deleted[entity])


def _apply_documents(connection, entity, documents, deleted_ids):
    ids = set(documents) | set(deleted_ids)
    if not ids:
        return
    orders = linked_documents(connection, entity, ids)
    deleted = orders.filtered(lambda o: o.qbo_txn_id in deleted_ids)
    for order in orders - deleted:
        document = documents.get(order.qbo_txn_id)
        if document:
            order._qbo_apply_remote(document)
    deleted._qbo_mark_deleted()


def _add_paid_documents(connection, client, changes):
    """A payment changes the balance of the documents it applies to: make sure their
    current state is known (QBO usually reports them too; else one ``Id IN`` query)."""
    for payment_entity, target in PAYMENT_TARGETS.items():
        payments = changes.changed[payment_entity].values()
        wanted = set()
        for payment in payments:
            for line in payment.get("Line") or []:
                for link in line.get("LinkedTxn") or []:
                    if link.get("TxnType") == target:
                        wanted.add(str(link.get("TxnId")))
        wanted = {qbo_id for qbo_id in wanted if not changes.knows(target, qbo_id)}
        if wanted:
            linked = linked_documents(connection, target, wanted)
            fetch(client, target, linked.mapped("qbo_txn_id"), changes)


def linked_orders(connection, model, qbo_ids=None):
    """Orders of ``connection``'s company with a QBO document (among ``qbo_ids``)."""
    domain = [("company_id", "=", connection.company_id.id), ("qbo_txn_id", "!=", False)]
    if qbo_ids is not None:
        domain.append(("qbo_txn_id", "in", list(qbo_ids)))
    return connection.env[model].sudo().search(domain)


def linked_documents(connection, entity, qbo_ids=None):
    """The records linked to QBO documents of ``entity`` (among ``qbo_ids``)."""
    kind = DOCUMENT_KINDS[entity]
    records = linked_orders(connection, kind.model, qbo_ids)
    return records.filtered_domain(list(kind.domain)) if kind.domain else records


def cogs_orders(connection, qbo_ids=None):
    """Orders of ``connection``'s company with a COGS entry (among ``qbo_ids``)."""
    domain = [("company_id", "=", connection.company_id.id), ("qbo_cogs_txn_id", "!=", False)]
    if qbo_ids is not None:
        domain.append(("qbo_cogs_txn_id", "in", list(qbo_ids)))
    return connection.env["sale.order"].sudo().search(domain)
