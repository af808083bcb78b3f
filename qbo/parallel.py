"""Batch calls sent concurrently, each from a thread of its own.

One batch call carries at most 30 items and takes QBO a while to answer; QBO serves up
to ten requests of a company at once. Sending the calls of a bulk push one after the
other leaves that capacity idle: at two seconds a call, thirty calls a minute, below
the forty batch calls a minute QBO allows. Here each call runs in a worker thread with
a fork of the client (its own HTTP session); how many run at once across every
process is the client's ``limiter``'s business (one slot per HTTP attempt).

A worker thread does HTTP only: it never refreshes the token (that is the caller's,
in the caller's thread and transaction). A call refused with 401 because the token
ran out meanwhile is sent again by the caller's own client, which refreshes it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from . import const, errors
from .batch import BatchResult

#: one batch call: its items and its request id
Call = tuple[list[dict[str, Any]], str | None]
#: the outcome of one call: its results by bId, or the error that ended it
Outcome = dict[str, BatchResult] | errors.QboError


class _HandedToken:
    """The access token the calling thread handed over; a worker never refreshes it."""

    def __init__(self, token: str) -> None:
        self.access_token = token

    def refresh(self) -> str:
        return self.access_token


def batches(
    client: Any,
    calls: Sequence[Call],
    *,
    workers: int = const.MAX_CONCURRENT_REQUESTS,
    resend_unsure: bool = True,
) -> list[Outcome]:
    """Send ``calls`` with up to ``workers`` at once; their outcomes, in order.

    A call that fails ends in its :class:`~qbo.errors.QboError` (never raised here), so
    the caller records every call that was answered before it handles one that was not.
    """
    if len(calls) <= 1 or workers <= 1:
        return [_send(client, call, resend_unsure) for call in calls]
    token = client.auth.access_token  # refreshed here, in the caller's thread, if due

    def send(call: Call) -> Outcome:
        return _send(client.fork(_HandedToken(token)), call, resend_unsure)

    # each worker runs in a copy of the caller's context: what its calls are about (the
    # observers read their context variables); a context can be entered by one thread only
    contexts = [contextvars.copy_context() for _call in calls]
    with ThreadPoolExecutor(max_workers=min(workers, len(calls))) as pool:
        outcomes = list(pool.map(lambda ctx, call: ctx.run(send, call), contexts, calls))
    return [
        _send(client, call, resend_unsure)
        if isinstance(outcome, errors.AuthenticationError)
        else outcome
        for call, outcome in zip(calls, outcomes, strict=True)
    ]


def _send(client: Any, call: Call, resend_unsure: bool) -> Outcome:
    items, request_id = call
    try:
        return client.batch(items, request_id, resend_unsure=resend_unsure)
    except errors.QboError as error:
        return error
