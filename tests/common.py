"""Shared ground of the Odoo tests: a local QBO sandbox and a connected company.

The sandbox is the real HTTP server of ``qbo_sandbox``, started in this process on a
free port; the addon talks to it through its ordinary client. Nothing is mocked.
"""

from odoo import modules
from odoo.tests import BaseCase, TransactionCase
from odoo.tests.common import get_db_name

from odoo.addons.quickbooks_online.qbo import Token
from odoo.addons.quickbooks_online.qbo_sandbox import SandboxServer, presets

from .sandbox_setup import connect_company


class QboSandboxMixin:
    """Start one sandbox per test class; ``cls.sandbox`` is the running server."""

    @classmethod
    def start_sandbox(cls):
        cls.sandbox = SandboxServer().start()
        cls.addClassCleanup(cls.sandbox.stop)
        return cls.sandbox

    @classmethod
    def connect_company(cls, company, realm_id, *, accounting_mode="simple"):
        """Connect ``company`` to the sandbox company ``realm_id`` as the setup wizard
        would leave it (see :func:`.sandbox_setup.connect_company`)."""
        return connect_company(
            cls.env, cls.sandbox, company, realm_id, accounting_mode=accounting_mode
        )


class QboCase(QboSandboxMixin, TransactionCase):
    """A company connected to the sandbox's US company (``realm_id``: override for GB)."""

    realm_id = presets.US_REALM

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Token refreshes run in their own cursor; in tests it must wrap the test's one.
        cls.registry_enter_test_mode_cls()
        cls.start_sandbox()
        cls.connection = cls.connect_company(cls.env.company, cls.realm_id)

    def setUp(self):
        super().setUp()
        # The sandbox keeps rotating refresh tokens while each test's database changes
        # are rolled back: hand every test tokens the sandbox still honours.
        self.connection._qbo_store_token(
            Token.from_response(self.sandbox.grant(self.connection.realm_id))
        )
        # Token refreshes read the stored token from their own transaction.
        self.env.flush_all()


class QboCommittedCase(BaseCase):
    """Real, separate transactions (``cls.registry.cursor()``) and a sandbox: what these
    tests write is committed, so each removes it at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = SandboxServer().start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.registry = modules.registry.Registry(get_db_name())
