"""What comes back from QBO: the change-data-capture sweep and the webhook events.

Both run as crons (:class:`~.cron.CronRun`): they count their whole backlog, commit
after each step, and when QBO throttles they end the run and come back after its
``Retry-After``. Both end in :func:`.remote_changes.apply`.
"""

import logging
from datetime import datetime, timedelta, timezone

import psycopg2

from ..qbo import errors
from ..qbo.webhooks import parse_time
from . import cdc_schedule, sync_log
from .const import (
    CDC_ENTITIES,
    CDC_OVERLAP_SECONDS,
    CDC_WINDOW_DAYS,
    CDC_WINDOW_MARGIN_HOURS,
    EVENT_BATCH,
)
from .cron import CronRun
from .remote_changes import (
    DOCUMENT_MODELS,
    Changes,
    apply,
    check_all,
    cogs_orders,
    fetch,
    linked_orders,
)

_logger = logging.getLogger(__name__)

SWEEP_CRON = "quickbooks_online.ir_cron_qbo_cdc_sweep"
EVENTS_CRON = "quickbooks_online.ir_cron_qbo_process_events"
#: seconds before events QBO failed to answer for are tried again
EVENT_RETRY_SECONDS = 60


def active_connections(env):
    return (
        env["qbo.connection"]
        .sudo()
        .search([("state", "=", "connected"), ("realm_id", "!=", False)])
    )


# ---------------------------------------------------------------------- crons
def run_sweep_cron(env):
    """One CDC request per active connection."""
    connections = active_connections(env)
    run = CronRun(env, SWEEP_CRON)
    run.start(len(connections))
    wait = 0
    for connection in connections:
        try:
            # the log is written when the block ends: after a rollback of the savepoint too
            with sync_log.about(source="cdc"), env.cr.savepoint():
                if cdc_schedule.due(connection):
                    sweep(connection)
        except errors.ThrottledError as error:
            _logger.warning(
                "QuickBooks CDC sweep of connection %s throttled: %s", connection.id, error
            )
            wait = max(wait, error.wait_seconds)
        except errors.QboError as error:
            _logger.warning(
                "QuickBooks CDC sweep of connection %s failed: %s", connection.id, error
            )
        if not run.step(1):
            break
    if wait:
        run.wait(wait)


def run_events_cron(env):
    """Process stored webhook events, one CDC request per connection and batch.

    Every pending event counts in the backlog, not only the batch read now, so that
    a longer queue is run again at once; a failure of QBO's ends the run until it can
    be asked again.
    """
    events = env["qbo.event"]
    pending = [("state", "=", "pending")]
    run = CronRun(env, EVENTS_CRON)
    run.start(events.search_count(pending))
    events = events.search(pending, order="id", limit=EVENT_BATCH)
    active = active_connections(env)
    wait = 0
    for connection, batch in events.grouped("connection_id").items():
        if connection not in active:
            # Nothing to ask QBO with; the CDC sweep catches up once it is connected.
            batch._mark_done()
        else:
            with sync_log.about(source="webhook"):
                events = batch._without_implausible_dates()
                wait = max(wait, _process_isolated(connection, events))
        if not run.step(len(batch)):
            break
    if wait:
        run.wait(wait)


def _process_isolated(connection, events):
    """Process ``events`` of ``connection`` together (one CDC request); if anything but
    QBO fails, each event alone, so that one bad event never holds back the others.

    :return: seconds to wait before asking QBO again (0: no need to)
    """
    if not events:
        return 0
    env = connection.env
    try:
        with env.cr.savepoint():
            process_events(connection, events)
            events._mark_done()
    except errors.ThrottledError as error:
        # Not the events' fault: they stay as they are until QBO answers again.
        _logger.warning("QuickBooks events of connection %s throttled: %s", connection.id, error)
        return error.wait_seconds
    except errors.QboError as error:
        _logger.warning(
            "QuickBooks events of connection %s not processed: %s", connection.id, error
        )
        events._mark_retry(error)
        return EVENT_RETRY_SECONDS
    except psycopg2.OperationalError:
        raise  # a concurrent update or a lost database: the whole run is retried
    except Exception as error:
        if len(events) > 1:
            return max(_process_isolated(connection, event) for event in events)
        _logger.exception("QuickBooks event %s could not be processed", events.id)
        events._mark_failed(
            env._(
                "This change could not be processed (%(error)s); the regular sync checks "
                "its document.",
                error=f"{type(error).__name__}: {error}",
            )
        )
    return 0


# ---------------------------------------------------------------------- CDC sweep
def sweep(connection):
    """One CDC request from the watermark; ``Id IN`` checks when CDC can't cover it.

    The watermark (``cdc_since``) becomes the server time of the answer minus a
    small overlap, so a change saved while QBO answered is seen next time.
    """
    client = connection._qbo_client()
    since = _watermark(connection)
    #: only a sweep that follows another one can tell whether webhooks missed a change
    judged = since is not None
    if since is None:
        # First sweep, or the last one is older than QBO keeps changes: check every
        # linked document, then follow changes from now on.
        check_all(connection, client)
        since = _utcnow() - timedelta(seconds=CDC_OVERLAP_SECONDS)
    try:
        result = client.cdc(list(CDC_ENTITIES), since)
    except errors.ValidationError as error:
        if not _is_window_error(error):
            raise
        # QBO's clock says the watermark is too old: same as above, next time afresh.
        check_all(connection, client)
        connection._qbo_save_watermark(False)
        cdc_schedule.swept(connection)
        return
    changes = None
    if result.maybe_truncated:
        # QBO cut the answer at its cap: ask for every linked document instead.
        check_all(connection, client)
    else:
        changes = Changes.from_cdc(result)
        apply(connection, client, changes)
    connection._qbo_save_watermark(_next_watermark(result.time, since))
    cdc_schedule.swept(connection, changes if judged else None)


def _watermark(connection):
    """The ``changedSince`` of the next poll, or ``None`` when CDC can't reach back."""
    if not connection.cdc_since:
        return None
    try:
        since = parse_time(connection.cdc_since)
    except errors.WebhookPayloadError:
        return None
    return since if since >= _cdc_oldest() else None


# ---------------------------------------------------------------------- events
def process_events(connection, events):
    """Apply what ``events`` announce: one CDC request from the oldest one.

    Webhooks are thin, so QBO is asked for the current state; anything the CDC
    answer does not cover (a cut answer, replication lag, an event older than
    the CDC window) is checked with ``Id IN`` queries and, for deletions, reads.
    """
    client = connection._qbo_client()
    oldest = min(events.mapped("occurred_at")).replace(tzinfo=timezone.utc)
    since = oldest - timedelta(seconds=CDC_OVERLAP_SECONDS)
    changes = Changes()
    if since >= _cdc_oldest():
        try:
            result = client.cdc(list(CDC_ENTITIES), since)
        except errors.ValidationError as error:
            if not _is_window_error(error):
                raise
        else:
            if not result.maybe_truncated:
                changes = Changes.from_cdc(result)
    for entity, ids in _tracked_ids(connection, events).items():
        missing = {qbo_id for qbo_id in ids if not changes.knows(entity, qbo_id)}
        fetch(client, entity, missing, changes)
    apply(connection, client, changes)


def _tracked_ids(connection, events):
    """``{entity: ids}`` of the events about objects Odoo tracks (any payment counts)."""
    named = {}
    for event in events:
        named.setdefault(event.entity, set()).add(event.entity_id)
    wanted = {}
    for entity, ids in named.items():
        if entity in DOCUMENT_MODELS:
            orders = linked_orders(connection, DOCUMENT_MODELS[entity], ids)
            ids = set(orders.mapped("qbo_txn_id"))
        elif entity == "JournalEntry":
            ids = set(cogs_orders(connection, ids).mapped("qbo_cogs_txn_id"))
        wanted[entity] = ids
    return wanted


# ---------------------------------------------------------------------- time
def _utcnow():
    return datetime.now(timezone.utc)


def _cdc_oldest():
    """The oldest ``changedSince`` QBO answers, with a margin against clock skew."""
    return _utcnow() - timedelta(days=CDC_WINDOW_DAYS, hours=-CDC_WINDOW_MARGIN_HOURS)


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
