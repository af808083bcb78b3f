"""Fixtures of the qbo client tests: a local QBO sandbox on an ephemeral port."""

from __future__ import annotations

import pytest

from qbo import QboClient, QboOAuth, Token, TokenAuth
from qbo_sandbox import presets as sandbox_presets
from qbo_sandbox.tests.helpers import running_sandbox, skip_package_setup

pytest_collection_modifyitems = skip_package_setup


REDIRECT_URI = "http://127.0.0.1/qbo/callback"


@pytest.fixture
def srv():
    """A running sandbox on an ephemeral port, fresh for every test."""
    with running_sandbox(slow_seconds=1.0) as server:
        yield server


@pytest.fixture
def presets():
    return sandbox_presets


@pytest.fixture
def oauth(srv, presets):
    return QboOAuth(
        presets.CLIENT_ID,
        presets.CLIENT_SECRET,
        REDIRECT_URI,
        environment="custom",
        base_url=srv.url,
        timeout=5,
    )


class Saved(list):
    """on_refresh callback that keeps every token it is handed."""

    def __call__(self, token):
        self.append(token)


@pytest.fixture
def saved():
    return Saved()


@pytest.fixture
def make_auth(srv, oauth, saved):
    def factory(realm_id):
        token = Token.from_response(srv.grant(realm_id), realm_id=realm_id)
        return TokenAuth(oauth, token, saved)

    return factory


@pytest.fixture
def make_client(srv, presets, make_auth):
    """Build clients on the sandbox with fast retries; ``calls`` records on_request."""

    def factory(realm_id=None, auth=None, **options):
        realm_id = realm_id or presets.US_REALM
        settings = {
            "environment": "custom",
            "base_url": srv.url,
            "timeout": (2, 5),  # tests of timeouts set a short read timeout themselves
            "max_retries": 3,
            "backoff_factor": 0.01,
            "max_retry_after": 5,
            "on_request": calls.append_call,
        }
        settings.update(options)
        return QboClient(realm_id, auth or make_auth(realm_id), **settings)

    calls = Calls()
    factory.calls = calls
    return factory


class Calls(list):
    def append_call(self, method, url, status, elapsed):
        self.append((method, url, status, elapsed))

    @property
    def statuses(self):
        return [status for _method, _url, status, _elapsed in self]


@pytest.fixture
def calls(make_client):
    """Every (method, url, status, elapsed) reported to on_request by make_client's clients."""
    return make_client.calls


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.fixture
def us_refs(client):
    """Ids of preset records of the US company: a customer, a vendor, a sales item."""
    customer = client.query_all("Customer")[0]
    vendor = client.query_all("Vendor")[0]
    items = client.query_all("Item")
    service = next(i for i in items if i.get("Type") in ("Service", "NonInventory"))
    return {"customer": customer, "vendor": vendor, "item": service}
