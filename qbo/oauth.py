"""Intuit OAuth 2.0: authorization URL, code exchange, refresh (with rotation) and revoke.

The OAuth exchanges go through requests-oauthlib's :class:`OAuth2Session` with HTTP Basic client
authentication, as Intuit's own SDKs do. Revoke is a plain JSON POST (not part of OAuth 2.0 proper,
so not in requests-oauthlib).
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import requests
from oauthlib.oauth2 import InvalidClientError, InvalidGrantError, OAuth2Error
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session

from . import const, errors, redact
from .transport import QboRetry, make_session

_logger = logging.getLogger(__name__)
redact.install(__name__)

#: Ask Intuit for the refresh token's absolute (5-year) expiry too.
HARD_EXPIRY_HEADER = "x-include-refresh-token-hard-expires-in"


class _InvalidGrant(errors.AuthorizationError):
    """``invalid_grant`` from the token endpoint, with Intuit's ``x_error_reason``."""

    def __init__(self, description: str, reason: str | None) -> None:
        super().__init__("invalid_grant", code="invalid_grant", detail=description, http_status=400)
        self.description = description
        self.reason = reason


@dataclass
class Token:
    """Tokens of one connection (one QBO company).

    Persist all of it after every :meth:`QboOAuth.refresh`: Intuit rotates the refresh token and
    the previous value stops working.
    """

    access_token: str
    refresh_token: str
    expires_at: float  # epoch seconds
    refresh_expires_at: float | None = None  # epoch seconds, from x_refresh_token_expires_in
    realm_id: str | None = None
    token_type: str = "bearer"
    refresh_hard_expires_at: float | None = None  # epoch seconds, the 5-year cap when given
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        redact.remember_secret(self.access_token, self.refresh_token)

    def __repr__(self) -> str:  # never show the token values
        return (
            f"Token(realm_id={self.realm_id!r}, expires_at={self.expires_at!r}, "
            f"refresh_expires_at={self.refresh_expires_at!r})"
        )

    def expired(self, leeway: float = 60.0, now: float | None = None) -> bool:
        """Whether the access token is (about to be) expired."""
        return (time.time() if now is None else now) >= self.expires_at - leeway

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for storage; :meth:`from_dict` reads it back."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Token:
        names = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in names})

    @classmethod
    def from_response(
        cls, data: dict[str, Any], realm_id: str | None = None, now: float | None = None
    ) -> Token:
        """Build a Token from Intuit's token endpoint response."""
        now = time.time() if now is None else now
        redact.remember_secret(data.get("id_token"))

        def _at(key: str) -> float | None:
            value = data.get(key)
            return None if value in (None, "") else now + float(value)

        realm = realm_id or data.get("realmId") or data.get("realm_id")
        known = {
            "access_token",
            "refresh_token",
            "expires_in",
            "expires_at",
            "token_type",
            "x_refresh_token_expires_in",
            "x_refresh_token_hard_expires_in",
            "realmId",
            "id_token",
        }
        return cls(
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
            expires_at=_at("expires_in") or float(data.get("expires_at") or now),
            refresh_expires_at=_at("x_refresh_token_expires_in"),
            realm_id=None if realm is None else str(realm),
            token_type=str(data.get("token_type") or "bearer"),
            refresh_hard_expires_at=_at("x_refresh_token_hard_expires_in"),
            extra={key: value for key, value in data.items() if key not in known},
        )


