"""What comes back from QBO: the crons of the CDC sweep and of the webhook events.

Their logic is in :mod:`..services.sweep` and :mod:`..services.remote_changes`.
"""

from odoo import api, models

from ..services import remote_changes, sweep


class QboSync(models.AbstractModel):
    _name = "qbo.sync"
    _description = "QuickBooks Online changes coming back"

    @api.model
    def _cron_cdc_sweep(self):
        """Every few minutes: one CDC request per active connection."""
        sweep.run_sweep_cron(self.env)

    @api.model
    def _cron_process_events(self):
        """Process stored webhook events, one CDC request per connection and run."""
        sweep.run_events_cron(self.env)

    @api.model
    def _cogs_orders(self, connection, qbo_ids=None):
        """Orders of ``connection``'s company with a COGS entry (among ``qbo_ids``)."""
        return remote_changes.cogs_orders(connection, qbo_ids)
