"""The sync log: one ``qbo.sync.log`` row per QuickBooks call, and the monthly usage counters.

Every client of a connection reports its calls here (``connection._qbo_client()`` hands
:func:`recorder` to :class:`~..qbo.QboClient` as ``on_call``). The caller says what the calls
are about with :func:`about`::

    with sync_log.about(orders, source="push"):
        client.create(...)

Rows are written in a transaction of their own, so that the calls of a push, sweep or
import that is rolled back afterwards stay on record (they did reach QuickBooks). Inside
:func:`about` they are kept in memory and written when the block ends, in one short
transaction; a call made outside any :func:`about` block is written at once, with the
source ``other``.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)

#: where calls come from; the read counters of a connection are kept per source
SOURCES = [
    ("push", "Push"),
    ("lookup", "Lookups"),
    ("reconcile", "Reconcile"),
    ("cogs", "Cost of goods"),
    ("cdc", "CDC sweep"),
    ("webhook", "Webhook events"),
    ("import", "Import"),
    ("setup", "Setup"),
    ("other", "Other"),
]
#: system parameter: days a sync log row is kept
DAYS_PARAM = "quickbooks_online.sync_log_days"
DEFAULT_DAYS = 30
#: attempts at writing rows whose monthly counters another process updates at once
WRITE_ATTEMPTS = 3


class _About:
    """What the calls made inside one :func:`about` block are about, and their rows."""

    def __init__(self, records, source, outer):
        if not records and outer is not None:
            records = outer.records
        self.records = records
        self.source = source
        self.rows = []

    def values(self):
        records = self.records
        if not records:
            return {"source": self.source}
        return {
            "source": self.source,
            "res_model": records._name,
            "res_ids": ",%s," % ",".join(map(str, records.ids)),
            "document_names": ", ".join(records.sudo().mapped("display_name"))[:500],
        }


_current = ContextVar("qbo_sync_log_about", default=None)


@contextmanager
def about(records=None, source="other"):
    """Log the calls made inside the block as ``source`` ones about ``records`` (Odoo
    documents of one model; an inner block without records keeps the outer block's).

    The rows are written when the block ends, whether it raised or not.
    """
    block = _About(records, source, _current.get())
    token = _current.set(block)
    try:
        yield block
    finally:
        _current.reset(token)
        about = block.values()
        _write([(env, dict(row, **about)) for env, row in block.rows])


def recorder(connection):
    """The ``on_call`` observer of a client of ``connection``."""
    env = connection.env
    base = {
        "connection_id": connection.id,
        "company_id": connection.company_id.id,
        "user_id": connection.env.uid,
    }

    def on_call(record):
        # Called from worker threads too (concurrent batch calls): no database access here.
        block = _current.get()
        row = dict(base, source="other")
        row.update(
            called_at=fields.Datetime.now(),
            method=record.method,
            url=record.url,
            entity=record.entity,
            operation=record.operation,
            metered_read=record.metered,
            request_body=record.request_body,
            response_body=record.response_body,
            status_code=record.status or 0,
            duration_ms=round(record.duration * 1000),
            intuit_tid=record.intuit_tid or False,
            error=record.error[:1000] or False,
            state="failed" if record.error else "done",
        )
        if block is not None:
            block.rows.append((env, row))
        else:
            _write([(env, row)])

    return on_call


def _write(rows):
    """Write ``rows`` (``(env, values)``) and count them, in a transaction of their own.

    A connection created in the caller's transaction is not visible from another one: its
    rows are then written in the caller's transaction, which the connection depends on too.
    """
    if not rows:
        return
    env = rows[0][0]
    values = [row for _env, row in rows]
    try:
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with mute_logger("odoo.sql_db"), env.registry.cursor() as cr:
                    connection_id = values[0]["connection_id"]
                    cr.execute(SQL("SELECT 1 FROM qbo_connection WHERE id = %s", connection_id))
                    if cr.rowcount:
                        _create(api.Environment(cr, SUPERUSER_ID, {}), values)
                        return
                break
            except pg_errors.SerializationFailure:
                # another process counted calls of the same month at once: count again
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
        with env.cr.savepoint():
            _create(env(su=True), values)
    except Exception:
        # The calls were made; failing to record them must not fail what made them.
        _logger.exception("QuickBooks sync log: %s call(s) could not be recorded", len(values))


def _create(env, values):
    env["qbo.sync.log"].create(values)
    env["qbo.api.usage"]._count(values)


def set_usage(connections):
    """Set the calls of this month on ``connections`` (reads, writes, reads by source)."""
    usage_model = connections.env["qbo.api.usage"]
    usage = usage_model._this_month(connections)
    labels = dict(usage_model._fields["source"]._description_selection(connections.env))
    for connection in connections:
        counts = usage.get(connection.id, {})
        reads = sorted(((r, s) for s, (r, _w) in counts.items() if r), reverse=True)
        connection.api_reads_month = sum(r for r, _w in counts.values())
        connection.api_writes_month = sum(w for _r, w in counts.values())
        connection.api_read_sources = ", ".join(f"{labels[s]} {r}" for r, s in reads) or False


def keep_days(env):
    """Days a sync log row is kept (system parameter :data:`DAYS_PARAM`)."""
    value = env["ir.config_parameter"].sudo().get_param(DAYS_PARAM)
    try:
        return max(int(value), 1) if value else DEFAULT_DAYS
    except ValueError:
        return DEFAULT_DAYS
