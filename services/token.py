"""The connection's tokens: stored, handed to the client, refreshed once however many ask."""

import logging
from datetime import datetime, timedelta

import psycopg2

from odoo import fields
from odoo.tools import SQL, format_date

from ..qbo import Token, errors
from .reconnect import reconnect_message, set_reconnect_needed

_logger = logging.getLogger(__name__)

#: How long a token refresh waits for another worker's refresh of the same connection.
REFRESH_LOCK_TIMEOUT = "5s"
#: Warn this many days before the rolling refresh token expires (Intuit: 100 days unused).
REFRESH_WARN_DAYS = 14
#: Warn this many days before the refresh token's absolute (5-year) expiry.
HARD_EXPIRY_WARN_DAYS = 60


class ConnectionAuth:
    """:class:`qbo.AuthProvider` backed by a ``qbo.connection`` record.

    It hands out the stored access token and refreshes it through
    :func:`refresh_access_token` when it has expired or QBO answers 401.
    """

    def __init__(self, connection):
        self.connection = connection
        self._token = stored_token(connection)

    @property
    def access_token(self):
        if not self._token.access_token or self._token.expired():
            return self.refresh()
        return self._token.access_token

    def refresh(self):
        # The caller's transaction may not see the new token (it was committed by
        # another one after its snapshot), so keep the one we were handed.
        self._token = refresh_access_token(self.connection, self._token.access_token)
        return self._token.access_token


def stored_token(connection):
    conn = connection.sudo()
    return Token(
        access_token=conn.access_token or "",
        refresh_token=conn.refresh_token or "",
        expires_at=conn.access_token_expires_at.timestamp()
        if conn.access_token_expires_at
        else 0.0,
        realm_id=conn.realm_id,
    )


def store_token(connection, token):
    """Store tokens received from Intuit (the refresh token rotates: always keep the last)."""
    connection.ensure_one()
    connection.sudo().write(
        {
            "access_token": token.access_token,
            "access_token_expires_at": _to_datetime(token.expires_at),
            "refresh_token": token.refresh_token,
            "refresh_token_expires_at": _to_datetime(token.refresh_expires_at),
            "refresh_token_hard_expires_at": _to_datetime(token.refresh_hard_expires_at),
            "refresh_token_rotated_at": fields.Datetime.now(),
        }
    )


def refresh_access_token(connection, spent_access_token):
    """Refresh the tokens once, however many workers ask; return the new :class:`Token`.

    Runs in its own transaction, under a row lock: a second worker waits for
    the first, then finds a fresh access token and uses it instead of spending
    the refresh token again (Intuit would answer ``invalid_grant``). The
    rotated refresh token is committed at once, so it survives a rollback of
    the caller's transaction. ``invalid_grant`` turns the connection to
    *reconnect needed* (committed too) and re-raises.
    """
    connection.ensure_one()
    result = None
    for attempt in range(3):
        try:
            with connection.env.registry.cursor() as cr:
                cr.execute(SQL("SET LOCAL lock_timeout = %s", REFRESH_LOCK_TIMEOUT))
                own = connection.with_env(connection.env(cr=cr, su=True))
                result = _refresh_locked(own, spent_access_token)
            break
        except psycopg2.errors.SerializationFailure:
            # Another worker refreshed between our snapshot and our lock: the next
            # transaction sees its token.
            if attempt == 2:
                raise
        except psycopg2.errors.LockNotAvailable:
            # The lock is held for longer than any refresh takes: most likely by the
            # caller's own transaction, which wrote the connection. Refresh in it
            # rather than wait for ourselves forever.
            _logger.info(
                "QuickBooks connection %s is locked; refreshing in the caller's transaction",
                connection.id,
            )
            result = _refresh_locked(connection.sudo(), spent_access_token)
            break
    connection.invalidate_recordset()
    if isinstance(result, errors.ReconnectRequired):
        raise result
    return result


def _refresh_locked(connection, spent_access_token):
    """Return the fresh :class:`Token`, or the ReconnectRequired error once recorded
    (returned, not raised, so that the recording transaction commits)."""
    # A lock timeout or serialization failure here is expected and handled by the
    # caller: not a "bad query" for the log.
    connection.env.cr.execute(
        SQL("SELECT id FROM qbo_connection WHERE id = %s FOR NO KEY UPDATE", connection.id),
        log_exceptions=False,
    )
    connection.invalidate_recordset()
    token = stored_token(connection)
    if token.access_token and token.access_token != spent_access_token and not token.expired():
        return token
    try:
        new_token = connection._qbo_oauth().refresh(token.refresh_token, connection.realm_id)
    except errors.ReconnectRequired as error:
        set_reconnect_needed(connection, str(error), error.reason)
        return errors.ReconnectRequired(
            reconnect_message(connection), code=error.code, reason=error.reason
        )
    store_token(connection, new_token)
    return new_token


def token_warning(connection, now):
    """Say when the refresh token expires soon (the user must then reconnect).

    The day count is rounded to the nearest day (13 days and 23 hours are 14 days, as
    the user counts them on a calendar); the date is in the user's language and time zone.
    """
    env = connection.env
    values = {}
    for expires_at, warn_days in (
        (connection.refresh_token_expires_at, REFRESH_WARN_DAYS),
        (connection.refresh_token_hard_expires_at, HARD_EXPIRY_WARN_DAYS),
    ):
        if expires_at and expires_at - now < timedelta(days=warn_days):
            values = {
                "days": max(round((expires_at - now) / timedelta(days=1)), 0),
                "date": format_date(env, fields.Datetime.context_timestamp(connection, expires_at)),
            }
            break
    if not values:
        return False
    if expires_at == connection.refresh_token_expires_at:
        return env._(
            "The QuickBooks authorization expires in %(days)s days, on %(date)s, unless "
            "the connection is used before: each exchange with QuickBooks through it (a "
            "push, the regular sync) renews it for 100 days. Once expired, reconnect.",
            **values,
        )
    return env._(
        "The QuickBooks authorization expires in %(days)s days, on %(date)s, and can't be "
        "renewed past that date (Intuit limits it to five years): reconnect before then.",
        **values,
    )


def _to_datetime(epoch):
    return datetime.utcfromtimestamp(epoch).replace(microsecond=0) if epoch else False
