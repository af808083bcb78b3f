from odoo import api, modules
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from odoo.addons.quickbooks_online.qbo import Token, const
from odoo.addons.quickbooks_online.qbo_sandbox import SandboxServer, presets


@tagged("post_install", "-at_install")
class TestRefreshWhileHoldingTheRow(BaseCase):
    """A transaction that wrote its connection and then needs a new access token.

    The refresh runs in its own transaction and would wait for the caller's row
    lock forever; it must give up after a short lock timeout and refresh in the
    caller's transaction instead. This needs real, separate transactions, so the
    test commits its connection and removes it at the end.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = SandboxServer().start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.registry = modules.registry.Registry(get_db_name())

    def test_refresh_falls_back_to_the_callers_transaction(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            connection = env["qbo.connection"]._for_company(env.ref("base.main_company"))
            connection.write(
                {
                    "environment": const.CUSTOM,
                    "base_url": self.sandbox.url,
                    "client_id": presets.CLIENT_ID,
                    "client_secret": presets.CLIENT_SECRET,
                    "realm_id": presets.US_REALM,
                    "state": "connected",
                }
            )
            connection._qbo_store_token(Token.from_response(self.sandbox.grant(presets.US_REALM)))
            connection_id = connection.id
        try:
            self.sandbox.expire_access_tokens(presets.US_REALM)
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                connection = env["qbo.connection"].browse(connection_id)
                connection.write({"sync_purchases": False})  # the caller now holds the row
                env.flush_all()
                # Waiting for the lock in vain is expected: no "bad query" ERROR for it.
                with self.assertNoLogs("odoo.sql_db", "ERROR"):
                    info = connection._qbo_client().company_info()
                self.assertEqual(info["CompanyName"], "Sandbox Company US")
                token_requests = [
                    r for r in self.sandbox.requests if r.path == "/oauth2/v1/tokens/bearer"
                ]
                self.assertEqual(len(token_requests), 1)
        finally:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                env["qbo.connection"].browse(connection_id).unlink()
