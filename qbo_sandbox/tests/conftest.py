"""Fixtures: a sandbox on an ephemeral port and a tiny HTTP helper around ``requests``."""

import importlib.util

import pytest

from qbo_sandbox import SandboxServer, presets
from qbo_sandbox.tests.helpers import Api


def pytest_collection_modifyitems(items):
    """Skip pytest's package-level setup when Odoo is not installed.

    The repository root is the Odoo addon; pytest imports its ``__init__.py`` (which imports
    odoo) looking for ``setup_module``. There is none, and these tests import ``qbo_sandbox``
    as a top-level package.
    """
    if importlib.util.find_spec("odoo") is not None:
        return
    for item in items:
        for node in item.listchain():
            if isinstance(node, pytest.Package):
                node.setup = lambda: None


@pytest.fixture
def srv():
    server = SandboxServer(host="127.0.0.1", port=0).start()
    server.slow_seconds = 0.5
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def us(srv):
    return Api(srv, presets.US_REALM)


@pytest.fixture
def gb(srv):
    return Api(srv, presets.GB_REALM)
