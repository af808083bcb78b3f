"""Change Data Capture results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from . import const

#: QBO returns at most this many objects per CDC call, without paging.
MAX_CDC_OBJECTS = 1000


@dataclass
class CdcResult:
    """Changes since a point in time.

    :ivar time: server time of the answer; use it (minus a little overlap) as the next
        ``changed_since``.
    :ivar changed: entity -> full objects created or updated in the window.
    :ivar deleted: entity -> Ids of objects deleted in the window.
    """

    time: str | None
    changed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    deleted: dict[str, list[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(map(len, self.changed.values())) + sum(map(len, self.deleted.values()))

    @property
    def maybe_truncated(self) -> bool:
        """True when QBO's 1000-object cap was reached: ask again with a shorter window."""
        return self.total >= MAX_CDC_OBJECTS

    @classmethod
    def from_response(cls, body: dict[str, Any], entities: list[str]) -> CdcResult:
        result = cls(
            time=body.get("time"),
            changed={name: [] for name in entities},
            deleted={name: [] for name in entities},
        )
        for cdc in body.get("CDCResponse") or []:
            responses = cdc.get("QueryResponse") or []
            if isinstance(responses, dict):
                responses = [responses]
            for response in responses:
                for key, objects in response.items():
                    if isinstance(objects, list):
                        result._add(const.entity_name(key), objects)
        return result

    def _add(self, entity: str, objects: list[dict[str, Any]]) -> None:
        for obj in objects:
            if obj.get("status") == "Deleted":
                self.deleted.setdefault(entity, []).append(str(obj.get("Id")))
            else:
                self.changed.setdefault(entity, []).append(obj)


def format_since(changed_since: datetime | date | str) -> str:
    """``changedSince`` value: ISO datetime with offset (naive datetimes are refused) or date."""
    if isinstance(changed_since, datetime):
        if changed_since.tzinfo is None:
            raise ValueError("changed_since must be timezone-aware")
        return changed_since.isoformat(timespec="seconds")
    if isinstance(changed_since, date):
        return changed_since.isoformat()
    if isinstance(changed_since, str) and changed_since:
        return changed_since
    raise TypeError("changed_since must be a datetime, a date or an ISO string")
