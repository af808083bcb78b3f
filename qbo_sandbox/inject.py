"""Fault injection: make the next N matching requests fail in a chosen way."""

import threading
from dataclasses import dataclass

from .const import INJECT_KINDS


@dataclass
class Injection:
    kind: str
    remaining: int
    realm_id: str | None = None
    path: str | None = None
    method: str | None = None
    retry_after: int | None = None
    #: matching requests let through before the fault starts (aims at a later request)
    skip: int = 0

    def matches(self, method: str, path: str, realm_id: str | None, is_update: bool) -> bool:
        if self.realm_id is not None and self.realm_id != realm_id:
            return False
        if self.method is not None and self.method.upper() != method:
            return False
        if self.path is not None and self.path.lower() not in path.lower():
            return False
        return is_update or self.kind != "5010"


class Injector:
    def __init__(self):
        self._items: list[Injection] = []
        self._lock = threading.Lock()

    def add(
        self, kind, count=1, *, realm_id=None, path=None, method=None, retry_after=None, skip=0
    ):
        kind = str(kind)
        if kind not in INJECT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {INJECT_KINDS}")
        if count < 1:
            raise ValueError("count must be at least 1")
        if skip < 0:
            raise ValueError("skip must not be negative")
        with self._lock:
            self._items.append(
                Injection(kind, int(count), realm_id, path, method, retry_after, int(skip))
            )

    def take(self, method: str, path: str, realm_id: str | None, is_update=False, by_path=False):
        """The first pending injection matching the request (consumed), or None.

        ``by_path``: only injections aimed at this path count (the token endpoint is hit only
        by faults injected with ``path=``, never by ones meant for the Accounting API).
        """
        with self._lock:
            for item in self._items:
                if by_path and item.path is None:
                    continue
                if item.matches(method, path, realm_id, is_update):
                    if item.skip:
                        item.skip -= 1
                        return None
                    item.remaining -= 1
                    if item.remaining <= 0:
                        self._items.remove(item)
                    return item
        return None

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
