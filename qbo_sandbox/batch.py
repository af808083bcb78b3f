"""``POST /batch``: up to 30 items, each succeeding or failing on its own."""

from . import const, faults, query
from .entities import Ctx, lookup
from .ops import check_request_id, write

ITEM_KEYS = ("bId", "operation", "optionsData", "Query")


def _item_entity(item: dict):
    names = [k for k in item if k not in ITEM_KEYS]
    if len(names) != 1:
        raise faults.invalid_property(
            "Property Name:BatchItemRequest specified is unsupported or invalid: an item needs "
            "exactly one entity object or a Query"
        )
    entity = lookup(names[0])
    if entity is None:
        raise faults.invalid_property(
            f"Property Name:{names[0]} specified is unsupported or invalid", names[0]
        )
    return entity, item[names[0]]


def _run_item(company, clock, params, item: dict) -> tuple[dict, list, bool]:
    """Return ``(response without bId, events, was a write)``."""
    if "Query" in item:
        return {"QueryResponse": query.execute(company, item["Query"])}, [], False
    entity, payload = _item_entity(item)
    operation = item.get("operation")
    if not operation:
        raise faults.required("operation")
    if str(item.get("optionsData", "")).lower() == "void":
        operation = "void"
    ctx = Ctx(company, clock, include=(params.get("include") or "").split(","))
    obj = write(ctx, entity, operation, payload)
    return {entity.name: obj}, ctx.events, True


def run(company, clock, params: dict, payload) -> tuple[int, dict, list]:
    items = payload.get("BatchItemRequest") if isinstance(payload, dict) else None
    if not isinstance(items, list) or not items:
        raise faults.required("BatchItemRequest")
    if len(items) > const.BATCH_MAX_ITEMS:
        raise faults.business(
            f"The batch has {len(items)} items; at most {const.BATCH_MAX_ITEMS} are allowed.",
            "BatchItemRequest",
        )
    request_id = params.get("requestid")
    check_request_id(request_id, const.BATCH_REQUESTID_MAX)
    if request_id:
        for item in items:
            bid = str(item.get("bId", ""))
            if len(bid) > const.BATCH_BID_MAX_WITH_REQUESTID:
                raise faults.validation(
                    "2050",
                    const.MSG_LENGTH,
                    "String length specified does not match the supported length. "
                    f"Min:1 Max:{const.BATCH_BID_MAX_WITH_REQUESTID} supplied:{len(bid)} (bId "
                    "with a requestid)",
                    "bId",
                )
    responses, events, budget = [], [], const.BATCH_MAX_OBJECTS
    with company.lock:
        if company.profile.shuffle_batch:  # QBO doesn't promise any order
            items = list(items)
            company.rng.shuffle(items)
        for item in items:
            bid = item.get("bId") if isinstance(item, dict) else None
            key = f"{request_id}\x1f{bid}"
            replayed = company.replay(key, clock.time()) if request_id else None
            if replayed is not None:
                answer = replayed
            else:
                try:
                    if not isinstance(item, dict):
                        raise faults.invalid_property("BatchItemRequest items must be objects")
                    if budget <= 0:  # checked first: a write must not run and then fail
                        raise _over_cap()
                    try:
                        answer, item_events, was_write = _run_item(company, clock, params, item)
                    except faults.QboFault as fault:
                        if request_id and "Query" not in item:
                            company.remember_failure(key, fault, clock.time())
                        raise
                    if _objects(answer) > budget:  # a query whose rows don't fit
                        raise _over_cap()
                    budget -= _objects(answer)
                    events += item_events
                    if request_id and was_write:
                        company.remember(key, answer, clock.time())
                except faults.QboFault as fault:
                    answer = {"Fault": fault.fault()}
            answer["bId"] = bid
            responses.append(answer)
    return 200, {"BatchItemResponse": responses, "time": clock.response_time()}, events


def _over_cap() -> faults.QboFault:
    return faults.business(
        f"A batch answer holds at most {const.BATCH_MAX_OBJECTS} objects; send this item in "
        "another batch.",
        "BatchItemRequest",
    )


def _objects(answer: dict) -> int:
    """How many objects an item's answer holds (the rows of a query, else one)."""
    page = answer.get("QueryResponse")
    if page is None:
        return 1
    return sum(len(rows) for rows in page.values() if isinstance(rows, list))
