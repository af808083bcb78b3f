"""``--store``: the sandbox keeps companies, entities and tokens across a restart."""

from qbo_sandbox import presets
from qbo_sandbox.__main__ import make_server
from qbo_sandbox.core import Sandbox
from qbo_sandbox.tests.helpers import Api
from qbo_sandbox.tests.test_oauth import REDIRECT, authorize, token


def connect(srv):
    """A user connects through the consent page; the code is exchanged over HTTP."""
    code = authorize(srv)["code"]
    answer = token(srv, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_state_survives_a_restart(tmp_path):
    path = tmp_path / "sandbox.sqlite"
    first = make_server(["--port", "0", "--store", str(path)]).start()
    try:
        tokens = connect(first)
        api = Api(first, presets.US_REALM, tokens["access_token"])
        customer = api.create("Customer", {"DisplayName": "Kept Across Restarts"})
        # Saved once answered, not only at a clean stop (make stop kills the process).
        copy = Sandbox()
        assert copy.persist(path)
        assert copy.store(presets.US_REALM).get("Customer", customer["Id"])
    finally:
        first.stop()

    second = make_server(["--port", "0", "--store", str(path)]).start()
    try:
        api = Api(second, presets.US_REALM, tokens["access_token"])
        read = api.read("Customer", customer["Id"])
        assert read.status_code == 200, read.text
        assert read.json()["Customer"]["DisplayName"] == "Kept Across Restarts"
        # Ids go on from where they were, and the refresh token still works (once).
        other = api.create("Customer", {"DisplayName": "Made After The Restart"})
        assert int(other["Id"]) > int(customer["Id"])
        refreshed = token(second, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        assert refreshed.status_code == 200, refreshed.text
    finally:
        second.stop()

    third = make_server(["--port", "0", "--store", str(path)]).start()
    try:
        stale = token(third, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        assert stale.status_code == 400
        assert stale.json()["error"] == "invalid_grant"
        api = Api(third, presets.US_REALM, refreshed.json()["access_token"])
        assert api.read("Customer", other["Id"]).status_code == 200
    finally:
        third.stop()
