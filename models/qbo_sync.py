"""What comes back from QBO: the change-data-capture sweep, webhook events and their effects.

Both paths end in :meth:`QboSync._apply`, which takes QBO's current state (never the
order in which notifications arrived) and is idempotent.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta, timezone

import psycopg2

from odoo import api, fields, models

from ..qbo import errors, query
from ..qbo.webhooks import parse_time
from .sync_const import (
    CDC_ENTITIES,
    CDC_OVERLAP_SECONDS,
    CDC_WINDOW_DAYS,
    CDC_WINDOW_MARGIN_HOURS,
    EVENT_BATCH,
    ID_QUERY_CHUNK,
)

_logger = logging.getLogger(__name__)

#: QBO document entity -> Odoo order model
DOCUMENT_MODELS = {"Invoice": "sale.order", "Bill": "purchase.order"}
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


class QboSync(models.AbstractModel):
    _name = "qbo.sync"
    _description = "QuickBooks Online changes coming back"

    # ------------------------------------------------------------------ crons
    @api.model
    def _cron_cdc_sweep(self):
        """Every few minutes: one CDC request per active connection."""
        connections = self._active_connections()
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(connections))
        for connection in connections:
            try:
                with self.env.cr.savepoint():
                    self._sweep(connection)
            except errors.QboError as error:
                _logger.warning(
                    "QuickBooks CDC sweep of connection %s failed: %s", connection.id, error
                )
            if not cron._commit_progress(processed=1):
                break

    @api.model
    def _cron_process_events(self):
        """Process stored webhook events, one CDC request per connection and run."""
        events = self.env["qbo.event"].search(
            [("state", "=", "pending")], order="id", limit=EVENT_BATCH
        )
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(events))
        active = self._active_connections()
        for connection, batch in events.grouped("connection_id").items():
            if connection not in active:
                # Nothing to ask QBO with; the CDC sweep catches up once it is connected.
                batch._mark_done()
            else:
                self._process_isolated(connection, batch._without_implausible_dates())
            if not cron._commit_progress(processed=len(batch)):
                return

    def _process_isolated(self, connection, events):
        """Process ``events`` of ``connection`` together (one CDC request); if anything but
        QBO fails, each event alone, so that one bad event never holds back the others."""
        if not events:
            return
        try:
            with self.env.cr.savepoint():
                self._process_events(connection, events)
                events._mark_done()
        except errors.QboError as error:
            _logger.warning(
                "QuickBooks events of connection %s not processed: %s", connection.id, error
            )
            events._mark_retry(error)
            self.env.ref("quickbooks_online.ir_cron_qbo_process_events")._trigger(
                fields.Datetime.now() + timedelta(minutes=1)
            )
        except psycopg2.OperationalError:
            raise  # a concurrent update or a lost database: the whole run is retried
        except Exception as error:
            if len(events) > 1:
                for event in events:
                    self._process_isolated(connection, event)
                return
            _logger.exception("QuickBooks event %s could not be processed", events.id)
            events._mark_failed(
                self.env._(
                    "This change could not be processed (%(error)s); the regular sync checks "
                    "its document.",
                    error=f"{type(error).__name__}: {error}",
                )
            )

    @api.model
    def _active_connections(self):
        return (
            self.env["qbo.connection"]
            .sudo()
            .search([("state", "=", "connected"), ("realm_id", "!=", False)])
        )

    # ------------------------------------------------------------------ CDC sweep
    def _sweep(self, connection):
        """One CDC request from the watermark; ``Id IN`` checks when CDC can't cover it.

        The watermark (``cdc_since``) becomes the server time of the answer minus a
        small overlap, so a change saved while QBO answered is seen next time.
        """
        client = connection._qbo_client()
        since = self._watermark(connection)
        if since is None:
            # First sweep, or the last one is older than QBO keeps changes: check every
            # linked document, then follow changes from now on.
            self._check_all(connection, client)
            since = _utcnow() - timedelta(seconds=CDC_OVERLAP_SECONDS)
        try:
            result = client.cdc(list(CDC_ENTITIES), since)
        except errors.ValidationError as error:
            if not _is_window_error(error):
                raise
            # QBO's clock says the watermark is too old: same as above, next time afresh.
            self._check_all(connection, client)
            connection._qbo_save_watermark(False)
            return
        if result.maybe_truncated:
            # QBO cut the answer at its cap: ask for every linked document instead.
            self._check_all(connection, client)
        else:
            self._apply(connection, client, Changes.from_cdc(result))
        connection._qbo_save_watermark(_next_watermark(result.time, since))

    def _watermark(self, connection):
        """The ``changedSince`` of the next poll, or ``None`` when CDC can't reach back."""
        if not connection.cdc_since:
            return None
        try:
            since = parse_time(connection.cdc_since)
        except errors.WebhookPayloadError:
            return None
        oldest = _utcnow() - timedelta(days=CDC_WINDOW_DAYS, hours=-CDC_WINDOW_MARGIN_HOURS)
        return since if since >= oldest else None

    # ------------------------------------------------------------------ events
    def _process_events(self, connection, events):
        """Apply what ``events`` announce: one CDC request from the oldest one.

        Webhooks are thin, so QBO is asked for the current state; anything the CDC
        answer does not cover (a cut answer, replication lag, an event older than
        the CDC window) is checked with ``Id IN`` queries and, for deletions, reads.
        """
        client = connection._qbo_client()
        oldest = min(events.mapped("occurred_at")).replace(tzinfo=timezone.utc)
        since = oldest - timedelta(seconds=CDC_OVERLAP_SECONDS)
        changes = Changes()
        if since >= _utcnow() - timedelta(days=CDC_WINDOW_DAYS, hours=-CDC_WINDOW_MARGIN_HOURS):
            try:
                result = client.cdc(list(CDC_ENTITIES), since)
            except errors.ValidationError as error:
                if not _is_window_error(error):
                    raise
            else:
                if not result.maybe_truncated:
                    changes = Changes.from_cdc(result)
        wanted = self._tracked_ids(connection, events)
        for entity, ids in wanted.items():
            missing = {qbo_id for qbo_id in ids if not changes.knows(entity, qbo_id)}
            self._fetch(connection, client, entity, missing, changes)
        self._apply(connection, client, changes)

    def _tracked_ids(self, connection, events):
        """``{entity: ids}`` of the events about objects Odoo tracks (any payment counts)."""
        named = defaultdict(set)
        for event in events:
            named[event.entity].add(event.entity_id)
        wanted = {}
        for entity, ids in named.items():
            if entity in DOCUMENT_MODELS:
                ids = set(
                    self._linked_orders(connection, DOCUMENT_MODELS[entity], ids).mapped(
                        "qbo_txn_id"
                    )
                )
            elif entity == "JournalEntry":
                ids = set(self._cogs_orders(connection, ids).mapped("qbo_cogs_txn_id"))
            wanted[entity] = ids
        return wanted

    # ------------------------------------------------------------------ Id IN checks
    def _check_all(self, connection, client):
        """Current state of every document and COGS entry linked to ``connection``."""
        changes = Changes()
        for entity, model in DOCUMENT_MODELS.items():
            ids = self._linked_orders(connection, model).mapped("qbo_txn_id")
            self._fetch(connection, client, entity, ids, changes)
        ids = self._cogs_orders(connection).mapped("qbo_cogs_txn_id")
        self._fetch(connection, client, "JournalEntry", ids, changes)
        self._apply(connection, client, changes)

    def _fetch(self, connection, client, entity, ids, changes):
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
                if qbo_id not in found and self._confirm_deleted(client, entity, qbo_id):
                    changes.deleted[entity].add(qbo_id)

    @api.model
    def _confirm_deleted(self, client, entity, qbo_id):
        try:
            client.read(entity, qbo_id)
        except errors.ObjectNotFoundError as error:
            if error.deleted:
                return True
            _logger.warning("QBO %s %s not found (and not deleted): %s", entity, qbo_id, error)
        return False

    # ------------------------------------------------------------------ effects
    def _apply(self, connection, client, changes):
        """Apply QBO's state to the linked orders (deletions, voids, balances, COGS)."""
        self._add_paid_documents(connection, client, changes)
        # COGS entries first: an invoice deleted with its entry must not delete it twice.
        self.env["sale.order"]._qbo_cogs_entries_deleted(
            connection, changes.deleted["JournalEntry"]
        )
        for entity, model in DOCUMENT_MODELS.items():
            self._apply_documents(
                connection, model, changes.changed[entity], changes.deleted[entity]
            )

    def _apply_documents(self, connection, model, documents, deleted_ids):
        ids = set(documents) | set(deleted_ids)
        if not ids:
            return
        orders = self._linked_orders(connection, model, ids)
        deleted = orders.filtered(lambda o: o.qbo_txn_id in deleted_ids)
        for order in orders - deleted:
            document = documents.get(order.qbo_txn_id)
            if document:
                order._qbo_apply_remote(document)
        deleted._qbo_mark_deleted()

    def _add_paid_documents(self, connection, client, changes):
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
                linked = self._linked_orders(connection, DOCUMENT_MODELS[target], wanted)
                self._fetch(connection, client, target, linked.mapped("qbo_txn_id"), changes)

    def _linked_orders(self, connection, model, qbo_ids=None):
        """Orders of ``connection``'s company with a QBO document (among ``qbo_ids``)."""
        domain = [("company_id", "=", connection.company_id.id), ("qbo_txn_id", "!=", False)]
        if qbo_ids is not None:
            domain.append(("qbo_txn_id", "in", list(qbo_ids)))
        return self.env[model].sudo().search(domain)

    def _cogs_orders(self, connection, qbo_ids=None):
        """Orders of ``connection``'s company with a COGS entry (among ``qbo_ids``)."""
        domain = [("company_id", "=", connection.company_id.id), ("qbo_cogs_txn_id", "!=", False)]
        if qbo_ids is not None:
            domain.append(("qbo_cogs_txn_id", "in", list(qbo_ids)))
        return self.env["sale.order"].sudo().search(domain)


def _utcnow():
    return datetime.now(timezone.utc)


def _is_window_error(error):
    """Whether QBO refused ``changedSince`` (older than its 30-day window)."""
    return error.element == "changedSince" or "changedsince" in str(error).lower()


def _next_watermark(server_time, since):
    """Server time of the answer minus the overlap, as QBO wrote it (never going back)."""
    try:
        moment = parse_time(server_time) if server_time else None
    except errors.WebhookPayloadError:
        moment = None
    if moment is None:
        moment = _utcnow()
    moment = max(moment - timedelta(seconds=CDC_OVERLAP_SECONDS), since)
    return moment.isoformat(timespec="milliseconds")
