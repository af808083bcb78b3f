"""Access-token providers for :class:`~qbo.client.QboClient`.

The client needs only two members from its ``auth`` object (:class:`AuthProvider`):

``access_token``
    property: the current access token (a string). It may refresh first when the token is known
    to be expired.
``refresh()``
    called when QBO answered 401: get a new access token **now** and return it. Raise
    :class:`~qbo.errors.ReconnectRequired` when the refresh token is no longer valid.

:class:`TokenAuth` is the default provider: it keeps a :class:`~qbo.oauth.Token` in memory and
hands every refreshed (rotated) token to a callback so the caller can persist it. An application
with several workers (Odoo) passes its own provider instead, which refreshes under a database row
lock and re-reads the stored token after taking the lock, so that two workers never spend the same
refresh token (Intuit would answer ``invalid_grant`` to the second one).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from .oauth import QboOAuth, Token


@runtime_checkable
class AuthProvider(Protocol):
    """What :class:`~qbo.client.QboClient` needs from its ``auth`` argument."""

    @property
    def access_token(self) -> str: ...

    def refresh(self) -> str: ...


class TokenAuth:
    """In-memory :class:`AuthProvider` around one :class:`~qbo.oauth.Token`.

    :param oauth: the app's OAuth client, used to refresh.
    :param token: the current tokens.
    :param on_refresh: ``on_refresh(token)`` receives every new Token (with the rotated refresh
        token); store it before doing anything else. If it raises, the error propagates.
    :param leeway: refresh this many seconds before ``expires_at`` instead of waiting for a 401.
    """

    def __init__(
        self,
        oauth: QboOAuth,
        token: Token,
        on_refresh: Callable[[Token], None] | None = None,
        *,
        leeway: float = 60.0,
    ) -> None:
        self.oauth = oauth
        self.token = token
        self.on_refresh = on_refresh
        self.leeway = leeway
        self._lock = threading.RLock()

    @property
    def access_token(self) -> str:
        with self._lock:
            if self.token.expired(self.leeway):
                return self.refresh()
            return self.token.access_token

    def refresh(self) -> str:
        with self._lock:
            token = self.oauth.refresh(self.token.refresh_token, realm_id=self.token.realm_id)
            self.token = token
            if self.on_refresh is not None:
                self.on_refresh(token)
            return token.access_token
