"""Shared ground of the Odoo tests: a local QBO sandbox and a connected company.

The sandbox is the real HTTP server of ``qbo_sandbox``, started in this process on a
free port; the addon talks to it through its ordinary client. Nothing is mocked.
"""

from odoo.tests import TransactionCase

from odoo.addons.quickbooks_online.qbo import Token, const
from odoo.addons.quickbooks_online.qbo_sandbox import SandboxServer, presets

#: QBO AccountType of each mapping field of the connection
ACCOUNT_TYPES = {
    "income_account_id": "Income",
    "purchase_account_id": "Cost of Goods Sold",
    "payable_account_id": "Accounts Payable",
    "cogs_account_id": "Cost of Goods Sold",
    "inventory_account_id": "Other Current Asset",
}


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
        would leave it: tokens from the sandbox, QBO preferences read, accounts mapped."""
        connection = cls.env["qbo.connection"]._for_company(company)
        connection.write(
            {
                "environment": const.CUSTOM,
                "base_url": cls.sandbox.url,
                "client_id": presets.CLIENT_ID,
                "client_secret": presets.CLIENT_SECRET,
                "verifier_token": presets.VERIFIER_TOKEN,
                "realm_id": realm_id,
                "state": "connected",
                "accounting_mode": accounting_mode,
            }
        )
        connection._qbo_store_token(Token.from_response(cls.sandbox.grant(realm_id)))
        client = connection._qbo_client()
        connection._qbo_read_company(client)
        accounts = cls.env["qbo.account"]
        for row in client.query_all("Account"):
            accounts |= accounts.create(
                {
                    "connection_id": connection.id,
                    "qbo_id": row["Id"],
                    "name": row["Name"],
                    "account_type": row.get("AccountType"),
                    "account_sub_type": row.get("AccountSubType"),
                    "classification": row.get("Classification"),
                }
            )
        mapping = {}
        for field, account_type in ACCOUNT_TYPES.items():
            candidates = accounts.filtered(lambda a, t=account_type: a.account_type == t)
            if field == "inventory_account_id":
                candidates = candidates.filtered(lambda a: a.account_sub_type == "Inventory")
            mapping[field] = candidates[:1].id
        connection.write(dict(mapping, setup_done=True))
        return connection


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
