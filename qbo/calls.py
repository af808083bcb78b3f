"""What one API call was, for an observer of the client (``QboClient(on_call=...)``).

A :class:`CallRecord` is built once per call of the client's choke point, after its last
attempt (retries, token refresh and re-sends of the transient fault included), whether it
succeeded or raised. Every text in it went through :mod:`.redact`: the same rules as the logs.

Since 2025 Intuit meters the read calls of the Accounting API (queries, reads, CDC); writes
are not metered. :func:`describe` tells them apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import const, redact

#: longest request or response body kept in a record, in characters
MAX_BODY = 20_000
_FROM_RE = re.compile(r"\bfrom\s+(\w+)", re.IGNORECASE)


@dataclass(frozen=True)
class CallRecord:
    """One API call, redacted (see :mod:`qbo.calls`)."""

    method: str
    #: the URL with sensitive query parameters masked
    url: str
    #: QBO's entity name (``Invoice``), ``Batch`` or the entities of a CDC request
    entity: str
    #: ``read``, ``query``, ``cdc``, ``create``, ``update``, ``delete``, ``void``, ``batch``
    operation: str
    #: whether Intuit meters this call as a read
    metered: bool
    request_body: str
    #: HTTP status of the last attempt (``None``: no answer came back)
    status: int | None
    response_body: str
    #: seconds from the first attempt to the last answer
    duration: float
    intuit_tid: str | None
    #: the error the call raised, in words (``""``: it succeeded)
    error: str


#: on_call(record), once per API call
CallHook = Callable[[CallRecord], None]


def describe(
    method: str, path: str, params: dict[str, str] | None, json_body: Any, text: str | None
) -> tuple[str, str, bool]:
    """``(entity, operation, metered)`` of a call of the choke point."""
    params = params or {}
    head = path.split("/", 1)[0].lower()
    if head == "query":
        sql = text if text is not None else params.get("query", "")
        match = _FROM_RE.search(sql)
        return (match.group(1) if match else "", "query", True)
    if head == "cdc":
        return (params.get("entities", ""), "cdc", True)
    if head == "batch":
        items = (json_body or {}).get("BatchItemRequest") or []
        return ("Batch", "batch", any("Query" in item for item in items))
    entity = const.entity_name(head) if head.isalnum() else head
    if method == "GET":
        return (entity, "read", True)
    if params.get("operation"):
        return (entity, params["operation"], False)
    if isinstance(json_body, dict) and "sparse" in json_body:
        return (entity, "update", False)
    return (entity, "create", False)


def body_text(data: bytes | str | None) -> str:
    """A request or response body, redacted and cut to :data:`MAX_BODY` characters."""
    if data is None:
        return ""
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    text = redact.redact(data)
    return text if len(text) <= MAX_BODY else text[:MAX_BODY] + "..."
