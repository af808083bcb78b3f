"""Typed exceptions for QuickBooks Online API and OAuth failures.

Hierarchy::

    QboError
    ├── AuthenticationError          401 / 3200 / 100, invalid_client
    ├── AuthorizationError           403 / 3100 / 120
    │   └── ReconnectRequired        invalid_grant on refresh: the user must connect again
    ├── ThrottledError               429 / 3001 (retryable, ``retry_after``)
    ├── ValidationError              400 business and request faults
    │   ├── DuplicateDocNumberError  6140 (``existing_txn_id``)
    │   ├── DuplicateNameError       6240
    │   ├── ObjectNotFoundError      610 (``deleted``)
    │   ├── StaleObjectError         5010
    │   └── QueryError               4000 / 4001 / 4002
    ├── TransientError               6000 "... wait a few minutes and try again" (retryable)
    ├── ServerError                  5xx / 10000 (retryable)
    ├── TransportError               connection errors and timeouts (retryable)
    └── WebhookPayloadError          a webhook body that is not a QBO notification

:func:`error_from_fault` and :func:`error_from_response` turn both fault shapes QBO uses (the
API's ``Fault/Error/Message/Detail/code`` and the gateway's lower-case
``fault/error/message/detail/code``) and non-JSON bodies into one of these.
"""

from __future__ import annotations

import json
import re
from typing import Any

_MAX_STR = 300

_TRANSIENT_RE = re.compile(r"wait a few minutes", re.IGNORECASE)
_TXN_ID_RE = re.compile(r"TxnId=(\w+)")
_TXN_TYPE_RE = re.compile(r"TxnType=(.+?) with TxnId=")
_DELETED_RE = re.compile(r"deleted this transaction", re.IGNORECASE)
_GATEWAY_CODE_RE = re.compile(r"errorCode=0*(\d+)")
_XML_CODE_RE = re.compile(r"<Error[^>]*\bcode=\"(\d+)\"", re.IGNORECASE)
_XML_MESSAGE_RE = re.compile(r"<Message>(.*?)</Message>", re.IGNORECASE | re.DOTALL)
_XML_DETAIL_RE = re.compile(r"<Detail>(.*?)</Detail>", re.IGNORECASE | re.DOTALL)


class QboError(Exception):
    """Base class of every error raised by :mod:`qbo`.

    :ivar code: QBO error code as a string (``"6240"``), or an OAuth error (``"invalid_grant"``).
    :ivar message: QBO's short ``Message``.
    :ivar detail: QBO's ``Detail`` (the useful part, usually).
    :ivar element: the field QBO blames, when it names one.
    :ivar http_status: HTTP status of the response (200 for faults inside a batch item).
    :ivar intuit_tid: Intuit's transaction id of the response, for support requests.
    :ivar fault_type: the Fault ``type`` (``ValidationFault``...).
    :ivar errors: every error of the Fault, as dicts with code/message/detail/element.
    """

    retryable = False

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        detail: str = "",
        element: str = "",
        http_status: int | None = None,
        intuit_tid: str | None = None,
        fault_type: str | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        self.message = message or ""
        self.code = code
        self.detail = detail or ""
        self.element = element or ""
        self.http_status = http_status
        self.intuit_tid = intuit_tid
        self.fault_type = fault_type
        self.errors = errors or []
        super().__init__(self.message)

    def __str__(self) -> str:
        message, detail = self.message.strip(), self.detail.strip()
        if not detail or detail == message:
            text = message
        elif not message or detail.startswith(message):
            text = detail
        else:
            text = f"{message}: {detail}"
        text = text or f"QuickBooks Online error {self.code or ''}".strip()
        return text if len(text) <= _MAX_STR else text[: _MAX_STR - 1] + "…"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, http_status={self.http_status!r}, "
            f"message={self.message!r}, detail={self.detail!r}, intuit_tid={self.intuit_tid!r})"
        )


class AuthenticationError(QboError):
    """The access token (or the app's credentials) was not accepted."""


class AuthorizationError(QboError):
    """The app may not access this company (scope, realm, environment, user rights)."""


