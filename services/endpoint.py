"""Where a connection may talk to, and what happens when that changes.

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

from odoo.exceptions import AccessError
from odoo.tools import config, str2bool

from ..qbo import QboClient, QboOAuth, const, errors
from . import realm_slots, sync_log

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


def endpoint_error(connection):
    """Why ``connection`` may not talk to where it points (``False`` when it may)."""
    connection.ensure_one()
    env, conn = connection.env, connection.sudo()
    if conn.base_url:
        try:
            const.normalize_base_url(conn.base_url)
        except ValueError:
            return env._(
                "The base URL must be a bare web address, http(s)://host or "
                "http(s)://host:port, without a user name, path, query or fragment "
                "(plain http only for this machine)."
            )
    if conn.environment == const.CUSTOM:
        if not custom_url_allowed():
            return env._(
                "A custom QuickBooks Online URL is for development and tests only, and "
                "this server does not allow it (option %(option)s of its configuration "
                "file). Choose Production or the Intuit sandbox.",
                option=CUSTOM_URL_OPTION,
            )
        if not conn.base_url:
            return env._("Enter the base URL of the custom environment.")
    return False


def check_endpoint(connection):
    """Refuse, before any request, a place this server does not (or no longer) allow."""
    if error := endpoint_error(connection):
        raise errors.AuthorizationError(error)


def check_company_kept(connections, vals):
    """A connection stays with the company it was made for."""
    if "company_id" in vals and any(c.company_id.id != vals["company_id"] for c in connections):
        raise AccessError(
            connections.env._(
                "A QuickBooks Online connection stays with the company it was made for. "
                "Connect the other company from its own QuickBooks Online settings."
            )
        )


def endpoint_changed(connections, vals):
    """The connections (sudo) whose environment, base URL or client id ``vals`` change."""
    names = [name for name in ENDPOINT_FIELDS if name in vals]
    return connections.sudo().filtered(
        lambda c: any((c[name] or False) != (vals[name] or False) for name in names)
    )


def drop_tokens(connections, vals):
    """The tokens were issued for the old place: forget them (not what ``vals`` sets)."""
    connected = connections.filtered(lambda c: c.state != "not_connected" or c.refresh_token)
    connections.write({name: value for name, value in TOKEN_RESET.items() if name not in vals})
    for connection in connected:
        _logger.info(
            "QuickBooks connection %s: environment, URL or app changed; tokens dropped",
            connection.id,
        )
        connection.message_post(
            body=connection.env._(
                "Where this connection talks to QuickBooks Online changed: the "
                "authorization was dropped. Connect to QuickBooks again."
            )
        )


def api_client(connection, auth, **options):
    """The :class:`~..qbo.QboClient` of ``connection``'s QBO company: each call reported to
    the sync log, each HTTP attempt holding one of the company's concurrent slots (shared by
    every process, :mod:`.realm_slots`)."""
    options.setdefault("on_call", sync_log.recorder(connection))
    options.setdefault("limiter", realm_slots.limiter(connection, options.get("deadline")))
    return QboClient(
        connection.realm_id,
        auth,
        environment=connection.environment,
        base_url=connection.base_url,
        **options,
    )


def oauth_client(connection, timeout):
    """The :class:`~..qbo.QboOAuth` of ``connection``'s Intuit app (where it may talk to)."""
    check_endpoint(connection)
    conn = connection.sudo()
    return QboOAuth(
        conn.client_id or "",
        conn.client_secret or "",
        connection.get_base_url() + "/quickbooks/oauth/callback",
        environment=conn.environment,
        base_url=conn.base_url,
        timeout=timeout,
    )
