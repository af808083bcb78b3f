"""The soak's clients, all over real HTTP on 127.0.0.1: a user's JSON-RPC session, the
sandbox's control API, and a webhook sender signing like Intuit."""

import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

#: seconds one HTTP call may take before the client gives up (Odoo's own limit is 120)
TIMEOUT = 150
TOKEN_PATH = "/oauth2/v1/tokens/bearer"


class RpcError(Exception):
    """An RPC answered with a JSON-RPC error (its message is the server's)."""


class OdooUser:
    """One browser of one user: its own session cookie, JSON-RPC ``call_kw``."""

    _ids = itertools.count(1)

    def __init__(self, url, db, login, password):
        self.url = url
        self.session = requests.Session()
        self._call("/web/session/authenticate", {"db": db, "login": login, "password": password})

    def _call(self, path, params):
        body = {"jsonrpc": "2.0", "method": "call", "id": next(self._ids), "params": params}
        answer = self.session.post(self.url + path, json=body, timeout=TIMEOUT)
        answer.raise_for_status()
        data = answer.json()
        if "error" in data:
            error = data["error"].get("data", {}).get("message") or data["error"].get("message")
            raise RpcError(error)
        return data.get("result")

    def call(self, model, method, *args, **kwargs):
        return self._call(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class Sandbox:
    """The sandbox's control API (``/_sandbox/...``)."""

    def __init__(self, url, realm_id):
        self.url = url
        self.realm_id = realm_id

    def control(self, name, **args):
        answer = requests.post(f"{self.url}/_sandbox/{name}", json=args, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def requests(self):
        return self.control("requests")["requests"]

    def clear_requests(self):
        self.control("clear_requests")

    def store(self, entity):
        return self.control("store", realm_id=self.realm_id, entity=entity)[entity]

    def token_requests(self):
        return [r for r in self.requests() if r["path"] == TOKEN_PATH]


def sign(body, verifier_token):
    digest = hmac.new(verifier_token.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_body(realm_id, entity_ids):
    """A legacy-format delivery (qbo_sandbox/webhooks.py): one Update event per id."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    entities = [
        {"name": "Invoice", "id": str(i), "operation": "Update", "lastUpdated": now}
        for i in entity_ids
    ]
    payload = {
        "eventNotifications": [{"realmId": realm_id, "dataChangeEvent": {"entities": entities}}]
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def webhook_storm(url, realm_id, verifier_token, deliveries, senders, stop):
    """POST ``deliveries`` signed deliveries from ``senders`` threads (until ``stop`` is set);
    ``{status: count}`` of the answers."""
    statuses = {}
    lock = threading.Lock()

    def deliver(n):
        if stop.is_set():
            return
        body = webhook_body(realm_id, range(n % 50 + 1, n % 50 + 4))
        try:
            answer = requests.post(
                url,
                data=body,
                headers={
                    "intuit-signature": sign(body, verifier_token),
                    "Content-Type": "application/json",
                },
                timeout=TIMEOUT,
            )
            status = answer.status_code
        except requests.RequestException as error:
            status = type(error).__name__
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    with ThreadPoolExecutor(senders) as pool:
        list(pool.map(deliver, range(deliveries)))
    return statuses
