"""The sandbox clock: wall time plus an offset that tests can move forward."""

import threading
import time
from datetime import date, datetime, timedelta, timezone, tzinfo

from .const import SERVER_TZ

try:
    from zoneinfo import ZoneInfo

    _TZ: tzinfo = ZoneInfo(SERVER_TZ)
except Exception:  # pragma: no cover - systems without tz data
    _TZ = timezone(timedelta(hours=-8))


class SandboxClock:
    """Server time of the sandbox.

    Everything time-related (MetaData stamps, token expiry, the CDC window) reads this clock,
    so :meth:`advance` lets a test jump hours or days ahead without sleeping.
    """

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def time(self) -> float:
        """Epoch seconds on the sandbox clock."""
        return time.time() + self._offset

    @property
    def offset(self) -> float:
        """Seconds the clock was moved forward (saved with the state)."""
        return self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += float(seconds)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), _TZ)

    def today(self) -> date:
        return self.now().date()

    def stamp(self, at: float | None = None) -> str:
        """MetaData style: ``2015-07-24T10:33:39-07:00``."""
        moment = datetime.fromtimestamp(self.time() if at is None else at, _TZ)
        return moment.replace(microsecond=0).isoformat()

    def response_time(self) -> str:
        """Response ``time`` style, with milliseconds: ``2015-07-24T10:33:39.110-07:00``."""
        return self.now().isoformat(timespec="milliseconds")

    def utc_stamp(self, at: float | None = None) -> str:
        """Webhook style: ``2016-10-05T03:09:04.000Z``."""
        moment = datetime.fromtimestamp(self.time() if at is None else at, timezone.utc)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_moment(text: str) -> datetime:
    """Parse a QBO date or datetime; naive values are read in the server's time zone.

    :raises ValueError: when ``text`` is neither.
    """
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if len(text) == 10:
        parsed = datetime.combine(date.fromisoformat(text), datetime.min.time())
    else:
        parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_TZ)
    return parsed
