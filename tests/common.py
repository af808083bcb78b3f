"""Shared ground of the Odoo tests: a local QBO sandbox and a company connected to it.

The sandbox is the real HTTP server of ``qbo_sandbox``, started in this process on a
free port; the addon talks to it through its ordinary client. Nothing is mocked.
Orders and what the sandbox saw of them are in :mod:`.orders` (the tests' vocabulary),
the people of the security tests in :mod:`.security_common`.
"""

from contextlib import contextmanager
from urllib.parse import urlsplit

import requests

from odoo import api, modules
from odoo.tests import BaseCase, HttpCase, TransactionCase
from odoo.tests.common import get_db_name

from odoo.addons.quickbooks_online.qbo import Token, const
from odoo.addons.quickbooks_online.qbo_sandbox import SandboxServer, presets

from .sandbox_setup import commit_connection, connect_company

#: the Odoo route Intuit sends the browser back to after the consent page
CALLBACK = "/quickbooks/oauth/callback"
#: QBO as it may be: no 6140 on a repeated number, requestid not looked at, batches shuffled
HOSTILE = {
    "custom_txn_numbers": False,
    "duplicate_warning": False,
    "ignore_requestid": True,
    "shuffle_batch": True,
}


#: the database UUID of the tests that pin idempotency keys to their values
UUID = "2f6a1c3e-0000-4000-8000-000000000001"


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

    @classmethod
    def connect_company_b(cls, name, **values):
        """A second company, ``cls.company_b``, connected to the sandbox's GB company
        (``cls.connection_b``)."""
        cls.company_b = cls.env["res.company"].create({"name": name, **values})
        cls.connection_b = cls.connect_company(cls.company_b, presets.GB_REALM)

    def fresh_tokens(self):
        """Hand the connection tokens the sandbox still honours: it keeps rotating refresh
        tokens while each test's database changes are rolled back."""
        self.connection._qbo_store_token(
            Token.from_response(self.sandbox.grant(self.connection.realm_id))
        )
        # Token refreshes read the stored token from their own transaction.
        self.env.flush_all()

    def token_requests(self):
        """The requests of the sandbox's token endpoint."""
        return [r for r in self.sandbox.requests if r.path == const.TOKEN_PATH]


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
        self.fresh_tokens()


class QboCommittedCase(QboSandboxMixin, BaseCase):
    """Real, separate transactions (``cls.registry.cursor()``) and a sandbox: what these
    tests write is committed, so each removes it at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_sandbox()
        cls.registry = modules.registry.Registry(get_db_name())

    @contextmanager
    def committed_env(self):
        """A superuser environment in a transaction of its own, committed at the end."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, api.SUPERUSER_ID, {})

    def expired_connection(self):
        """The main company's connection to the US sandbox company, committed, its access
        token expired (the next call renews it) and removed when the test ends; its id."""
        connection_id = commit_connection(self.registry, self.sandbox)
        self.addCleanup(self.remove_connection, connection_id)
        self.sandbox.expire_access_tokens(presets.US_REALM)
        return connection_id

    def remove_connection(self, connection_id):
        with self.committed_env() as env:
            env["qbo.connection"].browse(connection_id).unlink()


class QboOAuthCase(QboSandboxMixin, HttpCase):
    """A company whose connection has the sandbox's app credentials but no tokens yet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_sandbox()
        cls.admin = cls.env.ref("base.user_admin")
        cls.connection = cls.env["qbo.connection"]._for_company(cls.admin.company_id)
        cls.connection.write(
            {
                "environment": const.CUSTOM,
                "base_url": cls.sandbox.url,
                "client_id": presets.CLIENT_ID,
                "client_secret": presets.CLIENT_SECRET,
            }
        )

    def consent(self, user, realm_id):
        """Click Connect as ``user``, pick ``realm_id`` on the consent page; return the
        callback path and query Intuit redirects the browser to."""
        action = self.connection.with_user(user).action_qbo_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        page = requests.get(action["url"], timeout=10)
        self.assertEqual(page.status_code, 200)
        self.assertIn(realm_id, page.text)
        query = dict(part.split("=", 1) for part in urlsplit(action["url"]).query.split("&"))
        form = {key: requests.utils.unquote(value) for key, value in query.items()}
        answer = requests.post(
            f"{self.sandbox.url}/connect/oauth2",
            data=dict(form, realm_id=realm_id, action="allow"),
            allow_redirects=False,
            timeout=10,
        )
        self.assertEqual(answer.status_code, 302)
        location = urlsplit(answer.headers["Location"])
        self.assertEqual(location.path, CALLBACK)
        return f"{location.path}?{location.query}"

    def callback(self, path):
        return self.url_open(path, allow_redirects=False)

    def assert_refused(self, response, words):
        self.assertEqual(response.status_code, 400)
        self.assertIn(words, response.text)
        self.assertNotIn("Traceback", response.text)
        self.connection.invalidate_recordset()
        self.assertEqual(self.connection.state, "not_connected")
        self.assertFalse(self.connection.sudo().refresh_token)