class QboOAuth:
    """OAuth 2.0 client of one Intuit app (client id + secret) in one environment.

    :param environment: ``production``, ``sandbox`` or ``custom`` (then ``base_url`` hosts the
        OAuth endpoints, as the local sandbox does).
    :param timeout: seconds (or a ``(connect, read)`` tuple) for every OAuth request.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        *,
        environment: str = const.PRODUCTION,
        base_url: str | None = None,
        timeout: float | tuple[float, float] = 30,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.environment = environment
        self.endpoints = const.endpoints(environment, base_url)
        self.timeout = timeout
        redact.remember_secret(client_secret)
        if environment == const.CUSTOM and self.endpoints.token_url.startswith("http://"):
            # oauthlib refuses plain http unless told otherwise; const.normalize_base_url only
            # lets http through for loopback hosts (the local sandbox).
            os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")
        # Only connection failures are retried: a token request that reached Intuit may have
        # rotated the refresh token already.
        self._retry = QboRetry(
            total=2,
            connect=2,
            read=False,
            status=False,
            other=False,
            redirect=False,
            respect_retry_after_header=False,
            backoff_factor=0.2,
            max_wait=10,
        )

    # ----------------------------------------------------------------------------- helpers
    def _session(self, **kwargs: Any) -> OAuth2Session:
        session = OAuth2Session(self.client_id, **kwargs)
        for prefix in {self.endpoints.token_url, self.endpoints.revoke_url}:
            make_session(prefix.rsplit("/", 1)[0], self._retry, session)
        session.register_compliance_hook("access_token_response", self._check_response)
        session.register_compliance_hook("refresh_token_response", self._check_response)
        return session

    @property
    def _basic_auth(self) -> HTTPBasicAuth:
        return HTTPBasicAuth(self.client_id, self.client_secret)

    @staticmethod
    def _check_response(response: requests.Response) -> requests.Response:
        """Log the exchange and turn non-OAuth failures (5xx, 429, HTML) into typed errors.

        OAuth error bodies (``{"error": ...}`` with 400/401) are left to oauthlib, which raises
        its typed errors; :meth:`_call` maps those.
        """
        tid = response.headers.get(const.INTUIT_TID_HEADER)
        _logger.info(
            "QBO OAuth %s %s -> %s (intuit_tid=%s)",
            response.request.method,
            redact.redact_url(response.url),
            response.status_code,
            tid,
        )
        if response.status_code < 400:
            return response
        try:
            body = response.json()
        except ValueError:
            body = None
        body = body if isinstance(body, dict) else {}
        is_oauth_error = "error" in body
        if response.status_code == 400 and body.get("error") == "invalid_grant":
            # Raised here, not by oauthlib, which drops Intuit's x_error_reason.
            raise _InvalidGrant(body.get("error_description") or "", body.get("x_error_reason"))
        if response.status_code in (400, 401) and is_oauth_error:
            return response
        raise errors.error_from_response(
            response.status_code, response.text, tid, reason=response.reason or ""
        )

    def _call(self, func: Any, *args: Any, reconnect: bool = False, **kwargs: Any) -> Any:
        """Run an OAuth2Session call, mapping failures to :mod:`qbo.errors`."""
        try:
            return func(*args, **kwargs)
        except (InvalidGrantError, _InvalidGrant) as exc:
            detail = exc.description or ""
            if not reconnect:
                raise errors.AuthorizationError(
                    "invalid_grant", code="invalid_grant", detail=detail, http_status=400
                ) from None
            raise errors.ReconnectRequired(
                "invalid_grant",
                code="invalid_grant",
                detail=detail,
                http_status=400,
                reason=getattr(exc, "reason", None),
            ) from None
        except InvalidClientError as exc:
            raise errors.AuthenticationError(
                "invalid_client",
                code="invalid_client",
                detail=exc.description or "",
                http_status=exc.status_code,
            ) from None
        except OAuth2Error as exc:
            raise errors.AuthorizationError(
                exc.error,
                code=exc.error,
                detail=exc.description or "",
                http_status=exc.status_code,
            ) from None
        except requests.RequestException as exc:
            raise errors.TransportError(
                "Could not reach the Intuit OAuth server", detail=type(exc).__name__
            ) from exc

    # ------------------------------------------------------------------------------ public
    def authorization_url(
        self, state: str, scopes: tuple[str, ...] | list[str] = const.DEFAULT_SCOPES
    ) -> str:
        """URL of Intuit's consent page; the caller stores ``state`` and checks it on return."""
        if not state:
            raise ValueError("state is required (a random value checked on the callback)")
        session = OAuth2Session(self.client_id, redirect_uri=self.redirect_uri, scope=list(scopes))
        url, _state = session.authorization_url(self.endpoints.authorize_url, state=state)
        return url

    def exchange_code(self, code: str, realm_id: str | None = None) -> Token:
        """Exchange the authorization ``code`` of the callback for tokens.

        :param realm_id: the callback's ``realmId`` (the company id), stored on the Token.
        """
        redact.remember_secret(code)
        session = self._session(redirect_uri=self.redirect_uri)
        data = self._call(
            session.fetch_token,
            self.endpoints.token_url,
            code=code,
            auth=self._basic_auth,
            include_client_id=False,
            timeout=self.timeout,
            headers=self._headers(),
        )
        return Token.from_response(dict(data), realm_id=realm_id)

    def refresh(self, refresh_token: str, realm_id: str | None = None) -> Token:
        """Get a new access token; the returned Token may hold a ROTATED refresh token.

        :raises errors.ReconnectRequired: the refresh token is invalid, expired or revoked.
        """
        redact.remember_secret(refresh_token)
        session = self._session()
        data = self._call(
            session.refresh_token,
            self.endpoints.token_url,
            refresh_token=refresh_token,
            auth=self._basic_auth,
            timeout=self.timeout,
            headers=self._headers(),
            reconnect=True,
        )
        return Token.from_response(dict(data), realm_id=realm_id)

    def revoke(self, token: Token | str) -> None:
        """Revoke a token (a refresh token disconnects the app from the company)."""
        value = token.refresh_token if isinstance(token, Token) else token
        redact.remember_secret(value)
        session = make_session(self.endpoints.revoke_url.rsplit("/", 1)[0], self._retry)
        with session:
            response = self._call(
                session.post,
                self.endpoints.revoke_url,
                json={"token": value},
                auth=self._basic_auth,
                headers={"Accept": "application/json"},
                timeout=self.timeout,
            )
            self._check_response(response)
            if response.status_code >= 400:
                raise errors.error_from_response(
                    response.status_code,
                    response.text,
                    response.headers.get(const.INTUIT_TID_HEADER),
                    reason=response.reason or "",
                )

    @staticmethod
    def _headers() -> dict[str, str]:
        return {
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            HARD_EXPIRY_HEADER: "true",
        }
