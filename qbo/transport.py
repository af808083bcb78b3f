"""HTTP transport: a requests session whose adapter retries with urllib3's :class:`Retry`.

QBO answers throttling with 429 (+ ``Retry-After``) and outages with 5xx; connections get reset
and reads time out. All of these are retried inside urllib3 with exponential backoff, honouring
``Retry-After``. POST is retried too: every write carries a ``requestid`` that QBO uses to replay
the first answer instead of writing twice.

:class:`QboRetry` adds what :class:`Retry` lacks: a cap on the total time spent waiting
(``max_wait``; a ``Retry-After`` beyond it ends the retries so the caller gets a
:class:`~qbo.errors.ThrottledError` and can reschedule), fractional ``Retry-After`` values, and an
observer told about every attempt that is retried (for logging and request counting).
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from . import const

_logger = logging.getLogger(__name__)

#: observer(method, url, response or None, error or None, elapsed, next_wait): one failed attempt
RetryObserver = Callable[[str, str, Any, "Exception | None", "float | None", float], None]

_clock = threading.local()


def mark_attempt() -> None:
    """Note that an HTTP attempt starts now (per thread)."""
    _clock.start = time.monotonic()


def attempt_elapsed() -> float | None:
    """Seconds since the current thread's attempt started, if known."""
    start = getattr(_clock, "start", None)
    return None if start is None else time.monotonic() - start


class QboRetry(Retry):
    """:class:`Retry` with a total wait budget, float ``Retry-After`` and an attempt observer.

    :param max_wait: the longest total time (seconds) a request may spend between its first failed
        attempt and its last retry.
    :param stop_at: ``time.monotonic()`` seconds after which no retry starts (a call's deadline).
    :param observer: called for every failed attempt that will be retried.
    """

    def __init__(
        self,
        *args: Any,
        max_wait: float = 120.0,
        deadline: float | None = None,
        stop_at: float | None = None,
        observer: RetryObserver | None = None,
        **kwargs: Any,
    ) -> None:
        # The caller reads the last response itself: neither a status nor a redirect raises.
        kwargs.setdefault("raise_on_status", False)
        kwargs.setdefault("raise_on_redirect", False)
        super().__init__(*args, **kwargs)
        self.max_wait = max_wait
        self.deadline = deadline
        self.stop_at = stop_at
        self.observer = observer

    def new(self, **kwargs: Any) -> QboRetry:
        kwargs.setdefault("max_wait", self.max_wait)
        kwargs.setdefault("deadline", self.deadline)
        kwargs.setdefault("stop_at", self.stop_at)
        kwargs.setdefault("observer", self.observer)
        return super().new(**kwargs)

    def parse_retry_after(self, retry_after: str) -> float:
        seconds = parse_retry_after(retry_after)
        return super().parse_retry_after(retry_after) if seconds is None else seconds

    def next_wait(self, response: Any = None) -> float:
        """How long :meth:`sleep` will wait before the next attempt."""
        if self.respect_retry_after_header and response is not None:
            retry_after = self.get_retry_after(response)
            if retry_after:
                return retry_after
        return self.get_backoff_time()

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> QboRetry:
        elapsed = attempt_elapsed()
        new_retry = super().increment(method, url, response, error, _pool, _stacktrace)
        now = time.monotonic()
        new_retry.deadline = self.deadline if self.deadline is not None else now + self.max_wait
        wait = new_retry.next_wait(response)
        status = getattr(response, "status", None)
        limit = min(new_retry.deadline, self.stop_at or new_retry.deadline)
        if now + wait > limit:
            cause = ResponseError.SPECIFIC_ERROR.format(status_code=status) if status else "timeout"
            _logger.warning(
                "QBO %s %s: giving up, next retry in %.1fs exceeds the %.0fs retry budget",
                method,
                url,
                wait,
                self.max_wait,
            )
            raise MaxRetryError(_pool, url, error or ResponseError(cause))
        if self.observer is not None:
            self.observer(method or "", url or "", response, error, elapsed, wait)
        return new_retry

    def sleep(self, response: Any = None) -> None:
        super().sleep(response)
        mark_attempt()


def parse_retry_after(value: str | None) -> float | None:
    """Seconds of a ``Retry-After`` header (number or HTTP date), ``None`` when absent/invalid."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def make_retry(
    max_retries: int,
    backoff_factor: float,
    max_wait: float,
    observer: RetryObserver | None = None,
    *,
    resend_unsure: bool = True,
    stop_at: float | None = None,
) -> QboRetry:
    """The retry policy of the Accounting API (see module docstring).

    With ``resend_unsure=False`` only what QBO cannot have written is retried: a connection
    that never opened, and 429. A timeout, a reset after sending or a 5xx may come after QBO
    committed the write; the caller then finds out by reading before it writes again, since
    QBO does not always honour ``requestid``. ``stop_at`` (``time.monotonic()`` seconds):
    no retry starts after it.
    """
    return QboRetry(
        total=max_retries,
        connect=max_retries,
        read=max_retries if resend_unsure else 0,
        status=max_retries,
        other=0,
        redirect=0,
        status_forcelist=const.RETRY_STATUSES if resend_unsure else {429},
        allowed_methods=const.RETRY_METHODS,
        backoff_factor=backoff_factor,
        respect_retry_after_header=True,
        max_wait=max_wait,
        stop_at=stop_at,
        observer=observer,
    )


def make_session(
    prefix: str, retry: Retry, session: requests.Session | None = None
) -> requests.Session:
    """Return ``session`` (or a new one) with a retrying adapter mounted on ``prefix``."""
    session = session or requests.Session()
    session.mount(prefix.rstrip("/") + "/", HTTPAdapter(max_retries=retry))
    return session
