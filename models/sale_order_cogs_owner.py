"""The COGS entries the addon owns: only those are ever deleted in QBO.

The COGS fields of an order are the addon's own (users cannot point an order at
another journal entry), and each entry the addon posts carries a marker in its
private note, made from the database and the order. Before a delete, the entry is
read and the marker checked: an entry made by hand in QBO, or posted for another
order or by another database, is never deleted.
"""

import hashlib

from odoo import models

from .sale_order_cogs import CogsError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _qbo_owned_fields(self):
        return super()._qbo_owned_fields() | {
            "qbo_cogs_status",
            "qbo_cogs_txn_id",
            "qbo_cogs_invoice_id",
            "qbo_cogs_amount",
            "qbo_cogs_date",
            "qbo_cogs_generation",
            "qbo_cogs_error",
        }

    def _qbo_cogs_marker(self):
        """The mark of this order's COGS entries, written in their private note."""
        self.ensure_one()
        database_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        seed = f"{database_uuid}|{self._name}|{self.id}|cogs-entry"
        return f"[odoo-cogs:{hashlib.sha256(seed.encode()).hexdigest()[:20]}]"

    def _qbo_cogs_check_own(self, entry):
        """Raise :class:`CogsError` unless ``entry`` (as read from QBO) was posted for this order.

        :raises CogsError: the entry is left alone and the order says why.
        """
        self.ensure_one()
        if self._qbo_cogs_marker() not in (entry.get("PrivateNote") or ""):
            raise CogsError(
                self.env._(
                    "The QuickBooks Online journal entry %(number)s was not posted by Odoo for "
                    "this order, so it was not deleted. Check it in QuickBooks Online.",
                    number=entry.get("DocNumber") or entry.get("Id"),
                )
            )
