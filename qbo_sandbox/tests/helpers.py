"""Helpers shared by the sandbox tests (and the qbo client's): an HTTP client for one realm,
payload builders, a sandbox per test, a fresh interpreter."""

import ast
import contextlib
import importlib.util
import subprocess
import sys

import pytest
import requests

from qbo_sandbox import SandboxServer


def skip_package_setup(items):
    """Skip pytest's package-level setup when Odoo is not installed (a conftest's
    ``pytest_collection_modifyitems``).

    The repository root is the Odoo addon, so pytest sees it and ``qbo``/``qbo_sandbox`` as
    packages and imports their ``__init__.py`` to look for ``setup_module``; importing the
    root imports odoo. None of them has a ``setup_module``, and the tests import ``qbo`` and
    ``qbo_sandbox`` as top-level packages on their own.
    """
    if importlib.util.find_spec("odoo") is not None:
        return
    for item in items:
        for node in item.listchain():
            if isinstance(node, pytest.Package):
                node.setup = lambda: None


@contextlib.contextmanager
def running_sandbox(slow_seconds):
    """A sandbox on an ephemeral port whose ``slow`` fault lasts ``slow_seconds``."""
    server = SandboxServer(host="127.0.0.1", port=0).start()
    server.slow_seconds = slow_seconds
    try:
        yield server
    finally:
        server.stop()


def loaded_in_fresh_interpreter(code, roots, cwd):
    """The modules under the top-level names ``roots`` that a new Python process has loaded
    once it ran ``code`` in ``cwd``."""
    script = (
        f"{code}\nimport sys\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {tuple(roots)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


class Api:
    """Authorised calls to one realm of the sandbox's Accounting API."""

    def __init__(self, srv, realm_id, token=None):
        self.srv = srv
        self.realm = realm_id
        self.token = token or srv.grant(realm_id)["access_token"]
        self.session = requests.Session()

    @property
    def base(self):
        return f"{self.srv.url}/v3/company/{self.realm}"

    def headers(self, **extra):
        return {"Authorization": f"Bearer {self.token}", "Accept": "application/json", **extra}

    def get(self, path, **params):
        params.setdefault("minorversion", "75")
        return self.session.get(self.base + path, params=params, headers=self.headers(), timeout=10)

    def post(self, path, payload, **params):
        params.setdefault("minorversion", "75")
        return self.session.post(
            self.base + path, json=payload, params=params, headers=self.headers(), timeout=10
        )

    def post_text(self, path, text):
        return self.session.post(
            self.base + path,
            data=text.encode(),
            params={"minorversion": "75"},
            headers=self.headers(**{"Content-Type": "text/plain"}),
            timeout=10,
        )

    def query(self, sql):
        return self.get("/query", query=sql)

    def create(self, entity, payload, **params):
        response = self.post(f"/{entity.lower()}", payload, **params)
        assert response.status_code == 200, response.text
        return response.json()[entity]

    def read(self, entity, obj_id):
        return self.get(f"/{entity.lower()}/{obj_id}")


def fault_codes(response) -> list[str]:
    return [e["code"] for e in response.json()["Fault"]["Error"]]


def item_line(detail_type, item, amount, qty=1, **detail):
    """One line of ``qty`` of ``item`` for ``amount`` in all (``detail``: e.g. TaxCodeRef)."""
    return {
        "DetailType": detail_type,
        "Amount": amount,
        detail_type: {"ItemRef": {"value": item}, "Qty": qty, "UnitPrice": amount / qty, **detail},
    }


def invoice_payload(customer="1", amount=100.0, item="2", tax="NON", **extra):
    line = item_line("SalesItemLineDetail", item, amount, TaxCodeRef={"value": tax})
    return {"CustomerRef": {"value": customer}, "Line": [line], **extra}


def bill_payload(vendor="5", amount=50.0, account="7", tax=None, **extra):
    detail = {"AccountRef": {"value": account}}
    if tax:
        detail["TaxCodeRef"] = {"value": tax}
    return {
        "VendorRef": {"value": vendor},
        "Line": [
            {
                "DetailType": "AccountBasedExpenseLineDetail",
                "Amount": amount,
                "AccountBasedExpenseLineDetail": detail,
            }
        ],
        **extra,
    }


def je_payload(amount=10.0, debit="3", credit="4", **extra):
    def line(posting, account):
        return {
            "DetailType": "JournalEntryLineDetail",
            "Amount": amount,
            "JournalEntryLineDetail": {"PostingType": posting, "AccountRef": {"value": account}},
        }

    return {"Line": [line("Debit", debit), line("Credit", credit)], **extra}
