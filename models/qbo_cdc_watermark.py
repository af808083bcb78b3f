from odoo import fields, models


class QboCdcWatermark(models.Model):
    """Where the CDC sweep of one connection resumes, in a row of its own.

    The token renewal commits on the connection's row from a transaction of its own;
    a sweep that renewed the token and then wrote its watermark on that same row
    would fail to serialize every time. Nothing else writes this row.
    """

    _name = "qbo.cdc.watermark"
    _inherit = ["qbo.owned.fields.mixin"]
    _qbo_owned_all = True
    _description = "QuickBooks Online change data capture watermark"

    connection_id = fields.Many2one(
        "qbo.connection", required=True, readonly=True, ondelete="cascade"
    )
    since = fields.Char(readonly=True)
    #: when the last sweep ran (services/cdc_schedule.py)
    swept_at = fields.Datetime(readonly=True)
    #: when a sweep last found a change no webhook event had announced
    missed_at = fields.Datetime(readonly=True)

    _connection_uniq = models.UniqueIndex("(connection_id)")

    def _of(self, connections):
        """``{connection id: since}`` of ``connections``."""
        marks = self.sudo().search([("connection_id", "in", connections.ids)])
        return {mark.connection_id.id: mark.since for mark in marks}

    def _save(self, connection, since):
        """Save the watermark of ``connection`` without writing the connection's row."""
        mark = self.sudo().search([("connection_id", "=", connection.id)])
        if mark:
            mark.since = since
        elif since:
            self.sudo().create({"connection_id": connection.id, "since": since})

    def _note(self, connection, values):
        """Write ``values`` on the row of ``connection`` (created when missing)."""
        mark = self.sudo().search([("connection_id", "=", connection.id)])
        if mark:
            mark.write(values)
        else:
            self.sudo().create(dict(values, connection_id=connection.id))
