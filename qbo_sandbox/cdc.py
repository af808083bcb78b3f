"""Change Data Capture: ``GET /cdc?entities=A,B&changedSince=...``."""

import copy
from datetime import timedelta

from . import const, faults
from .clock import parse_moment
from .entities import lookup


def _changed_since(clock, text: str | None):
    if not text:
        raise faults.required("changedSince")
    try:
        since = parse_moment(text)
    except ValueError:
        raise faults.invalid_property(
            f"Property Name:changedSince specified is unsupported or invalid: {text}",
            "changedSince",
        ) from None
    if since < clock.now() - timedelta(days=const.CDC_WINDOW_DAYS):
        raise faults.validation(
            "6000",
            const.MSG_BUSINESS,
            "Business Validation Error: changedSince must be within the last "
            f"{const.CDC_WINDOW_DAYS} days; it was {text}.",
            "changedSince",
        )
    return since


def run(company, clock, params: dict) -> dict:
    names = [n.strip() for n in (params.get("entities") or "").split(",") if n.strip()]
    if not names:
        raise faults.required("entities")
    since = _changed_since(clock, params.get("changedSince"))
    entities = []
    for name in names:
        entity = lookup(name)
        if entity is None or not entity.cdc:
            raise faults.validation(
                "2010",
                const.MSG_INVALID_PROPERTY,
                f"Property Name:entities specified is unsupported or invalid: {name} is not "
                "supported by ChangeDataCapture",
                "entities",
            )
        entities.append(entity)
    budget = const.CDC_MAX_OBJECTS
    responses = []
    for entity in entities:

        def changed(obj):
            return parse_moment(obj["MetaData"]["LastUpdatedTime"])

        active = sorted(
            (o for o in company.values(entity.name) if changed(o) >= since), key=changed
        )
        deleted = sorted(
            (
                {
                    "status": "Deleted",
                    "domain": "QBO",
                    "Id": obj_id,
                    "MetaData": {"LastUpdatedTime": stamp},
                }
                for obj_id, stamp in company.deleted(entity.name).items()
                if parse_moment(stamp) >= since
            ),
            key=changed,
        )
        rows = copy.deepcopy((active + deleted)[:budget])
        budget -= len(rows)
        if rows:
            responses.append({entity.name: rows, "startPosition": 1, "maxResults": len(rows)})
        else:
            responses.append({})
    return {"CDCResponse": [{"QueryResponse": responses}], "time": clock.response_time()}
