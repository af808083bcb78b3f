from odoo import models

from ..services import returns


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        """A validated delivery (or return) may complete an invoiced order: its COGS
        entry is then posted by the cron, outside the stock operation."""
        result = super()._action_done()
        orders = self.sale_id | self.move_ids.sale_line_id.order_id
        if orders:
            orders.sudo()._qbo_cogs_on_delivery()
        # Returns after the invoice or bill: credited by the push cron, not here.
        returns.from_pickings(self.filtered("return_id"))
        return result
