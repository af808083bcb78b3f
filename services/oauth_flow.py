"""Connect and disconnect: Intuit's authorization code flow with a signed ``state``."""

import binascii
import json
import logging
import secrets
import time

from odoo.exceptions import AccessError, UserError
from odoo.tools import consteq, hash_sign, verify_hash_signed

from ..qbo import errors
from . import reconnect
from .company import read_company
from .endpoint import TOKEN_RESET
from .setup import MAPPED_ACCOUNTS
from .token import store_token

_logger = logging.getLogger(__name__)

#: HMAC scope of the OAuth ``state`` (keys signed for another use never validate here).
STATE_SCOPE = "quickbooks_online.oauth_state"
#: Seconds a Connect link stays valid (Intuit's authorization code lives 10 minutes).
STATE_TTL = 600


class OAuthStateError(UserError):
    """The callback's ``state`` is tampered with, expired, replayed or someone else's."""


def authorization_url(connection):
    """Intuit's consent page for ``connection`` (the user picks the QBO company there)."""
    connection.ensure_one()
    env = connection.env
    connection.check_access("write")
    conn = connection.sudo()
    if not (conn.client_id and conn.client_secret):
        raise UserError(
            env._(
                "Enter the Client ID and Client Secret of your Intuit app first "
                "(a system administrator can do it on this form)."
            )
        )
    try:
        return connection._qbo_oauth().authorization_url(_issue_state(connection))
    except (ValueError, errors.AuthorizationError) as error:
        raise UserError(
            env._("The environment settings are not valid: %(error)s", error=error)
        ) from None


def _issue_state(connection):
    """A signed, short-lived ``state`` naming ``connection`` and the current user.

    Its nonce is also stored on the connection, so a link works once and a
    newer Connect click replaces older links.
    """
    nonce = secrets.token_urlsafe(16)
    connection.sudo().oauth_nonce = nonce
    env = connection.env
    values = {"c": connection.id, "u": env.uid, "e": int(time.time()) + STATE_TTL, "n": nonce}
    return hash_sign(connection.sudo().env, STATE_SCOPE, values)


def use_state(connections, state):
    """Return the connection the ``state`` was issued for, or raise :class:`OAuthStateError`.

    Checks, in order: signature, expiry, user, access to the connection,
    then that the nonce is the last one issued and not used yet. The nonce is then
    spent at once, before the code exchange that may fail: the callback keeps it
    spent whatever becomes of the exchange, so a link works once.

    :param connections: the ``qbo.connection`` model, in the callback user's environment
    """
    env = connections.env
    try:
        values = verify_hash_signed(connections.sudo().env, STATE_SCOPE, state or "")
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error, json.JSONDecodeError):
        values = None
    if not isinstance(values, dict) or not {"c", "u", "e", "n"} <= values.keys():
        raise OAuthStateError(
            env._(
                "This QuickBooks connection link is not valid: it was altered or does not "
                "come from this database. Start again with the Connect button."
            )
        )
    if values["e"] < time.time():
        raise OAuthStateError(
            env._(
                "This QuickBooks connection link has expired (links are valid for "
                "%(minutes)s minutes). Click Connect again.",
                minutes=STATE_TTL // 60,
            )
        )
    if values["u"] != env.uid:
        raise OAuthStateError(
            env._(
                "This QuickBooks connection was started by another user. Click Connect "
                "yourself to connect with your own QuickBooks login."
            )
        )
    connection = connections.browse(values["c"]).exists()
    try:
        connection.check_access("write")
    except AccessError:
        connection = connections.browse()
    if not connection:
        raise OAuthStateError(env._("You are not allowed to connect this company to QuickBooks."))
    stored = connection.sudo().oauth_nonce or ""
    if not (stored and consteq(stored, str(values["n"]))):
        raise OAuthStateError(
            env._(
                "This QuickBooks connection link was already used or replaced by a newer "
                "one. Click Connect again."
            )
        )
    connection.sudo().oauth_nonce = False
    return connection


def complete(connection, code, realm_id):
    """Exchange the callback's code, store tokens and realm, read the QBO company.

    :return: the setup wizard to open next
    :raises UserError: with Intuit's or QBO's answer in plain words.
    """
    connection.ensure_one()
    env = connection.env
    conn = connection.sudo()
    if not (code and realm_id):
        raise UserError(env._("Intuit did not send back an authorization. Click Connect again."))
    try:
        token = connection._qbo_oauth().exchange_code(code, realm_id)
        if conn.realm_id and conn.realm_id != realm_id:
            _forget_company(connection)
        conn.write({"realm_id": realm_id, "state": "connected", "reconnect_reason": False})
        store_token(connection, token)
        read_company(connection, connection._qbo_client())
    except errors.QboError as error:
        raise UserError(
            env._(
                "QuickBooks did not accept the connection: %(error)s. Click Connect again.",
                error=error,
            )
        ) from None
    reconnect.close_activities(connection)
    connection.message_post(
        body=env._(
            "Connected to the QuickBooks company %(name)s (%(realm)s).",
            name=connection.qbo_company_name,
            realm=realm_id,
        )
    )
    return env["qbo.setup.wizard"].create({"connection_id": connection.id})


def _forget_company(connection):
    """Another QBO company was picked: the cached accounts, codes and links are wrong now."""
    env = connection.env
    domain = [("connection_id", "=", connection.id)]
    env["qbo.link"].sudo().search(domain).unlink()
    env["qbo.tax.code"].sudo().search(domain).unlink()
    connection.sudo().write(
        {"setup_done": False, "cdc_since": False, **dict.fromkeys(MAPPED_ACCOUNTS, False)}
    )
    env["qbo.account"].sudo().search(domain).unlink()


def disconnect(connection):
    """Revoke the authorization at Intuit and forget the tokens."""
    connection.ensure_one()
    connection.check_access("write")
    conn = connection.sudo()
    token = conn.refresh_token or conn.access_token
    if token:
        try:
            connection._qbo_oauth().revoke(token)
        except errors.QboError as error:
            # The tokens are dropped anyway; Intuit forgets unused ones after 100 days.
            _logger.warning("QuickBooks connection %s: revoke failed: %s", connection.id, error)
    conn.write(dict(TOKEN_RESET, setup_done=False))
    connection.message_post(body=connection.env._("Disconnected from QuickBooks."))
