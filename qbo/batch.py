"""Batch requests: checking items, splitting them into chunks, matching results by ``bId``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import const, errors

_ITEM_KEYS = frozenset({"bId", "operation", "optionsData"})


@dataclass
class BatchResult:
    """Outcome of one batch item.

    :ivar bid: the item's ``bId``.
    :ivar ok: False when QBO answered a Fault for this item (or no answer at all).
    :ivar entity: QBO's entity key of the answer (``"Invoice"``), ``"QueryResponse"`` for a query.
    :ivar data: the entity (or QueryResponse) QBO returned; ``None`` on failure.
    :ivar error: the typed :class:`~qbo.errors.QboError` of a failed item.
    """

    bid: str
    ok: bool
    entity: str | None = None
    data: dict[str, Any] | None = None
    error: errors.QboError | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


def check_items(items: Iterable[dict[str, Any]], request_id: str | None) -> list[dict[str, Any]]:
    """Validate batch items; return them as a list.

    Every item needs a unique string ``bId`` and either ``operation`` + one entity payload or a
    ``Query``. Writes need a ``request_id``; with one, QBO limits each ``bId`` to 10 characters.
    """
    items = list(items)
    seen: set[str] = set()
    has_writes = False
    for item in items:
        bid = item.get("bId") if isinstance(item, dict) else None
        if not isinstance(bid, str) or not bid:
            raise ValueError(f"Every batch item needs a string bId: {item!r}")
        if bid in seen:
            raise ValueError(f"Duplicate bId {bid!r}")
        seen.add(bid)
        payload_keys = [key for key in item if key not in _ITEM_KEYS]
        if "operation" in item:
            has_writes = True
            if len(payload_keys) != 1:
                raise ValueError(f"Batch item {bid!r} needs exactly one entity payload")
        elif payload_keys != ["Query"]:
            raise ValueError(f"Batch item {bid!r} needs an operation or a Query")
        if request_id and len(bid) > const.MAX_BATCH_ID_LENGTH:
            raise ValueError(
                f"bId {bid!r} is longer than {const.MAX_BATCH_ID_LENGTH} characters, "
                "which QBO refuses on a batch with a requestid"
            )
    if has_writes and not request_id:
        raise ValueError("A batch with writes needs a request_id")
    return items


def chunks(items: list[dict[str, Any]], size: int = const.MAX_BATCH_ITEMS) -> Iterator[list]:
    """Split ``items`` into lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def chunk_request_id(request_id: str, number: int) -> str:
    """Deterministic requestid of chunk ``number`` (1-based), within QBO's 36-character limit.

    The same ``request_id`` always gives the same chunk ids, so retrying a whole batch replays
    the chunks QBO already processed.
    """
    suffix = f"-{number}"
    if len(request_id) + len(suffix) <= const.MAX_BATCH_REQUEST_ID_LENGTH:
        return request_id + suffix
    digest = hashlib.sha256(request_id.encode()).hexdigest()
    return digest[: const.MAX_BATCH_REQUEST_ID_LENGTH - len(suffix)] + suffix


def parse_results(
    body: dict[str, Any], chunk: list[dict[str, Any]], intuit_tid: str | None = None
) -> dict[str, BatchResult]:
    """Match ``BatchItemResponse`` entries to the chunk's items by bId (never by position)."""
    answers = {
        answer.get("bId"): answer
        for answer in body.get("BatchItemResponse") or []
        if isinstance(answer, dict)
    }
    results = {}
    for item in chunk:
        bid = item["bId"]
        answer = answers.get(bid)
        results[bid] = _result(bid, answer, intuit_tid)
    return results


def _result(bid: str, answer: dict[str, Any] | None, intuit_tid: str | None) -> BatchResult:
    if answer is None:
        error = errors.QboError(
            "QuickBooks Online returned no result for this batch item", detail=f"bId={bid}"
        )
        return BatchResult(bid, False, error=error)
    fault = errors.find_fault(answer)
    if fault is not None:
        error = errors.error_from_fault(fault, http_status=200, intuit_tid=intuit_tid)
        return BatchResult(bid, False, error=error, raw=answer)
    for key, value in answer.items():
        if key != "bId" and isinstance(value, dict):
            return BatchResult(bid, True, entity=key, data=value, raw=answer)
    error = errors.QboError("Unexpected batch item answer", detail=f"bId={bid}")
    return BatchResult(bid, False, error=error, raw=answer)
