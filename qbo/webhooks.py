"""Incoming QBO webhooks: signature check and parsing of both payload formats.

* legacy: ``{"eventNotifications": [{"realmId", "dataChangeEvent": {"entities": [...]}}]}``
* CloudEvents: a JSON array of ``{"id", "type": "qbo.invoice.deleted.v1", "time",
  "intuitentityid", "intuitaccountid", ...}``

Both give :class:`Event` objects with QBO's words for entities and operations. Always verify the
``intuit-signature`` header over the raw body before parsing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from . import const
from .errors import WebhookPayloadError

SIGNATURE_HEADER = "intuit-signature"

#: CloudEvents verb (``qbo.invoice.<verb>.v1``) -> QBO operation
OPERATIONS = {
    "created": "Create",
    "updated": "Update",
    "deleted": "Delete",
    "merged": "Merge",
    "voided": "Void",
    "emailed": "Emailed",
}
_LEGACY_OPERATIONS = {value.lower(): value for value in OPERATIONS.values()}
_CLOUD_TYPE_RE = re.compile(r"^qbo\.([A-Za-z0-9]+)\.([A-Za-z]+)\.v\d+$")
_FRACTION_RE = re.compile(r"\.(\d+)")
#: QBO's notifications nest 6 levels at most; anything far deeper is not one of them
MAX_DEPTH = 16
_JSON_STRING_RE = re.compile(rb'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET_RE = re.compile(rb"[\[\]{}]")


@dataclass(frozen=True)
class Event:
    """One change notified by QBO.

    :ivar event_id: the CloudEvents ``id``, or for legacy events a stable hash of realm, entity,
        id, operation and time (use it to drop duplicate deliveries).
    :ivar deleted_id: for Merge events, the id of the object merged away (legacy ``deletedId``).
    """

    realm_id: str
    entity: str
    entity_id: str
    operation: str
    occurred_at: datetime
    event_id: str
    deleted_id: str | None = None


def verify_signature(raw_body: bytes, signature_header: str | None, verifier_token: str) -> bool:
    """Whether ``signature_header`` is base64(HMAC-SHA256(verifier_token, raw_body))."""
    if not signature_header or not verifier_token:
        return False
    if isinstance(raw_body, str):
        raw_body = raw_body.encode("utf-8")
    digest = hmac.new(verifier_token.encode("utf-8"), raw_body, hashlib.sha256).digest()
    expected = base64.b64encode(digest)
    return hmac.compare_digest(expected, signature_header.strip().encode("utf-8", "replace"))


def signing_token(
    raw_body: bytes, signature_header: str | None, verifier_tokens: Iterable[str]
) -> str | None:
    """The one of ``verifier_tokens`` whose signature ``signature_header`` is, or ``None``.

    Check it before anything reads the body: which company a notification is for is only
    known once it is parsed, and nothing unsigned is parsed.
    """
    for token in verifier_tokens:
        if verify_signature(raw_body, signature_header, token):
            return token
    return None


def parse_events(raw_body: bytes | str) -> list[Event]:
    """Parse a webhook body in either format.

    :raises WebhookPayloadError: not JSON, nested deeper than :data:`MAX_DEPTH`, or not shaped
        like a QBO notification.
    """
    if isinstance(raw_body, str):
        raw_body = raw_body.encode("utf-8", "surrogatepass")
    if _too_deep(raw_body):
        raise WebhookPayloadError(f"Webhook body is nested deeper than {MAX_DEPTH} levels")
    try:
        payload = json.loads(raw_body)
    except (ValueError, TypeError) as exc:
        raise WebhookPayloadError("Webhook body is not JSON", detail=str(exc)[:200]) from None
    try:
        if isinstance(payload, dict) and "eventNotifications" in payload:
            return list(_legacy_events(payload["eventNotifications"]))
        if isinstance(payload, list):
            return [_cloud_event(item) for item in payload]
    except WebhookPayloadError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise WebhookPayloadError(
            "Malformed QBO webhook payload", detail=f"{type(exc).__name__}: {exc}"[:200]
        ) from None
    raise WebhookPayloadError("Unknown webhook payload format")


def _too_deep(raw_body: bytes) -> bool:
    """Whether the arrays and objects of a JSON text nest deeper than :data:`MAX_DEPTH`,
    found without parsing it (the parser recurses once per level)."""
    depth = 0
    for match in _JSON_BRACKET_RE.finditer(_JSON_STRING_RE.sub(b"", raw_body)):
        depth += 1 if match.group() in (b"[", b"{") else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _legacy_events(notifications: list[dict[str, Any]]) -> Any:
    if not isinstance(notifications, list):
        raise WebhookPayloadError("eventNotifications is not a list")
    for notification in notifications:
        realm_id = _text(notification["realmId"], "realmId")
        for entity in notification["dataChangeEvent"]["entities"]:
            name = const.entity_name(_text(entity["name"], "name"))
            entity_id = _text(entity["id"], "id")
            operation = _LEGACY_OPERATIONS.get(str(entity["operation"]).lower())
            if operation is None:
                raise WebhookPayloadError(f"Unknown operation {entity['operation']!r}")
            occurred_at = parse_time(entity["lastUpdated"])
            instant = occurred_at.astimezone(timezone.utc).isoformat()
            key = "|".join((realm_id, name, entity_id, operation, instant))
            yield Event(
                realm_id=realm_id,
                entity=name,
                entity_id=entity_id,
                operation=operation,
                occurred_at=occurred_at,
                event_id=hashlib.sha256(key.encode("utf-8")).hexdigest()[:32],
                deleted_id=entity.get("deletedId"),
            )


def _cloud_event(item: dict[str, Any]) -> Event:
    match = _CLOUD_TYPE_RE.match(_text(item["type"], "type"))
    if not match:
        raise WebhookPayloadError(f"Unknown event type {item['type']!r}")
    operation = OPERATIONS.get(match.group(2).lower())
    if operation is None:
        raise WebhookPayloadError(f"Unknown event type {item['type']!r}")
    data = item.get("data") if isinstance(item.get("data"), dict) else {}
    return Event(
        realm_id=_text(item["intuitaccountid"], "intuitaccountid"),
        entity=const.entity_name(match.group(1)),
        entity_id=_text(item["intuitentityid"], "intuitentityid"),
        operation=operation,
        occurred_at=parse_time(item["time"]),
        event_id=_text(item["id"], "id"),
        deleted_id=data.get("deletedId"),
    )


def _text(value: Any, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        raise WebhookPayloadError(f"Webhook field {name} is missing or not text")
    return str(value)


def parse_time(value: str) -> datetime:
    """Parse QBO's ISO timestamps (``Z``, offsets, any fraction length) to an aware datetime."""
    if not isinstance(value, str) or not value:
        raise WebhookPayloadError(f"Invalid time {value!r}")
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    # Python 3.10 only accepts 3 or 6 fraction digits
    text = _FRACTION_RE.sub(lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise WebhookPayloadError(f"Invalid time {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
