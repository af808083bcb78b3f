"""Building QBO query strings safely.

QBO's query language takes single-quoted literals in which a quote is escaped with a backslash
(``'Amy\\'s Bird Sanctuary'``). Values are never pasted into a query unescaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from . import const


def quote(value: str | int | float | Decimal | date | datetime) -> str:
    """Return ``value`` as a QBO string literal: ``'...'`` with ``\\`` and ``'`` escaped.

    Dates and datetimes use ISO format; QBO compares numbers given as quoted strings too.
    """
    if value is None or isinstance(value, bool):
        raise TypeError(f"Cannot quote {value!r}; write true/false/null conditions by hand")
    if isinstance(value, (date, datetime)):
        text = value.isoformat()
    elif isinstance(value, (str, int, float, Decimal)):
        text = str(value)
    else:
        raise TypeError(f"Cannot quote a {type(value).__name__}")
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def in_list(values: Iterable[str | int | float | Decimal | date | datetime]) -> str:
    """Return ``('a','b')`` for an ``IN`` condition; an empty list is an error."""
    quoted = [quote(value) for value in values]
    if not quoted:
        raise ValueError("An IN list needs at least one value")
    return "(" + ",".join(quoted) + ")"


def select(
    entity: str,
    where: str | None = None,
    order_by: str | None = None,
    start_position: int | None = None,
    max_results: int | None = None,
) -> str:
    """``SELECT * FROM entity [WHERE ...] [ORDERBY ...] [STARTPOSITION n] [MAXRESULTS n]``.

    ``where`` and ``order_by`` are raw query text: build their literals with :func:`quote`.
    """
    sql = f"SELECT * FROM {const.entity_name(entity)}"
    if where:
        sql += f" WHERE {where}"
    if order_by:
        sql += f" ORDERBY {order_by}"
    if start_position is not None:
        sql += f" STARTPOSITION {int(start_position)}"
    if max_results is not None:
        if not 1 <= int(max_results) <= const.MAX_QUERY_RESULTS:
            raise ValueError(f"MAXRESULTS must be between 1 and {const.MAX_QUERY_RESULTS}")
        sql += f" MAXRESULTS {int(max_results)}"
    return sql


def count(entity: str, where: str | None = None) -> str:
    """``SELECT COUNT(*) FROM entity [WHERE ...]``."""
    sql = f"SELECT COUNT(*) FROM {const.entity_name(entity)}"
    return f"{sql} WHERE {where}" if where else sql


def rows(query_response: dict) -> list[dict]:
    """The objects of a ``QueryResponse`` (whatever the entity key is), or ``[]``."""
    for key, value in query_response.items():
        if key not in ("startPosition", "maxResults", "totalCount") and isinstance(value, list):
            return value
    return []
