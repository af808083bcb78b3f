from collections import Counter

from odoo import api, fields, models
from odoo.tools import SQL

from ..services import sync_log


class QboApiUsage(models.Model):
    """Calls made to QuickBooks per connection, month and source: metered reads and writes.

    Counted when the sync log rows are written; kept when the log is purged. Intuit meters
    reads per developer workspace and month, so the month is the unit.
    """

    _name = "qbo.api.usage"
    _inherit = ["qbo.traffic.mixin"]
    _description = "QuickBooks Online API usage"
    _order = "month desc, source"

    month = fields.Date(required=True, readonly=True, help="The first day of the month.")
    source = fields.Selection(sync_log.SOURCES, required=True, readonly=True)
    reads = fields.Integer(readonly=True, help="Calls Intuit meters: queries, reads, CDC.")
    writes = fields.Integer(readonly=True)

    _usage_unique = models.UniqueIndex("(connection_id, month, source)")

    @api.model
    def _count(self, rows):
        """Add the sync log ``rows`` (values) to the counters of their month."""
        counts = Counter()
        for row in rows:
            month = fields.Datetime.to_datetime(row["called_at"]).date().replace(day=1)
            key = (row["connection_id"], row["company_id"], month, row["source"])
            counts[key, "reads" if row["metered_read"] else "writes"] += 1
        values = {key: (counts[key, "reads"], counts[key, "writes"]) for key, _kind in counts}
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """INSERT INTO qbo_api_usage (connection_id, company_id, month, source, reads,
                                              writes, create_date, write_date)
                   VALUES %s
                   ON CONFLICT (connection_id, month, source) DO UPDATE
                   SET reads = qbo_api_usage.reads + EXCLUDED.reads,
                       writes = qbo_api_usage.writes + EXCLUDED.writes,
                       write_date = EXCLUDED.write_date""",
                SQL(", ").join(
                    SQL("(%s, %s, %s, %s, %s, %s, %s, %s)", *key, *count, now, now)
                    for key, count in values.items()
                ),
            )
        )

    @api.model
    def _this_month(self, connections):
        """``{connection id: {source: (reads, writes)}}`` of the current month."""
        month = fields.Datetime.now().date().replace(day=1)
        usage = {}
        for row in self.sudo().search(
            [("connection_id", "in", connections.ids), ("month", "=", month)]
        ):
            usage.setdefault(row.connection_id.id, {})[row.source] = (row.reads, row.writes)
        return usage
