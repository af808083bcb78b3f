"""When the CDC sweep of a connection runs: every cron run, or at a safety interval.

Since 2025 Intuit meters read calls; a CDC poll every 5 minutes costs every company
8,640 reads a month, even when webhooks deliver every change. So while the webhooks of a
connection are healthy, its sweep only runs once per safety interval (system parameter
:data:`SAFETY_PARAM`, hourly by default) to catch what they missed. Webhooks are healthy when

* they are configured (a verifier token is set) and have delivered an event within
  :data:`EVIDENCE_DAYS` (an endpoint that never received one is not known to work);
* no event of theirs failed or waits for a retry within the safety interval;
* the last sweep that found a change no webhook had announced (``missed_at``) is older than
  the last event received: an event since then proves they are delivered again.

Otherwise the sweep runs at every cron run (5 minutes). The sweep itself is the probe of
silent webhooks: :func:`swept` records the changes it found that no event announced.
"""

from datetime import timedelta

from odoo import fields

from .const import EVENT_KEEP_DAYS
from .remote_changes import DOCUMENT_MODELS, cogs_orders, linked_orders

#: system parameter: minutes between two sweeps while webhooks are healthy
SAFETY_PARAM = "quickbooks_online.cdc_safety_minutes"
DEFAULT_SAFETY_MINUTES = 60
#: days an event received proves the webhook endpoint works (processed events are kept as long)
EVIDENCE_DAYS = EVENT_KEEP_DAYS
#: a sweep is due this much before the interval ends (the cron does not run to the second)
SLACK = timedelta(minutes=1)


def safety_interval(env):
    value = env["ir.config_parameter"].sudo().get_param(SAFETY_PARAM)
    try:
        minutes = int(value) if value else DEFAULT_SAFETY_MINUTES
    except ValueError:
        minutes = DEFAULT_SAFETY_MINUTES
    return timedelta(minutes=max(minutes, 5))


def due(connection):
    """Whether the sweep of ``connection`` runs now."""
    mark = _mark(connection)
    if not mark.swept_at or not webhooks_healthy(connection):
        return True
    return fields.Datetime.now() - mark.swept_at >= safety_interval(connection.env) - SLACK


def webhooks_healthy(connection):
    """Whether ``connection``'s webhooks are configured and delivering (see the module)."""
    if not connection.sudo().verifier_token:
        return False
    events = connection.env["qbo.event"].sudo()
    own = [("connection_id", "=", connection.id)]
    now = fields.Datetime.now()
    if not events.search_count(
        own + [("create_date", ">=", now - timedelta(days=EVIDENCE_DAYS))], limit=1
    ):
        return False
    recent = now - safety_interval(connection.env)
    failing = ["|", ("state", "=", "failed"), ("attempts", ">", 0)]
    if events.search_count(own + [("create_date", ">=", recent)] + failing, limit=1):
        return False
    missed_at = _mark(connection).missed_at
    return not missed_at or bool(
        events.search_count(own + [("create_date", ">", missed_at)], limit=1)
    )


def swept(connection, changes=None):
    """Record a sweep of ``connection``, and whether ``changes`` (what its CDC answer
    reported since the last sweep, if there was one) hold a change no webhook announced."""
    now = fields.Datetime.now()
    values = {"swept_at": now}
    if changes is not None and connection.sudo().verifier_token:
        since = (_mark(connection).swept_at or now) - safety_interval(connection.env)
        if _unannounced(connection, changes, since):
            values["missed_at"] = now
    connection.env["qbo.cdc.watermark"]._note(connection, values)


def _unannounced(connection, changes, since):
    """Whether ``changes`` hold a change of a linked document or COGS entry that no event
    received since ``since`` is about."""
    seen = set()
    for entity, model in DOCUMENT_MODELS.items():
        ids = set(changes.changed[entity]) | changes.deleted[entity]
        orders = linked_orders(connection, model, ids) if ids else ()
        seen.update((entity, qbo_id) for qbo_id in ids & {o.qbo_txn_id for o in orders})
    entries = set(changes.changed["JournalEntry"]) | changes.deleted["JournalEntry"]
    if entries:
        linked = set(cogs_orders(connection, entries).mapped("qbo_cogs_txn_id"))
        seen.update(("JournalEntry", qbo_id) for qbo_id in entries & linked)
    if not seen:
        return False
    events = (
        connection.env["qbo.event"]
        .sudo()
        .search(
            [
                ("connection_id", "=", connection.id),
                ("entity_id", "in", [qbo_id for _entity, qbo_id in seen]),
                ("create_date", ">=", since),
            ]
        )
    )
    return bool(seen - {(event.entity, event.entity_id) for event in events})


def _mark(connection):
    return (
        connection.env["qbo.cdc.watermark"].sudo().search([("connection_id", "=", connection.id)])
    )
