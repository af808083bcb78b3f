from odoo import api, models
from odoo.exceptions import AccessError


class QboOwnedFieldsMixin(models.AbstractModel):
    """Fields that only the addon writes: what QBO answered, sync states, idempotency keys.

    Users change them only through the addon's actions (push, connect, setup...).
    The views show them read-only, but a view is no barrier: ``create`` and ``write``
    refuse them here unless the call comes from the addon's own code, which writes
    them with ``sudo()``. The superuser flag is the test because no RPC call can set
    it, while any RPC caller can pass any context key. Values given as context
    defaults (``default_<field>``) are refused alike.
    """

    _name = "qbo.owned.fields.mixin"
    _description = "QuickBooks Online: fields written by the connector only"

    #: every field is the addon's own (the caches of what QBO holds)
    _qbo_owned_all = False

    def _qbo_owned_fields(self):
        """Names of this model's fields that only the addon writes (extended per model)."""
        return frozenset(self._fields) if self._qbo_owned_all else frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        defaults = {
            key[len("default_") :] for key in self.env.context if key.startswith("default_")
        }
        self._qbo_check_owned_fields(defaults.union(*vals_list))
        return super().create(vals_list)

    def write(self, vals):
        self._qbo_check_owned_fields(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_by_the_connector_only(self):
        """A cache of what QBO holds (``_qbo_owned_all``) is emptied by the connector only:
        a deleted link would make the next push create a second customer or item."""
        if self._qbo_owned_all and not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the QuickBooks Online connector deletes %(model)s records.",
                    model=self._description,
                )
            )

    def _qbo_check_owned_fields(self, names):
        if self.env.su:
            return
        refused = sorted(self._qbo_owned_fields().intersection(names))
        if refused:
            raise AccessError(
                self.env._(
                    "Only the QuickBooks Online connector sets these fields of %(model)s: "
                    "%(fields)s. Use its buttons (push, connect, setup) instead.",
                    model=self._description,
                    fields=", ".join(self._fields[name].string for name in refused),
                )
            )
