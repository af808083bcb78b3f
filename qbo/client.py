"""The QuickBooks Online Accounting API v3 client of one company (realm)."""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote as url_quote
from urllib.parse import urlencode

import requests

from . import calls, const, errors, redact
from .auth import AuthProvider
from .entities import EntityOperations
from .transport import attempt_elapsed, make_retry, make_session, mark_attempt, parse_retry_after

_logger = logging.getLogger(__name__)
redact.install(__name__)

#: on_request(method, url, status or None, elapsed seconds or None), once per HTTP attempt
RequestHook = Callable[[str, str, "int | None", "float | None"], None]
#: limiter() -> a context manager held around each HTTP attempt (e.g. one of QBO's concurrent
#: request slots of the company); it may raise a QboError (ThrottledError) to refuse
Limiter = Callable[[], contextlib.AbstractContextManager]


@dataclass
class _Call:
    """A built request; sent (possibly several times) by :meth:`QboClient._send`."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    data: bytes | None = None
    #: re-send when QBO may already have written it (see ``resend_unsure`` of :meth:`create`)
    resend_unsure: bool = True


#: the settings a fork keeps (its session is its own, and ``on_request`` stays here)
FORKED = (
    "environment",
    "base_url",
    "minorversion",
    "timeout",
    "max_retries",
    "backoff_factor",
    "max_retry_after",
    "deadline",
    "limiter",
    "on_call",
)


class QboClient(EntityOperations):
    """Accounting API client for one QBO company (its entity operations: :mod:`qbo.entities`).

    Every request goes through one choke point, :meth:`_request`: :meth:`_build` (URL,
    ``minorversion``, ``requestid``, headers, body) → :meth:`_send` (token, transport retries,
    one refresh + retry on 401, re-sends of the transient 6000 fault) → :meth:`_parse`
    (Fault in any response → typed :mod:`qbo.errors` exception).

    :param realm_id: the company id (``realmId``).
    :param auth: an :class:`~qbo.auth.AuthProvider` (``access_token`` + ``refresh()``), usually
        a :class:`~qbo.auth.TokenAuth`.
    :param environment: ``production``, ``sandbox`` or ``custom`` (with ``base_url``).
    :param timeout: ``(connect, read)`` seconds for every HTTP attempt.
    :param max_retries: retries of a request that failed with 429/5xx/connection errors/timeouts
        (and, separately, of the transient 6000 fault).
    :param backoff_factor: exponential backoff base, seconds.
    :param max_retry_after: the longest total time one call may spend waiting to retry; a
        ``Retry-After`` beyond what is left raises :class:`~qbo.errors.ThrottledError` at once.
    :param deadline: ``time.monotonic()`` seconds by which every call ends: no attempt or retry
        starts after it and each attempt's read timeout is cut to the time left (an interactive
        request must end inside the web server's own limit).
    :param session: a :class:`requests.Session` to use; the retrying adapter is mounted on it for
        the API host.
    :param on_request: ``on_request(method, url, status, elapsed)`` is called for every HTTP
        attempt (retries included; ``status`` is ``None`` when no response came back).
    :param on_call: ``on_call(record)`` is called once per API call, after its last attempt,
        with a redacted :class:`~qbo.calls.CallRecord` (an error it raises is logged, not raised).
    :param limiter: ``limiter()`` gives a context manager held around every HTTP attempt (the
        company's concurrent requests, counted where every process sees them).
    """

    def __init__(
        self,
        realm_id: str,
        auth: AuthProvider,
        *,
        environment: str = const.PRODUCTION,
        base_url: str | None = None,
        minorversion: int = const.MINOR_VERSION,
        timeout: float | tuple[float, float] = (5, 60),
        max_retries: int = 4,
        backoff_factor: float = 0.5,
        max_retry_after: float = 120,
        deadline: float | None = None,
        session: requests.Session | None = None,
        on_request: RequestHook | None = None,
        on_call: calls.CallHook | None = None,
        limiter: Limiter | None = None,
    ) -> None:
        if not realm_id:
            raise ValueError("realm_id is required")
        self.realm_id = str(realm_id)
        self.auth = auth
        self.environment = environment
        self.base_url = base_url
        self.limiter = limiter or contextlib.nullcontext
        self.endpoints = const.endpoints(environment, base_url)
        self.minorversion = minorversion
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_factor = backoff_factor
        self.max_retry_after = max_retry_after
        self.deadline = deadline
        self.on_request = on_request
        self.on_call = on_call
        self.company_url = (
            f"{self.endpoints.api_base}{const.API_PATH}/{url_quote(self.realm_id, safe='')}"
        )
        retry = make_retry(
            max_retries, backoff_factor, max_retry_after, self._on_retry, stop_at=deadline
        )
        self.session = make_session(self.endpoints.api_base, retry, session)
        unsure = make_retry(
            max_retries,
            backoff_factor,
            max_retry_after,
            self._on_retry,
            resend_unsure=False,
            stop_at=deadline,
        )
        self.write_once_session = make_session(self.endpoints.api_base, unsure)

    # ---------------------------------------------------------------------- choke point
    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json_body: dict[str, Any] | None = None,
        text: str | None = None,
        request_id: str | None = None,
        resend_unsure: bool = True,
    ) -> dict[str, Any]:
        """Build, send and parse one API call. Every request of the client passes here."""
        call = self._build(method, path, params, json_body, text, request_id)
        call.resend_unsure = resend_unsure
        if self.on_call is None:
            return self._parse(self._send(call))
        started = time.monotonic()
        response = error = None
        try:
            response = self._send(call)
            return self._parse(response)
        except Exception as exc:
            error = exc
            raise
        finally:
            what = calls.describe(method, path, params, json_body, text)
            self._observe(call, what, response, error, time.monotonic() - started)

    def _build(
        self,
        method: str,
        path: str,
        params: dict[str, str] | None,
        json_body: dict[str, Any] | None,
        text: str | None,
        request_id: str | None,
    ) -> _Call:
        query_params = dict(params or {})
        if request_id is not None:
            query_params["requestid"] = request_id
        query_params["minorversion"] = str(self.minorversion)
        # %20 rather than "+" for spaces: QBO's query parser gets the text verbatim
        url = f"{self.company_url}/{path}?{urlencode(query_params, quote_via=url_quote)}"
        call = _Call(method, url, {"Accept": "application/json"})
        if json_body is not None:
            call.headers["Content-Type"] = "application/json"
            call.data = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
        elif text is not None:
            call.headers["Content-Type"] = "text/plain; charset=utf-8"
            call.data = text.encode("utf-8")
        return call

    def _send(self, call: _Call) -> requests.Response:
        """Send ``call``; refresh once on 401; re-send the transient 6000 fault with backoff.

        Retries of 429/5xx/connection errors happen below, in the session's urllib3 ``Retry``.
        Every re-send reuses the same URL, hence the same ``requestid``.
        """
        deadline = time.monotonic() + self.max_retry_after
        if self.deadline is not None:
            deadline = min(deadline, self.deadline)
        token = self.auth.access_token
        refreshed = False
        transient_retries = 0
        while True:
            response = self._send_once(call, token)
            if response.status_code == 401 and not refreshed:
                refreshed = True
                _logger.info("QBO answered 401 for realm %s: refreshing the token", self.realm_id)
                token = self.auth.refresh()
                continue
            resend = call.resend_unsure and transient_retries < self.max_retries
            if response.status_code == 400 and resend:
                wait = self.backoff_factor * (2**transient_retries)
                if self._is_transient(response) and time.monotonic() + wait <= deadline:
                    transient_retries += 1
                    _logger.warning(
                        "QBO %s %s: transient fault 6000 (intuit_tid=%s), re-sending in %.1fs",
                        call.method,
                        redact.redact_url(call.url),
                        response.headers.get(const.INTUIT_TID_HEADER),
                        wait,
                    )
                    time.sleep(wait)
                    continue
            return response

    def _send_once(self, call: _Call, token: str) -> requests.Response:
        headers = dict(call.headers, Authorization=f"Bearer {token}")
        url = redact.redact_url(call.url)
        session = self.session if call.resend_unsure else self.write_once_session
        mark_attempt()
        try:
            with self.limiter():
                response = session.request(
                    call.method,
                    call.url,
                    data=call.data,
                    headers=headers,
                    timeout=self._attempt_timeout(),
                    allow_redirects=False,
                )
        except requests.RequestException as exc:
            elapsed = attempt_elapsed()
            self._report(call.method, url, None, elapsed)
            _logger.warning("QBO %s %s failed: %s", call.method, url, type(exc).__name__)
            raise _transport_error(exc) from exc
        elapsed = attempt_elapsed()
        self._report(call.method, url, response.status_code, elapsed)
        _logger.info(
            "QBO %s %s -> %s in %.3fs (intuit_tid=%s)",
            call.method,
            url,
            response.status_code,
            elapsed or 0.0,
            response.headers.get(const.INTUIT_TID_HEADER),
        )
        return response

    def _parse(self, response: requests.Response) -> dict[str, Any]:
        """Decode a response; any Fault (HTTP error or inside a 200) raises a typed error."""
        tid = response.headers.get(const.INTUIT_TID_HEADER)
        if not 200 <= response.status_code < 300:
            raise errors.error_from_response(
                response.status_code,
                response.text,
                tid,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
                reason=response.reason or "",
            )
        try:
            body = response.json()
        except ValueError:
            raise errors.ServerError(
                "QuickBooks Online sent an unreadable response",
                detail=" ".join(response.text.split())[:200],
                http_status=response.status_code,
                intuit_tid=tid,
            ) from None
        fault = errors.find_fault(body)
        if fault is not None:
            raise errors.error_from_fault(fault, response.status_code, tid)
        if not isinstance(body, dict):
            raise errors.ServerError(
                "QuickBooks Online sent an unexpected response",
                http_status=response.status_code,
                intuit_tid=tid,
            )
        return body

    def fork(self, auth: AuthProvider) -> QboClient:
        """This client with HTTP sessions of its own and ``auth``: one per thread.

        The per-attempt ``on_request`` hook stays with this client: a fork runs in a worker
        thread, and that hook may belong to the calling thread (its database cursor). The
        ``on_call`` observer goes with the fork: it must be safe to call from any thread.
        """
        return QboClient(self.realm_id, auth, **{name: getattr(self, name) for name in FORKED})

    # -------------------------------------------------------------------------- helpers
    def _attempt_timeout(self) -> float | tuple[float, float]:
        """The timeout of one attempt: the client's, its read part cut to the deadline."""
        if self.deadline is None:
            return self.timeout
        left = self.deadline - time.monotonic()
        if left <= 0:
            error = errors.TransportError(
                "QuickBooks Online did not answer in time", detail="the call's deadline passed"
            )
            error.timed_out = True
            raise error
        if isinstance(self.timeout, tuple):
            return tuple(min(part, left) for part in self.timeout)
        return min(self.timeout, left)

    @staticmethod
    def _is_transient(response: requests.Response) -> bool:
        error = errors.error_from_response(response.status_code, response.text)
        return isinstance(error, errors.TransientError)

    def _observe(
        self,
        call: _Call,
        what: tuple[str, str, bool],
        response: requests.Response | None,
        error: Exception | None,
        duration: float,
    ) -> None:
        """Hand the redacted record of a finished call to ``on_call``."""
        entity, operation, metered = what
        record = calls.CallRecord(
            method=call.method,
            url=redact.redact_url(call.url),
            entity=entity,
            operation=operation,
            metered=metered,
            request_body=calls.body_text(call.data),
            status=response.status_code if response is not None else None,
            response_body=calls.body_text(response.text if response is not None else None),
            duration=duration,
            intuit_tid=(
                response.headers.get(const.INTUIT_TID_HEADER) if response is not None else None
            ),
            error=redact.redact(str(error)) if error is not None else "",
        )
        try:
            self.on_call(record)
        except Exception:
            # An observer never changes the outcome of a call that QBO already answered.
            _logger.exception("The observer of QBO %s %s failed", call.method, record.url)

    def _report(self, method: str, url: str, status: int | None, elapsed: float | None) -> None:
        if self.on_request is not None:
            self.on_request(method, url, status, elapsed)

    def _on_retry(
        self,
        method: str,
        url: str,
        response: Any,
        error: Exception | None,
        elapsed: float | None,
        wait: float,
    ) -> None:
        """Transport retry observer: log the failed attempt and report it to ``on_request``."""
        if url.startswith("/"):
            url = self.endpoints.api_base + url
        url = redact.redact_url(url)
        status = getattr(response, "status", None)
        tid = response.headers.get(const.INTUIT_TID_HEADER) if response is not None else None
        _logger.warning(
            "QBO %s %s -> %s (intuit_tid=%s), retrying in %.2fs",
            method,
            url,
            status or type(error).__name__,
            tid,
            wait,
        )
        self._report(method, url, status, elapsed)


def _transport_error(exc: requests.RequestException) -> errors.TransportError:
    text = str(exc)
    if isinstance(exc, requests.Timeout) or "timed out" in text.lower():
        message = "QuickBooks Online did not answer in time"
    else:
        message = "Could not reach QuickBooks Online"
    error = errors.TransportError(message, detail=redact.redact(text)[:200])
    error.timed_out = message.endswith("in time")
    return error
