"""Fixtures of the qbo client tests: a local QBO sandbox on an ephemeral port."""

from __future__ import annotations

import importlib.util

import pytest


def pytest_collection_modifyitems(items):
    """Skip pytest's package-level setup when Odoo is not installed.

    The repository root is the Odoo addon, so pytest sees ``main`` and ``main.qbo`` as packages
    and imports their ``__init__.py`` to look for ``setup_module``; importing ``main`` imports
    odoo. Neither package has a ``setup_module``, and the tests import ``qbo`` on their own.
    """
    if importlib.util.find_spec("odoo") is not None:
        return
    for item in items:
        for node in item.listchain():
            if isinstance(node, pytest.Package):
                node.setup = lambda: None
