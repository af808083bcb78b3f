"""``/_sandbox/...``: the Python control API over HTTP (JSON POST), for other processes."""

import dataclasses
import json

from . import faults
from .profile import FIELDS as PROFILE_FIELDS

# name -> (method of Sandbox, keyword arguments it accepts)
COMMANDS = {
    "inject": (
        "inject",
        ("kind", "count", "realm_id", "path", "method", "retry_after", "skip"),
    ),
    "limits": ("set_limits", ("enabled", "time_scale")),
    "profile": ("set_profile", ("name", *PROFILE_FIELDS)),
    "remove_user": ("remove_user", ("realm_id",)),
    "latency": ("set_latency", ("seconds",)),
    "webhook": ("set_webhook", ("url", "fmt", "verifier_token", "delay")),
    "grant": ("grant", ("realm_id", "client_id", "scope")),
    "add_app": ("add_app", ("client_id", "client_secret", "redirect_uris", "verifier_token")),
    "expire_access_tokens": ("expire_access_tokens", ("realm_id",)),
    "invalidate_refresh_tokens": ("invalidate_refresh_tokens", ("realm_id",)),
    "preferences": (
        "set_preferences",
        (
            "realm_id",
            "custom_txn_numbers",
            "multi_currency",
            "book_close_date",
            "automated_sales_tax",
        ),
    ),
    "advance_clock": ("advance_clock", ("seconds",)),
    "delete_entity": ("delete_entity", ("realm_id", "entity", "id")),
    "void_entity": ("void_entity", ("realm_id", "entity", "id")),
    "add_payment": ("add_payment", ("realm_id", "invoice_id", "amount")),
    "add_bill_payment": ("add_bill_payment", ("realm_id", "bill_id", "amount")),
    "clear_requests": ("clear_requests", ()),
}


def handle(sandbox, name: str, method: str, body: bytes) -> tuple[int, object]:
    try:
        args = json.loads(body.decode("utf-8") or "{}") if body else {}
    except ValueError:
        return 400, {"error": "body must be a JSON object"}
    if not isinstance(args, dict):
        return 400, {"error": "body must be a JSON object"}
    try:
        if name == "requests":
            if args.get("clear"):
                sandbox.clear_requests()
            return 200, {"requests": [dataclasses.asdict(r) for r in sandbox.requests]}
        if name == "slow":
            sandbox.slow_seconds = float(args["seconds"])
            return 200, {"slow_seconds": sandbox.slow_seconds}
        if name == "store":
            rows = sandbox.store(args["realm_id"]).all(args["entity"])
            return 200, {args["entity"]: rows}
        if name == "webhook_deliveries":
            return 200, {
                "deliveries": [
                    {
                        "url": d.url,
                        "body": d.body.decode("utf-8"),
                        "signature": d.signature,
                        "attempts": d.attempts,
                        "statuses": d.statuses,
                        "delivered": d.delivered,
                    }
                    for d in sandbox.webhook_deliveries
                ]
            }
        if name not in COMMANDS or method != "POST":
            return 404, {"error": f"unknown control command {name}", "commands": sorted(COMMANDS)}
        attr, allowed = COMMANDS[name]
        unknown = set(args) - set(allowed)
        if unknown:
            return 400, {"error": f"unexpected arguments {sorted(unknown)}", "allowed": allowed}
        if name == "delete_entity" or name == "void_entity":
            args["obj_id"] = args.pop("id")
        result = getattr(sandbox, attr)(**args)
        return 200, {"ok": True, "result": result}
    except faults.QboFault as fault:
        return fault.status, fault.body(sandbox.clock.response_time())
    except (KeyError, TypeError, ValueError) as exc:
        return 400, {"error": str(exc)}
