"""Outgoing webhook notifications, signed like Intuit's, sent from a background thread."""

import base64
import hashlib
import hmac
import json
import queue
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

from . import const

FORMATS = ("legacy", "cloudevents")


def sign(body: bytes, verifier_token: str) -> str:
    """``intuit-signature``: base64 HMAC-SHA256 of the raw body keyed with the verifier token."""
    digest = hmac.new(verifier_token.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


@dataclass
class Event:
    realm_id: str
    entity: str
    entity_id: str
    operation: str
    last_updated: str  # UTC, "2016-10-05T03:09:04.000Z"


@dataclass
class Delivery:
    """One notification POST and what became of it (``srv.webhook_deliveries``)."""

    url: str
    body: bytes
    signature: str
    attempts: int = 0
    statuses: list = field(default_factory=list)
    delivered: bool = False


def legacy_body(events: list[Event]) -> bytes:
    by_realm: dict[str, list] = {}
    for ev in events:
        by_realm.setdefault(ev.realm_id, []).append(
            {
                "name": ev.entity,
                "id": ev.entity_id,
                "operation": ev.operation,
                "lastUpdated": ev.last_updated,
            }
        )
    payload = {
        "eventNotifications": [
            {"realmId": realm, "dataChangeEvent": {"entities": entities}}
            for realm, entities in by_realm.items()
        ]
    }
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")


def cloudevents_body(events: list[Event]) -> bytes:
    payload = [
        {
            "specversion": "1.0",
            "id": str(uuid.uuid4()),
            "source": "intuit.sandbox.local",
            "type": f"qbo.{ev.entity.lower()}.{const.CLOUDEVENT_VERBS[ev.operation]}.v1",
            "datacontenttype": "application/json",
            "time": ev.last_updated,
            "intuitentityid": ev.entity_id,
            "intuitaccountid": ev.realm_id,
            "data": {},
        }
        for ev in events
    ]
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")


class WebhookSender:
    """Collects events and posts them; failed posts are retried on Intuit's schedule."""

    def __init__(self, limits):
        self.limits = limits  # time_scale shortens the retry schedule
        self.url: str | None = None
        self.fmt = "legacy"
        self.verifier_token = ""
        self.delay = 0.0
        self.deliveries: list[Delivery] = []
        self._queue: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def configure(self, url, fmt="legacy", verifier_token="", delay=0.0) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"fmt must be one of {FORMATS}")
        self.url, self.fmt, self.verifier_token, self.delay = url, fmt, verifier_token, delay

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="qbo-sandbox-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._queue.put(None)
        if self._thread:
            self._thread.join(timeout=5)

    def publish(self, events: list[Event]) -> None:
        """Queue events of one change set; never blocks the API response."""
        if self.url and events:
            self._queue.put((self.url, self.fmt, self.verifier_token, self.delay, list(events)))

    def _run(self) -> None:
        while not self._stop.is_set():
            job = self._queue.get()
            if job is None:
                continue
            url, fmt, token, delay, events = job
            if delay and self._stop.wait(delay):
                return
            events += self._drain_same(url, fmt, token)
            body = legacy_body(events) if fmt == "legacy" else cloudevents_body(events)
            delivery = Delivery(url, body, sign(body, token))
            self.deliveries.append(delivery)
            self._deliver(delivery)

    def _drain_same(self, url, fmt, token) -> list[Event]:
        """Aggregate events queued meanwhile for the same endpoint (Intuit batches them)."""
        extra, keep = [], []
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job and job[:3] == (url, fmt, token):
                extra += job[4]
            else:
                keep.append(job)
        for job in keep:
            self._queue.put(job)
        return extra

    def _deliver(self, delivery: Delivery) -> None:
        for wait in const.WEBHOOK_RETRY_SCHEDULE:
            if wait and self._stop.wait(wait / self.limits.time_scale):
                return
            delivery.attempts += 1
            request = urllib.request.Request(
                delivery.url,
                data=delivery.body,
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    "intuit-signature": delivery.signature,
                    "User-Agent": "Intuit-Webhooks-Sandbox",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=const.WEBHOOK_TIMEOUT) as response:
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except (OSError, ValueError) as exc:
                status = repr(exc)
            delivery.statuses.append(status)
            if isinstance(status, int) and 200 <= status < 300:
                delivery.delivered = True
                return
