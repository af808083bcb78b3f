"""Who may change what on a connection, and where a connection may talk to.

* The fields QBO or the addon decide (state, realm, company info, tokens, watermarks,
  import progress) are the addon's own: see :class:`QboOwnedFieldsMixin`.
* Where the connection talks to (environment, base URL, client id and secret) is for
  the system group only. Changing the environment, the URL or the client id drops the
  tokens (they belong to the old place): the connection is *not connected* until
  someone connects it again; the setup stays.
* A custom base URL (a local QBO sandbox) is accepted only when the server's
  configuration file enables it (:data:`CUSTOM_URL_OPTION`), so that no database user,
  however privileged, can send the tokens to a host of their choice on a production
  server. It is checked on save and again before any request or link is made.
* The company of a connection is set when it is created and never changes.
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import config, str2bool

from ..qbo import const, errors

_logger = logging.getLogger(__name__)

#: odoo.conf option (``[options]`` section) that allows the custom environment
CUSTOM_URL_OPTION = "qbo_allow_custom_url"

#: fields naming where the connection talks to: changing one drops the tokens
ENDPOINT_FIELDS = ("environment", "base_url", "client_id")

#: what a connection whose tokens are no longer valid holds
TOKEN_RESET = {
    "state": "not_connected",
    "access_token": False,
    "access_token_expires_at": False,
    "refresh_token": False,
    "refresh_token_expires_at": False,
    "refresh_token_hard_expires_at": False,
    "oauth_nonce": False,
}


def custom_url_allowed():
    """Whether this server's configuration allows the custom environment."""
    return str2bool(str(config.get(CUSTOM_URL_OPTION) or ""), False)


class QboConnectionSecurity(models.Model):
    _name = "qbo.connection"
    _inherit = ["qbo.connection", "qbo.owned.fields.mixin"]

    environment = fields.Selection(groups="base.group_system")
    base_url = fields.Char(groups="base.group_system")

    def _qbo_owned_fields(self):
        return super()._qbo_owned_fields() | {
            "state",
            "setup_done",
            "realm_id",
            "qbo_company_name",
            "qbo_country",
            "qbo_currency",
            "custom_txn_numbers",
            "multi_currency",
            "automated_sales_tax",
            "cdc_since",
            "oauth_nonce",
            "access_token",
            "access_token_expires_at",
            "refresh_token",
            "refresh_token_expires_at",
            "refresh_token_hard_expires_at",
            "refresh_token_rotated_at",
            "reconnect_reason",
            "import_state",
            "import_customers_total",
            "import_customers_done",
            "import_vendors_total",
            "import_vendors_done",
            "import_created",
            "import_linked",
            "import_error",
        }

    # ------------------------------------------------------------------ endpoint
    def _qbo_endpoint_error(self):
        """Why this connection may not talk to where it points (``False`` when it may)."""
        self.ensure_one()
        conn = self.sudo()
        if conn.base_url:
            try:
                const.normalize_base_url(conn.base_url)
            except ValueError:
                return self.env._(
                    "The base URL must be a bare web address, http(s)://host or "
                    "http(s)://host:port, without a user name, path, query or fragment "
                    "(plain http only for this machine)."
                )
        if conn.environment == const.CUSTOM:
            if not custom_url_allowed():
                return self.env._(
                    "A custom QuickBooks Online URL is for development and tests only, and "
                    "this server does not allow it (option %(option)s of its configuration "
                    "file). Choose Production or the Intuit sandbox.",
                    option=CUSTOM_URL_OPTION,
                )
            if not conn.base_url:
                return self.env._("Enter the base URL of the custom environment.")
        return False

    @api.constrains("environment", "base_url")
    def _check_endpoint(self):
        for connection in self:
            if error := connection._qbo_endpoint_error():
                raise ValidationError(error)

    def _qbo_check_endpoint(self):
        """Refuse, before any request, a place this server does not (or no longer) allow."""
        if error := self._qbo_endpoint_error():
            raise errors.AuthorizationError(error)

    def _qbo_oauth(self):
        self._qbo_check_endpoint()
        return super()._qbo_oauth()

    def _qbo_client(self, **options):
        self._qbo_check_endpoint()
        return super()._qbo_client(**options)

    def _qbo_web_url(self, kind, qbo_id):
        """No link at all rather than one to a place the server does not allow."""
        return False if self._qbo_endpoint_error() else super()._qbo_web_url(kind, qbo_id)

    # ------------------------------------------------------------------ write
    def write(self, vals):
        if "company_id" in vals and any(c.company_id.id != vals["company_id"] for c in self):
            raise AccessError(
                self.env._(
                    "A QuickBooks Online connection stays with the company it was made for. "
                    "Connect the other company from its own QuickBooks Online settings."
                )
            )
        moved = self._qbo_endpoint_changed(vals)
        result = super().write(vals)
        if moved:
            moved._qbo_drop_tokens(vals)
        return result

    def _qbo_endpoint_changed(self, vals):
        """The connections (sudo) whose environment, base URL or client id ``vals`` change."""
        names = [name for name in ENDPOINT_FIELDS if name in vals]
        return self.sudo().filtered(
            lambda c: any((c[name] or False) != (vals[name] or False) for name in names)
        )

    def _qbo_drop_tokens(self, vals):
        """The tokens were issued for the old place: forget them (not what ``vals`` sets)."""
        connected = self.filtered(lambda c: c.state != "not_connected" or c.refresh_token)
        self.write({name: value for name, value in TOKEN_RESET.items() if name not in vals})
        for connection in connected:
            _logger.info(
                "QuickBooks connection %s: environment, URL or app changed; tokens dropped",
                connection.id,
            )
            connection.message_post(
                body=self.env._(
                    "Where this connection talks to QuickBooks Online changed: the "
                    "authorization was dropped. Connect to QuickBooks again."
                )
            )
