"""QBO throttles per realm: requests per minute, concurrent requests, batches per minute."""

import math
import threading
import time
from collections import defaultdict, deque

from . import const


class Limits:
    """Sliding one-minute windows on real (monotonic) time divided by ``time_scale``."""

    def __init__(self):
        self.enabled = False
        self.time_scale = 1.0
        self._lock = threading.Lock()
        self._requests: dict[str, deque] = defaultdict(deque)
        self._batches: dict[str, deque] = defaultdict(deque)
        self._in_flight: dict[str, int] = defaultdict(int)
        #: the most requests of a realm in flight at once since :meth:`reset_peak`
        self.peak: dict[str, int] = defaultdict(int)

    def configure(self, enabled: bool = True, time_scale: float = 1.0) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        with self._lock:
            self.enabled = bool(enabled)
            self.time_scale = float(time_scale)
            self._requests.clear()
            self._batches.clear()

    def scaled(self, seconds: float) -> int:
        """Seconds for a Retry-After header: scaled, rounded up, at least 1."""
        return max(1, math.ceil(seconds / self.time_scale))

    def acquire(self, realm_id: str, batch: bool = False) -> int | None:
        """Admit a request (``None``) or return the Retry-After seconds of a 429."""
        window = 60.0 / self.time_scale
        now = time.monotonic()
        with self._lock:
            if not self.enabled:
                self._admit(realm_id)
                return None
            checks = [(self._requests[realm_id], const.REQUESTS_PER_MINUTE)]
            if batch:
                checks.append((self._batches[realm_id], const.BATCHES_PER_MINUTE))
            for stamps, limit in checks:
                while stamps and stamps[0] <= now - window:
                    stamps.popleft()
                if len(stamps) >= limit:
                    return max(1, math.ceil(stamps[0] + window - now))
            if self._in_flight[realm_id] >= const.MAX_CONCURRENT:
                return 1
            for stamps, _limit in checks:
                stamps.append(now)
            self._admit(realm_id)
            return None

    def _admit(self, realm_id: str) -> None:
        self._in_flight[realm_id] += 1
        self.peak[realm_id] = max(self.peak[realm_id], self._in_flight[realm_id])

    def reset_peak(self) -> None:
        with self._lock:
            self.peak.clear()

    def release(self, realm_id: str) -> None:
        with self._lock:
            self._in_flight[realm_id] = max(0, self._in_flight[realm_id] - 1)