class ReconnectRequired(AuthorizationError):
    """The refresh token is no longer valid: the user must connect the company again.

    :ivar reason: Intuit's ``x_error_reason`` when it gave one, e.g. ``user_not_in_realm``
        (the user who connected was removed from the company).
    """

    USER_NOT_IN_REALM = "user_not_in_realm"

    def __init__(self, *args: Any, reason: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason = reason


class ThrottledError(QboError):
    """QBO's rate limits were hit.

    :ivar retry_after: seconds the server asked to wait (``Retry-After``), or ``None``.
    """

    retryable = True
    #: seconds to wait when QBO throttles without saying how long (an XML 429 has no header)
    DEFAULT_WAIT = 60

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after

    @property
    def wait_seconds(self) -> float:
        """How long to wait before asking again: QBO's ``Retry-After``, else a minute."""
        return self.retry_after or self.DEFAULT_WAIT


class ValidationError(QboError):
    """QBO rejected the request (HTTP 400 business or request validation)."""


class DuplicateDocNumberError(ValidationError):
    """6140: the DocNumber is already used.

    :ivar existing_txn_id: Id of the transaction holding the number, parsed from the Detail.
    :ivar existing_txn_type: its TxnType as QBO words it (``"Invoice"``, ``"Journal Entry"``).
    """

    @property
    def existing_txn_id(self) -> str | None:
        match = _TXN_ID_RE.search(self.detail)
        return match.group(1) if match else None

    @property
    def existing_txn_type(self) -> str | None:
        match = _TXN_TYPE_RE.search(self.detail)
        return match.group(1).strip() if match else None


class DuplicateNameError(ValidationError):
    """6240: the name (DisplayName, Item Name...) is already used."""


class ObjectNotFoundError(ValidationError):
    """610: the object, or an object it refers to, does not exist or is inactive.

    ``deleted`` tells the "Another user has deleted this transaction" variant apart.
    """

    @property
    def deleted(self) -> bool:
        return bool(_DELETED_RE.search(self.detail))


class StaleObjectError(ValidationError):
    """5010: the SyncToken is outdated; read the object again and re-apply the change."""


class QueryError(ValidationError):
    """4000/4001/4002: the query could not be parsed or run."""


class TransientError(QboError):
    """6000 "... Please wait a few minutes and try again".

    The write may have been saved anyway: retry with the same requestid.
    """

    retryable = True


class ServerError(QboError):
    """QBO failed (HTTP 5xx or SystemFault 10000)."""

    retryable = True


class TransportError(QboError):
    """No usable HTTP response: connection refused or reset, timeout, TLS failure."""

    retryable = True
    #: no answer in time: QBO may still be working on the request
    timed_out = False


class WebhookPayloadError(QboError):
    """A webhook body is not a QBO notification in either known format."""


_CODE_CLASSES: dict[str, type[QboError]] = {
    "100": AuthenticationError,
    "3200": AuthenticationError,
    "120": AuthorizationError,
    "3100": AuthorizationError,
    "3001": ThrottledError,
    "610": ObjectNotFoundError,
    "5010": StaleObjectError,
    "6140": DuplicateDocNumberError,
    "6240": DuplicateNameError,
    "4000": QueryError,
    "4001": QueryError,
    "4002": QueryError,
    "10000": ServerError,
}


def _error_class(status: int | None, code: str | None, detail: str) -> type[QboError]:
    if code == "6000" and _TRANSIENT_RE.search(detail):
        return TransientError
    if status == 401:
        return AuthenticationError
    if status == 429:
        return ThrottledError
    if code in _CODE_CLASSES:
        return _CODE_CLASSES[code]
    if status == 403:
        return AuthorizationError
    if status is not None and status >= 500:
        return ServerError
    if status is None or status < 300 or 400 <= status < 500:
        return ValidationError
    return QboError


def _lower_keys(data: dict[str, Any]) -> dict[str, Any]:
    return {str(key).lower(): value for key, value in data.items()}


def find_fault(body: Any) -> dict[str, Any] | None:
    """Return the Fault object of a decoded response body (either spelling), or ``None``."""
    if not isinstance(body, dict):
        return None
    fault = body.get("Fault", body.get("fault"))
    return fault if isinstance(fault, dict) else None


def parse_fault(fault: dict[str, Any]) -> tuple[str | None, list[dict[str, str]]]:
    """Return the fault type and its errors normalised to code/message/detail/element."""
    fault = _lower_keys(fault)
    raw_errors = fault.get("error") or []
    if isinstance(raw_errors, dict):
        raw_errors = [raw_errors]
    errors = []
    for raw in raw_errors:
        if not isinstance(raw, dict):
            continue
        item = _lower_keys(raw)
        message = str(item.get("message") or "")
        code = item.get("code")
        if code in (None, "", "0"):
            match = _GATEWAY_CODE_RE.search(message)
            code = match.group(1) if match else code
        errors.append(
            {
                "code": None if code is None else str(code),
                "message": message,
                "detail": str(item.get("detail") or ""),
                "element": str(item.get("element") or ""),
            }
        )
    return fault.get("type"), errors


def error_from_fault(
    fault: dict[str, Any],
    http_status: int | None = None,
    intuit_tid: str | None = None,
    retry_after: float | None = None,
) -> QboError:
    """Build the typed error of a Fault object; the first error decides the class."""
    fault_type, errors = parse_fault(fault)
    first = errors[0] if errors else {"code": None, "message": "", "detail": "", "element": ""}
    if not first["message"] and not first["detail"]:
        first = dict(first, message=f"QuickBooks Online {fault_type or 'fault'}")
    return _build(
        http_status,
        first,
        intuit_tid=intuit_tid,
        fault_type=fault_type,
        errors=errors,
        retry_after=retry_after,
    )


def error_from_response(
    http_status: int,
    text: str,
    intuit_tid: str | None = None,
    retry_after: float | None = None,
    reason: str = "",
) -> QboError:
    """Build the typed error of a failed HTTP response, whatever its body is."""
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    fault = find_fault(body)
    if fault is not None:
        return error_from_fault(fault, http_status, intuit_tid, retry_after)
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        # OAuth error body: {"error": "invalid_grant", "error_description": "..."}
        item = {
            "code": body["error"],
            "message": body["error"],
            "detail": str(body.get("error_description") or ""),
            "element": "",
        }
        return _build(http_status, item, intuit_tid=intuit_tid, retry_after=retry_after)
    return _build(
        http_status, _parse_text(text, http_status, reason), intuit_tid, retry_after=retry_after
    )


def _parse_text(text: str, http_status: int, reason: str) -> dict[str, str]:
    """Read an XML fault (QBO answers XML to some auth failures) or summarise any other body."""
    code = _XML_CODE_RE.search(text or "")
    message = _XML_MESSAGE_RE.search(text or "")
    detail = _XML_DETAIL_RE.search(text or "")
    if code or message:
        return {
            "code": code.group(1) if code else None,
            "message": message.group(1).strip() if message else "",
            "detail": detail.group(1).strip() if detail else "",
            "element": "",
        }
    snippet = " ".join((text or "").split())[:200]
    return {
        "code": None,
        "message": f"HTTP {http_status} {reason}".strip(),
        "detail": snippet,
        "element": "",
    }


def _build(
    http_status: int | None,
    item: dict[str, Any],
    intuit_tid: str | None = None,
    fault_type: str | None = None,
    errors: list[dict[str, str]] | None = None,
    retry_after: float | None = None,
) -> QboError:
    cls = _error_class(http_status, item.get("code"), item.get("detail") or "")
    kwargs: dict[str, Any] = {
        "code": item.get("code"),
        "detail": item.get("detail") or "",
        "element": item.get("element") or "",
        "http_status": http_status,
        "intuit_tid": intuit_tid,
        "fault_type": fault_type,
        "errors": errors if errors is not None else [item],
    }
    if issubclass(cls, ThrottledError):
        kwargs["retry_after"] = retry_after
    return cls(item.get("message") or "", **kwargs)
