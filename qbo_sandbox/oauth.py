"""Intuit's OAuth 2.0 endpoints: apps, authorization codes, access and refresh tokens."""

import base64
import binascii
import secrets
import threading
from dataclasses import dataclass, field
from urllib.parse import unquote

from . import const, faults


@dataclass
class App:
    client_id: str
    client_secret: str
    redirect_uris: list[str] | None = None  # None: any redirect URI is accepted
    verifier_token: str | None = None


@dataclass
class Connection:
    """An app connected to a company (what a user's consent creates)."""

    client_id: str
    realm_id: str | None
    scope: str
    hard_expires_at: float
    revoked: bool = False
    user_removed: bool = False  # the user who connected left the company


@dataclass
class Code:
    connection: Connection
    redirect_uri: str
    expires_at: float
    used: bool = False


@dataclass
class Token:
    connection: Connection
    expires_at: float
    active: bool = True


@dataclass
class OAuthError(Exception):
    error: str
    description: str | None = None
    status: int = 400
    extra: dict = field(default_factory=dict)

    def body(self) -> dict:
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return {**body, **self.extra}


def _new_token(prefix: str, size: int) -> str:
    return prefix + secrets.token_urlsafe(size)


class OAuthService:
    def __init__(self, clock):
        self.clock = clock
        self.apps: dict[str, App] = {}
        self._codes: dict[str, Code] = {}
        self._access: dict[str, Token] = {}
        self._refresh: dict[str, Token] = {}
        self._lock = threading.RLock()

    #: what :mod:`qbo_sandbox.persist` saves
    SAVED = ("apps", "_codes", "_access", "_refresh")

    @property
    def lock(self) -> threading.RLock:
        return self._lock

    # -- apps and consent --------------------------------------------------------------------
    def add_app(self, client_id, client_secret, redirect_uris=None, verifier_token=None) -> App:
        app = App(
            client_id, client_secret, list(redirect_uris) if redirect_uris else None, verifier_token
        )
        self.apps[client_id] = app
        return app

    def check_authorize(self, client_id: str, redirect_uri: str, response_type: str) -> App:
        """Validate an authorization request; errors are shown, never redirected (RFC 6749)."""
        app = self.apps.get(client_id or "")
        if app is None:
            raise OAuthError("invalid_client", "Unknown client_id", 400)
        if not redirect_uri:
            raise OAuthError("invalid_request", "redirect_uri is required", 400)
        if app.redirect_uris is not None and redirect_uri not in app.redirect_uris:
            raise OAuthError("invalid_request", "The redirect_uri is not registered for this app")
        if response_type != "code":
            raise OAuthError("unsupported_response_type", "response_type must be code")
        return app

    def issue_code(self, client_id: str, realm_id: str | None, scope: str, redirect_uri: str):
        connection = self._connect(client_id, realm_id, scope)
        code = _new_token("AB11", 36)
        with self._lock:
            self._codes[code] = Code(
                connection, redirect_uri, self.clock.time() + const.AUTH_CODE_TTL
            )
        return code

    def _connect(self, client_id, realm_id, scope) -> Connection:
        hard = self.clock.time() + const.REFRESH_TOKEN_HARD_TTL
        return Connection(client_id, realm_id, scope, hard)

    def grant(self, realm_id: str, client_id: str, scope=const.ACCOUNTING_SCOPE) -> dict:
        """Tokens as if a user had consented and the code was exchanged (tests skip the browser)."""
        if client_id not in self.apps:
            raise OAuthError("invalid_client", "Unknown client_id", 401)
        answer = self._issue(self._connect(client_id, realm_id, scope))
        answer["realmId"] = realm_id
        return answer

    # -- token endpoint ----------------------------------------------------------------------
    def client_auth(self, headers, form: dict) -> App:
        """HTTP Basic (Intuit's SDKs) or client_secret_post (allowed by the discovery doc)."""
        client_id = secret = None
        header = headers.get("Authorization") or ""
        if header.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise OAuthError("invalid_client", None, 401) from None
            client_id, _, secret = decoded.partition(":")
            client_id, secret = unquote(client_id), unquote(secret)
        elif form.get("client_id"):
            client_id, secret = form.get("client_id"), form.get("client_secret")
        app = self.apps.get(client_id or "")
        if app is None or not secrets.compare_digest(app.client_secret, secret or ""):
            raise OAuthError("invalid_client", None, 401)
        return app

    def token(self, headers, form: dict, hard_expiry: bool = False) -> dict:
        app = self.client_auth(headers, form)
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            connection = self._redeem_code(app, form.get("code"), form.get("redirect_uri"))
        elif grant_type == "refresh_token":
            connection = self._redeem_refresh(app, form.get("refresh_token"))
        else:
            raise OAuthError("unsupported_grant_type")
        return self._issue(connection, hard_expiry)

    def _redeem_code(self, app: App, code: str | None, redirect_uri: str | None) -> Connection:
        with self._lock:
            entry = self._codes.get(code or "")
            if (
                entry is None
                or entry.used
                or entry.expires_at <= self.clock.time()
                or entry.connection.client_id != app.client_id
            ):
                raise OAuthError("invalid_grant")
            if redirect_uri != entry.redirect_uri:
                raise OAuthError("invalid_grant", "redirect_uri does not match")
            entry.used = True
            return entry.connection

    def _redeem_refresh(self, app: App, value: str | None) -> Connection:
        with self._lock:
            entry = self._refresh.get(value or "")
            now = self.clock.time()
            if (
                entry is None
                or not entry.active
                or entry.connection.revoked
                or entry.expires_at <= now
                or entry.connection.hard_expires_at <= now
                or entry.connection.client_id != app.client_id
            ):
                raise OAuthError("invalid_grant", "Incorrect or invalid refresh token")
            if entry.connection.user_removed:
                raise OAuthError(
                    "invalid_grant",
                    "Unauthorized Request: User is not a member of the specified Realm",
                    extra={
                        "x_error_reason": "user_not_in_realm",
                        "x_error_reason_detail": "The user is no longer a member of the realm",
                    },
                )
            entry.active = False  # rotation: the old value stops working
            return entry.connection

    def _issue(self, connection: Connection, hard_expiry: bool = False) -> dict:
        now = self.clock.time()
        refresh_ttl = int(min(const.REFRESH_TOKEN_TTL, connection.hard_expires_at - now))
        access, refresh = _new_token("eyJ", 96), _new_token("RT1-", 36)
        with self._lock:
            self._access[access] = Token(connection, now + const.ACCESS_TOKEN_TTL)
            self._refresh[refresh] = Token(connection, now + refresh_ttl)
        answer = {
            "token_type": "bearer",
            "expires_in": const.ACCESS_TOKEN_TTL,
            "refresh_token": refresh,
            "x_refresh_token_expires_in": refresh_ttl,
            "access_token": access,
        }
        if hard_expiry:
            answer["x_refresh_token_hard_expires_in"] = int(connection.hard_expires_at - now)
        return answer

    def revoke(self, headers, token_value: str | None) -> None:
        self.client_auth(headers, {})
        if not token_value:
            raise OAuthError("invalid_request", "token is required")
        with self._lock:
            entry = self._refresh.get(token_value) or self._access.get(token_value)
            if entry is not None:
                entry.connection.revoked = True

    # -- API authentication ------------------------------------------------------------------
    def authenticate(self, header: str | None, realm_id: str) -> Token:
        """Check ``Authorization: Bearer``; raise the gateway's 401/403 faults."""
        if not header or not header.lower().startswith("bearer "):
            raise faults.authentication("Authorization header missing or not a Bearer token")
        value = header[7:].strip()
        with self._lock:
            entry = self._access.get(value)
        if entry is None:
            raise faults.authentication("Token invalid: unknown access token")
        if entry.connection.revoked:
            raise faults.authentication("Token revoked: the app was disconnected")
        if not entry.active or entry.expires_at <= self.clock.time():
            raise faults.authentication("Token expired: access token expired")
        scopes = entry.connection.scope.split()
        if entry.connection.realm_id != realm_id or const.ACCOUNTING_SCOPE not in scopes:
            raise faults.authorization(
                "The token is not authorized for this company (realm) or scope"
            )
        return entry

    def user_info(self, header: str | None) -> dict:
        value = (header or "")[7:].strip()
        entry = self._access.get(value)
        if entry is None or entry.expires_at <= self.clock.time() or entry.connection.revoked:
            raise OAuthError("invalid_token", None, 401)
        return {
            "sub": f"sandbox-user-{entry.connection.realm_id}",
            "email": "user@sandbox.example",
            "emailVerified": True,
            "givenName": "Sandbox",
            "familyName": "User",
        }

    # -- test controls -----------------------------------------------------------------------
    def expire_access_tokens(self, realm_id=None) -> None:
        with self._lock:
            for entry in self._access.values():
                if realm_id is None or entry.connection.realm_id == realm_id:
                    entry.expires_at = min(entry.expires_at, self.clock.time() - 1)

    def remove_user(self, realm_id: str) -> None:
        with self._lock:
            for entry in self._refresh.values():
                if entry.connection.realm_id == realm_id:
                    entry.connection.user_removed = True

    def invalidate_refresh_tokens(self, realm_id=None) -> None:
        with self._lock:
            for entry in self._refresh.values():
                if realm_id is None or entry.connection.realm_id == realm_id:
                    entry.active = False


def discovery(base: str) -> dict:
    return {
        "issuer": f"{base}/op/v1",
        "authorization_endpoint": f"{base}/connect/oauth2",
        "token_endpoint": f"{base}/oauth2/v1/tokens/bearer",
        "userinfo_endpoint": f"{base}/v1/openid_connect/userinfo",
        "revocation_endpoint": f"{base}/v2/oauth2/tokens/revoke",
        "jwks_uri": f"{base}/op/v1/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile", "address", "phone"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
    }
