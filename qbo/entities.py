"""The entity operations of :class:`~qbo.client.QboClient`: reads, writes, queries, CDC, batches.

Each one builds its path and payload and hands them to the client's one choke point,
``_request`` (see :mod:`qbo.client`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from urllib.parse import quote as url_quote

from . import const, errors, query
from .batch import BatchResult, check_items, chunk_request_id, chunks, parse_results
from .cdc import CdcResult, format_since


class EntityOperations:
    """What a client does with QBO objects; mixed into :class:`~qbo.client.QboClient`,
    which provides ``realm_id`` and ``_request``."""

    realm_id: str

    # ------------------------------------------------------------------ entity operations
    def read(self, entity: str, id: str | int) -> dict[str, Any]:
        """``GET /{entity}/{id}``; a deleted transaction raises ObjectNotFoundError(deleted)."""
        name = const.entity_name(entity)
        body = self._request("GET", f"{name.lower()}/{url_quote(str(id), safe='')}")
        return self._entity(body, name)

    def create(
        self,
        entity: str,
        payload: dict[str, Any],
        request_id: str,
        *,
        resend_unsure: bool = True,
    ) -> dict[str, Any]:
        """``POST /{entity}``; ``request_id`` asks QBO to replay a retry instead of writing twice.

        ``resend_unsure=False``: a failure after which QBO may have written the object (timeout,
        reset, 5xx, the transient 6000) is raised at once instead of re-sent, for callers that
        look for the object before they write again (QBO does not always honour ``requestid``).
        """
        name = const.entity_name(entity)
        body = self._write(name, payload, request_id, resend_unsure=resend_unsure)
        return self._entity(body, name)

    def update(
        self, entity: str, payload: dict[str, Any], request_id: str, sparse: bool = True
    ) -> dict[str, Any]:
        """``POST /{entity}`` with ``Id`` + ``SyncToken``; sparse unless told otherwise.

        A full update (``sparse=False``) clears every writable field left out of ``payload``.
        """
        if not payload.get("Id") or payload.get("SyncToken") in (None, ""):
            raise ValueError("An update needs the Id and SyncToken of the object")
        name = const.entity_name(entity)
        body = self._write(name, dict(payload, sparse=bool(sparse)), request_id)
        return self._entity(body, name)

    def delete(
        self, entity: str, id: str | int, sync_token: str | int, request_id: str
    ) -> dict[str, Any]:
        """``POST /{entity}?operation=delete`` (transactions only); returns the ``Deleted`` stub."""
        return self._operation(entity, "delete", id, sync_token, request_id)

    def void(
        self, entity: str, id: str | int, sync_token: str | int, request_id: str
    ) -> dict[str, Any]:
        """``POST /{entity}?operation=void``; QBO zeroes the amounts and keeps the record."""
        return self._operation(entity, "void", id, sync_token, request_id)

    def preferences(self) -> dict[str, Any]:
        """The company's Preferences (CustomTxnNumbers, currencies, tax prefs...)."""
        return self._entity(self._request("GET", "preferences"), "Preferences")

    def company_info(self) -> dict[str, Any]:
        """The company's CompanyInfo (name, Country, SubscriptionStatus...)."""
        path = f"companyinfo/{url_quote(self.realm_id, safe='')}"
        return self._entity(self._request("GET", path), "CompanyInfo")

    # -------------------------------------------------------------------------- queries
    def query(self, sql: str) -> dict[str, Any]:
        """Run one query; returns the raw ``QueryResponse`` (one page).

        Long queries (e.g. ``Id IN (...)`` with many ids) are POSTed as text instead of GET.
        """
        if len(sql) <= const.MAX_GET_QUERY_LENGTH:
            body = self._request("GET", "query", params={"query": sql})
        else:
            body = self._request("POST", "query", text=sql)
        response = body.get("QueryResponse")
        if not isinstance(response, dict):
            raise errors.QboError("QuickBooks Online sent no QueryResponse", detail=sql[:100])
        return response

    def query_all(
        self,
        entity: str,
        where: str | None = None,
        order_by: str | None = None,
        page_size: int = const.MAX_QUERY_RESULTS,
    ) -> list[dict[str, Any]]:
        """Every matching object, paging with STARTPOSITION/MAXRESULTS until a short page.

        Give an ``order_by`` (e.g. ``"Id"``) when the data may change while paging.
        """
        results: list[dict[str, Any]] = []
        while True:
            sql = query.select(entity, where, order_by, len(results) + 1, page_size)
            page = query.rows(self.query(sql))
            results.extend(page)
            if len(page) < page_size:
                return results

    def count(self, entity: str, where: str | None = None) -> int:
        """``SELECT COUNT(*)``: how many objects match."""
        return int(self.query(query.count(entity, where)).get("totalCount") or 0)

    def cdc(self, entities: str | Iterable[str], changed_since: datetime | date | str) -> CdcResult:
        """Objects changed or deleted since ``changed_since`` (at most 30 days back)."""
        names = [
            const.entity_name(e) for e in ([entities] if isinstance(entities, str) else entities)
        ]
        if not names:
            raise ValueError("cdc needs at least one entity")
        params = {"entities": ",".join(names), "changedSince": format_since(changed_since)}
        return CdcResult.from_response(self._request("GET", "cdc", params=params), names)

    def batch(
        self,
        items: Iterable[dict[str, Any]],
        request_id: str | None = None,
        *,
        resend_unsure: bool = True,
    ) -> dict[str, BatchResult]:
        """Run batch items (``bId`` + ``operation`` + entity payload, or ``bId`` + ``Query``).

        Items are sent in chunks of at most 30, chunk ``n`` with requestid
        ``chunk_request_id(request_id, n)``; results are matched by bId and returned in input
        order. If a chunk fails as a whole the error is raised: call again with the same
        ``request_id`` and QBO replays the chunks it already processed. ``resend_unsure``: as
        for :meth:`create`.
        """
        items = check_items(items, request_id)
        if request_id is not None:
            self._check_request_id(request_id)
        results: dict[str, BatchResult] = {}
        for number, chunk in enumerate(chunks(items), 1):
            chunk_id = chunk_request_id(request_id, number) if request_id else None
            response = self._request(
                "POST",
                "batch",
                json_body={"BatchItemRequest": chunk},
                request_id=chunk_id,
                resend_unsure=resend_unsure,
            )
            results.update(parse_results(response, chunk))
        return results

    # -------------------------------------------------------------------------- helpers
    def _write(
        self,
        name: str,
        payload: dict[str, Any],
        request_id: str,
        resend_unsure: bool = True,
        **params: str,
    ) -> dict:
        self._check_request_id(request_id)
        if not isinstance(payload, dict):
            raise TypeError("The payload must be a dict")
        return self._request(
            "POST",
            name.lower(),
            params=params or None,
            json_body=payload,
            request_id=request_id,
            resend_unsure=resend_unsure,
        )

    def _operation(
        self, entity: str, operation: str, id: str | int, sync_token: str | int, request_id: str
    ) -> dict[str, Any]:
        name = const.entity_name(entity)
        payload = {"Id": str(id), "SyncToken": str(sync_token)}
        return self._entity(self._write(name, payload, request_id, operation=operation), name)

    @staticmethod
    def _check_request_id(request_id: str) -> None:
        if not isinstance(request_id, str) or not request_id.strip():
            raise ValueError("Every write needs a request_id (a string unique per company)")
        if len(request_id) > const.MAX_REQUEST_ID_LENGTH:
            raise ValueError(f"request_id is longer than {const.MAX_REQUEST_ID_LENGTH} characters")

    @staticmethod
    def _entity(body: dict[str, Any], name: str) -> dict[str, Any]:
        if isinstance(body.get(name), dict):
            return body[name]
        for key, value in body.items():
            if key.lower() == name.lower() and isinstance(value, dict):
                return value
        raise errors.QboError(f"QuickBooks Online sent no {name} in its response")
