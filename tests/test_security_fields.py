"""Fields the views show read-only, attacked over JSON-RPC by the people who may edit the record.

Each test attacks the way the attacker would, then judges by what the server did:
the requests the QBO sandboxes received, what their stores hold, the records' values.
"""

from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import config

from odoo.addons.quickbooks_online.qbo import const
from odoo.addons.quickbooks_online.qbo_sandbox import SandboxServer, presets
from odoo.addons.quickbooks_online.services.endpoint import CUSTOM_URL_OPTION

from .common import QboOAuthCase
from .security_common import QboRolesCase, RpcMixin, make_users


@tagged("post_install", "-at_install")
class TestConnectionFields(QboRolesCase):
    """Where the connection talks to, and what QBO decided, over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A host of the attacker's choice: it records every request it receives.
        cls.evil = SandboxServer().start()
        cls.addClassCleanup(cls.evil.stop)

    def endpoint(self):
        conn = self.connection.sudo()
        return conn.environment, conn.base_url, conn.client_id, conn.state

    def test_quickbooks_admin_cannot_send_the_tokens_elsewhere(self):
        before = self.endpoint()
        for values in (
            {"environment": const.CUSTOM, "base_url": self.evil.url},
            {"base_url": self.evil.url},
            {"environment": const.SANDBOX},
            {"client_id": "attacker-app"},
        ):
            with self.subTest(values=values):
                self.assert_refused(
                    "qbo_admin", "qbo.connection", "write", [self.connection.id], values
                )
        self.assertEqual(self.endpoint(), before)
        # Pushes and token refreshes still go to the configured QBO, never elsewhere.
        self.sandbox.expire_access_tokens(self.realm_id)
        order = self.make_sale(user_id=self.users["qbo_user"].id)
        self.rpc("qbo_user", "sale.order", "action_qbo_push", [order.id])
        self.assertEqual(order.qbo_status, "created", order.qbo_error)
        self.assertEqual(self.all_requests(self.evil), [])
        self.assertTrue(self.realm_store.get("Invoice", order.qbo_txn_id))

    def test_the_base_url_is_checked_on_save(self):
        before = self.endpoint()
        for base_url in (
            "javascript:alert(document.cookie)//127.0.0.1",
            f"http://user:secret@{self.evil.url[len('http://') :]}",
            f"{self.sandbox.url}@evil.example.com",
            f"{self.sandbox.url}/app?next=https://evil.example.com",
            "http://evil.example.com",
        ):
            with self.subTest(base_url=base_url):
                self.assert_refused(
                    "system_admin",
                    "qbo.connection",
                    "write",
                    [self.connection.id],
                    {"base_url": base_url},
                    exception="ValidationError",
                )
        self.assertEqual(self.endpoint(), before)
        # Links to the QBO documents point at the configured environment only.
        order = self.make_sale(user_id=self.users["qbo_user"].id)
        self.rpc("qbo_user", "sale.order", "action_qbo_push", [order.id])
        [values] = self.rpc("qbo_user", "sale.order", "read", [order.id], ["qbo_url"])
        self.assertTrue(values["qbo_url"].startswith(self.sandbox.url + "/app/invoice?"))

    def test_a_custom_url_needs_the_server_option(self):
        with patch.dict(config.options, {CUSTOM_URL_OPTION: False}):
            self.assert_refused(
                "system_admin",
                "qbo.connection",
                "write",
                [self.connection.id],
                {"base_url": self.evil.url},
                exception="ValidationError",
            )
            # A connection saved while the option was on stops talking to its custom URL.
            order = self.make_sale(user_id=self.users["qbo_user"].id)
            self.rpc("qbo_user", "sale.order", "action_qbo_push", [order.id])
            self.assertEqual(order.qbo_status, "error")
            self.assertIn(CUSTOM_URL_OPTION, order.qbo_error)
            self.assertFalse(
                self.rpc("qbo_user", "sale.order", "read", [order.id], ["qbo_url"])[0]["qbo_url"]
            )
        self.assertEqual(self.all_requests(), [])
        self.assertEqual(self.all_requests(self.evil), [])

    def test_a_new_place_drops_the_tokens(self):
        """The system administrator points the connection elsewhere: nothing more is sent
        with the old authorization; the setup stays."""
        other = SandboxServer().start()
        self.addCleanup(other.stop)
        self.rpc(
            "system_admin", "qbo.connection", "write", [self.connection.id], {"base_url": other.url}
        )
        conn = self.connection.sudo()
        self.assertEqual(conn.state, "not_connected")
        self.assertFalse(conn.access_token or conn.refresh_token)
        self.assertTrue(conn.setup_done)
        order = self.make_sale(user_id=self.users["qbo_user"].id)
        self.sandbox.clear_requests()
        self.rpc("qbo_user", "sale.order", "action_qbo_push", [order.id])
        self.assertEqual(order.qbo_status, "error")
        self.assertIn("not connected", order.qbo_error)
        self.assertEqual(self.all_requests(), [])
        self.assertEqual(self.all_requests(other), [])

    def test_a_new_app_drops_the_tokens(self):
        self.rpc(
            "system_admin",
            "qbo.connection",
            "write",
            [self.connection.id],
            {"client_id": "another-app"},
        )
        self.assertEqual(self.connection.sudo().state, "not_connected")
        self.assertFalse(self.connection.sudo().refresh_token)

    def test_quickbooks_admin_cannot_move_the_connection_to_another_company(self):
        company_b = self.env["res.company"].create({"name": "QBO Security Company B"})
        for role in ("qbo_admin", "system_admin"):
            self.users[role].company_ids = [(4, company_b.id)]
            with self.subTest(role=role):
                self.assert_refused(
                    role,
                    "qbo.connection",
                    "write",
                    [self.connection.id],
                    {"company_id": company_b.id},
                )
        self.assertEqual(self.connection.company_id, self.env.company)
        # Company B's orders are not pushed into the first company's QuickBooks.
        order = self.make_sale(confirm=False)
        order.company_id = company_b
        order.action_confirm()
        self.users["qbo_user"].company_ids = [(4, company_b.id)]
        self.sandbox.clear_requests()
        self.rpc(
            "qbo_user",
            "sale.order",
            "action_qbo_push",
            [order.id],
            context={"allowed_company_ids": [company_b.id]},
        )
        self.assertEqual(order.qbo_status, "error")
        self.assertEqual(self.all_requests(), [])

    def test_quickbooks_admin_cannot_write_what_quickbooks_decides(self):
        fake = {
            "realm_id": presets.GB_REALM,
            "state": "connected",
            "setup_done": True,
            "custom_txn_numbers": True,
            "multi_currency": True,
            "cdc_since": "2000-01-01T00:00:00Z",
            "qbo_company_name": "Someone else",
            "qbo_country": "GB",
            "qbo_currency": "GBP",
            "import_state": "done",
            "refresh_token_expires_at": "2099-01-01 00:00:00",
        }
        conn = self.connection.sudo()
        before = {name: conn[name] for name in fake}
        for name, value in fake.items():
            with self.subTest(field=name):
                self.assert_refused(
                    "qbo_admin", "qbo.connection", "write", [conn.id], {name: value}
                )
                self.assert_refused(
                    "system_admin", "qbo.connection", "write", [conn.id], {name: value}
                )
        self.assertEqual({name: conn[name] for name in fake}, before)
        # The realm decides which QBO company gets the orders: still the first one.
        order = self.make_sale(user_id=self.users["qbo_user"].id)
        self.rpc("qbo_user", "sale.order", "action_qbo_push", [order.id])
        self.assertTrue(self.sandbox.store(presets.US_REALM).get("Invoice", order.qbo_txn_id))
        self.assertFalse(
            [
                doc
                for doc in self.sandbox.store(presets.GB_REALM).all("Invoice")
                if doc.get("PrivateNote") == order.name
            ]
        )

    def test_quickbooks_admin_cannot_create_a_ready_made_connection(self):
        company_b = self.env["res.company"].create({"name": "QBO Security Company C"})
        self.users["qbo_admin"].company_ids = [(4, company_b.id)]
        self.assert_refused(
            "qbo_admin",
            "qbo.connection",
            "create",
            [
                {
                    "company_id": company_b.id,
                    "realm_id": presets.US_REALM,
                    "state": "connected",
                    "setup_done": True,
                }
            ],
        )
        self.assert_refused(
            "qbo_admin",
            "qbo.connection",
            "create",
            [{"company_id": company_b.id}],
            context={"default_state": "connected", "default_realm_id": presets.US_REALM},
        )
        self.assertFalse(self.env["qbo.connection"].search([("company_id", "=", company_b.id)]))


@tagged("post_install", "-at_install")
class TestConnectDoor(RpcMixin, QboOAuthCase):
    """What QBO decides reaches the connection through Intuit's consent only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = make_users(cls.env)

    def test_quickbooks_admin_connects_through_intuit_not_by_writing_the_state(self):
        connection = self.connection.sudo()
        self.assert_refused(
            "qbo_admin",
            "qbo.connection",
            "write",
            [connection.id],
            {"state": "connected", "realm_id": presets.US_REALM},
        )
        self.assertEqual(connection.state, "not_connected")
        # Their door: Connect, Intuit's consent page, the callback; then Disconnect.
        path = self.consent(self.users["qbo_admin"], presets.US_REALM)
        self.login("qbo_admin")
        self.assertEqual(self.callback(path).status_code, 303)
        connection.invalidate_recordset()
        self.assertEqual((connection.state, connection.realm_id), ("connected", presets.US_REALM))
        self.assertEqual(connection.qbo_country, "US")
        self.rpc("qbo_admin", "qbo.connection", "action_qbo_disconnect", [connection.id])
        self.assertEqual(connection.state, "not_connected")
        self.assertFalse(connection.refresh_token)
