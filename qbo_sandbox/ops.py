"""Write operations shared by single requests and batch items."""

import json

from . import const, faults
from .entities import Ctx, Entity


def parse_json(body: bytes):
    try:
        return json.loads(body.decode("utf-8") or "null")
    except UnicodeDecodeError:
        raise faults.validation(
            "500", const.MSG_UNSUPPORTED, "Unsupported Operation: the request must be UTF-8"
        ) from None
    except ValueError as exc:
        raise faults.invalid_property(
            f"Property Name:{exc.msg} specified is unsupported or invalid"
        ) from None


def write(ctx: Ctx, entity: Entity, operation: str | None, payload) -> dict:
    """One create/update/delete/void, the way both single requests and batch items run it."""
    op = (operation or "").lower()
    if op == "delete":
        return entity.delete(ctx, payload)
    if op == "void":
        return entity.void(ctx, payload)
    if op in ("", "create", "update"):
        has_id = isinstance(payload, dict) and payload.get("Id") not in (None, "")
        if op == "update" or (op == "" and has_id):
            return entity.update(ctx, payload)
        return entity.create(ctx, payload)
    raise faults.unsupported(operation, entity.name)


def check_request_id(request_id: str | None, max_len: int) -> None:
    if request_id is not None and len(request_id) > max_len:
        detail = (
            "String length specified does not match the supported length. "
            f"Min:1 Max:{max_len} supplied:{len(request_id)}"
        )
        raise faults.validation("2050", const.MSG_LENGTH, detail, "requestid")
