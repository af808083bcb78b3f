"""The package stays independent (no qbo, no odoo), and its control API and CLI work."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import requests

from qbo_sandbox import presets
from qbo_sandbox.tests.helpers import loaded_in_fresh_interpreter

PACKAGE = Path(__file__).resolve().parents[1]
FORBIDDEN = ("qbo", "odoo")


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_sources_never_import_qbo_or_odoo():
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 20
    offenders = {str(p.relative_to(PACKAGE)): imported_roots(p) & set(FORBIDDEN) for p in sources}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_runtime_code_uses_the_standard_library_only():
    runtime = [p for p in PACKAGE.rglob("*.py") if "tests" not in p.parts]
    third_party = set()
    for path in runtime:
        third_party |= {r for r in imported_roots(path) if r not in sys.stdlib_module_names}
    assert third_party == set()


def test_import_in_a_fresh_interpreter_loads_neither():
    code = "import qbo_sandbox; qbo_sandbox.SandboxServer(port=0).start().stop()"
    roots = (*FORBIDDEN, "requests")
    assert loaded_in_fresh_interpreter(code, roots, PACKAGE.parent) == []


def test_control_api_over_http(srv):
    def control(name, **args):
        return requests.post(f"{srv.url}/_sandbox/{name}", json=args, timeout=5)

    token = control("grant", realm_id=presets.GB_REALM).json()["result"]
    assert token["realmId"] == presets.GB_REALM
    headers = {"Authorization": f"Bearer {token['access_token']}", "Accept": "application/json"}
    prefs_url = f"{srv.url}/v3/company/{presets.GB_REALM}/preferences"
    assert control("inject", kind="500", count=1).status_code == 200
    assert requests.get(prefs_url, headers=headers, timeout=5).status_code == 500
    assert control("limits", enabled=True, time_scale=60).status_code == 200
    assert srv.limits.enabled and srv.limits.time_scale == 60
    assert control("webhook", url="http://127.0.0.1:9/x", fmt="cloudevents").status_code == 200
    assert srv.webhooks.fmt == "cloudevents"
    logged = requests.get(f"{srv.url}/_sandbox/requests", timeout=5).json()["requests"]
    assert logged[-1]["status"] == 500 and logged[-1]["realm_id"] == presets.GB_REALM
    assert control("nope").status_code == 404
    assert control("inject", kind="500", bogus=1).status_code == 400
    control("expire_access_tokens", realm_id=presets.GB_REALM)
    assert requests.get(prefs_url, headers=headers, timeout=5).status_code == 401


def test_request_log_fields(srv, us):
    srv.clear_requests()
    us.post("/invoice", {"CustomerRef": {"value": "1"}}, requestid="log-1")
    record = srv.requests[-1]
    assert (record.method, record.realm_id, record.entity) == ("POST", presets.US_REALM, "Invoice")
    assert record.request_id == "log-1" and record.status == 400
    assert record.query["minorversion"] == "75" and record.intuit_tid


def test_cli_prints_its_url_and_serves():
    process = subprocess.Popen(
        [sys.executable, "-m", "qbo_sandbox", "--port", "0", "--limits", "--time-scale", "60"],
        cwd=PACKAGE.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        doc = json.loads(requests.get(url + "/.well-known/openid_configuration", timeout=5).text)
        assert doc["token_endpoint"].startswith(url)
    finally:
        process.terminate()
        process.wait(timeout=10)
