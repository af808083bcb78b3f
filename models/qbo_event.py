import logging
from datetime import timedelta, timezone

from odoo import api, fields, models
from odoo.tools import SQL

from ..services.const import EVENT_ENTITIES, EVENT_KEEP_DAYS, EVENT_MAX_ATTEMPTS, EVENT_OLDEST

_logger = logging.getLogger(__name__)


class QboEvent(models.Model):
    """A change QBO notified by webhook, stored once and processed by a cron.

    The webhook only stores what it was told (QBO's notifications are "thin":
    entity, id, operation, time); the processing cron fetches the current
    state from QBO, so duplicate or out-of-order deliveries are harmless.
    """

    _name = "qbo.event"
    _inherit = ["qbo.traffic.mixin"]
    _description = "QuickBooks Online webhook event"
    _order = "id desc"

    realm_id = fields.Char(string="QBO company ID", required=True, readonly=True)
    entity = fields.Char(string="QBO entity", required=True, readonly=True)
    entity_id = fields.Char(string="QBO ID", required=True, readonly=True)
    operation = fields.Char(required=True, readonly=True)
    occurred_at = fields.Datetime(string="Changed at", required=True, readonly=True)
    event_id = fields.Char(string="Event ID", readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Processed"), ("failed", "Failed")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    error = fields.Char(readonly=True)
    processed_at = fields.Datetime(readonly=True)

    # One row per change, however often QBO delivers it (retries, both formats).
    _change_unique = models.UniqueIndex(
        "(connection_id, entity, entity_id, operation, occurred_at)"
    )

    @api.model
    def _store(self, connection, events):
        """Insert the relevant ``events`` (:class:`qbo.Event`) of ``connection``, each once.

        :return: how many rows were new.
        """
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, 'pending', 0, %s, now() at time zone 'UTC',"
                " %s, now() at time zone 'UTC')",
                connection.id,
                connection.company_id.id,
                event.realm_id,
                event.entity,
                event.entity_id,
                event.operation,
                _naive_utc(event.occurred_at),
                event.event_id,
                self.env.uid,
                self.env.uid,
            )
            for event in events
            if event.entity in EVENT_ENTITIES
        ]
        if not rows:
            return 0
        self.env.cr.execute(
            SQL(
                """INSERT INTO qbo_event (connection_id, company_id, realm_id, entity, entity_id,
                       operation, occurred_at, event_id, state, attempts,
                       create_uid, create_date, write_uid, write_date)
                   VALUES %s
                   ON CONFLICT (connection_id, entity, entity_id, operation, occurred_at)
                   DO NOTHING""",
                SQL(", ").join(rows),
            )
        )
        return self.env.cr.rowcount

    def _mark_done(self):
        self.write({"state": "done", "processed_at": fields.Datetime.now(), "error": False})

    def _mark_failed(self, reason):
        self.write(
            {"state": "failed", "error": reason[:300], "processed_at": fields.Datetime.now()}
        )

    def _without_implausible_dates(self):
        """Mark failed the events dated before :data:`EVENT_OLDEST` or after tomorrow (no
        change of QBO's can be, and such a date can't start a CDC request); return the others."""
        newest = fields.Datetime.now() + timedelta(days=1)
        implausible = self.filtered(lambda e: not EVENT_OLDEST <= e.occurred_at <= newest)
        for event in implausible:
            event._mark_failed(
                self.env._(
                    "QuickBooks dated this change %(date)s, which can't be right; the regular "
                    "sync checks its document.",
                    date=event.occurred_at,
                )
            )
        return self - implausible

    def _mark_retry(self, error):
        """Count a failed attempt; give up (the CDC sweep catches up) after a few."""
        for event in self:
            attempts = event.attempts + 1
            event.write(
                {
                    "attempts": attempts,
                    "error": str(error)[:300],
                    "state": "failed" if attempts >= EVENT_MAX_ATTEMPTS else "pending",
                }
            )

    @api.autovacuum
    def _gc_processed_events(self):
        """Processed events are only kept as long as a duplicate delivery may come."""
        limit = fields.Datetime.now() - timedelta(days=EVENT_KEEP_DAYS)
        self.search([("state", "!=", "pending"), ("create_date", "<", limit)]).unlink()


def _naive_utc(moment):
    """Odoo stores UTC datetimes without a time zone (sub-second precision is kept, so two
    changes in the same second stay two events)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment
