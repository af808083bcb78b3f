"""The Accounting API behind ``/v3/company/{realmId}/...``: reads, writes, query, replay."""

from . import batch, cdc, const, faults, query
from .entities import Ctx, lookup
from .ops import check_request_id, parse_json, write

QUERY_CONTENT_TYPES = ("application/text", "text/plain")


def dispatch(sandbox, company, method: str, segments: list[str], params: dict, headers, body):
    """Serve one API call; return ``(status, body dict, events)`` or raise QboFault."""
    clock = sandbox.clock
    head = segments[0].lower() if segments else ""
    ctx = Ctx(company, clock, include=(params.get("include") or "").split(","))
    if head == "query" and len(segments) == 1:
        if method == "GET":
            text = params.get("query")
        else:
            content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type not in QUERY_CONTENT_TYPES:
                raise faults.validation(
                    "415",
                    "Unsupported Media Type",
                    f"Unsupported Media Type: send the query as text/plain, not {content_type}",
                )
            text = body.decode("utf-8", "replace")
        with company.lock:
            result = query.execute(company, text or "")
        return 200, {"QueryResponse": result, "time": clock.response_time()}, []
    if head == "cdc" and method == "GET" and len(segments) == 1:
        with company.lock:
            return 200, cdc.run(company, clock, params), []
    if head == "batch" and method == "POST" and len(segments) == 1:
        return batch.run(company, clock, params, parse_json(body))
    entity = lookup(head)
    if entity is None:
        raise faults.not_found_url("/" + "/".join(segments))
    if method == "GET":
        if len(segments) == 2 or (len(segments) == 1 and entity.name == "Preferences"):
            obj_id = segments[1] if len(segments) == 2 else "1"
            entity.check_id(obj_id)
            obj = entity.read(ctx, obj_id)
            return 200, {entity.name: obj, "time": clock.response_time()}, []
        raise faults.unsupported_path("/" + "/".join(segments))
    if method != "POST" or len(segments) != 1:
        raise faults.unsupported_path("/" + "/".join(segments))
    payload = parse_json(body)
    request_id = params.get("requestid")
    check_request_id(request_id, const.REQUESTID_MAX)
    with company.lock:
        replayed = company.replay(request_id, clock.time()) if request_id else None
        if replayed is not None and "Fault" in replayed:
            raise faults.QboFault(replayed["Fault"]["Error"], replayed["Fault"]["type"])
        if replayed is not None:
            return 200, replayed, []
        try:
            obj = write(ctx, entity, params.get("operation"), payload)
        except faults.QboFault as fault:
            if request_id:
                company.remember_failure(request_id, fault, clock.time())
            raise
        answer = {entity.name: obj, "time": clock.response_time()}
        if request_id:
            company.remember(request_id, answer, clock.time())
    return 200, answer, ctx.events
