"""Fixtures: a sandbox on an ephemeral port and a tiny HTTP helper around ``requests``."""

import pytest

from qbo_sandbox import presets
from qbo_sandbox.tests.helpers import Api, running_sandbox, skip_package_setup

pytest_collection_modifyitems = skip_package_setup


@pytest.fixture
def srv():
    with running_sandbox(slow_seconds=0.5) as server:
        yield server


@pytest.fixture
def us(srv):
    return Api(srv, presets.US_REALM)


@pytest.fixture
def gb(srv):
    return Api(srv, presets.GB_REALM)
