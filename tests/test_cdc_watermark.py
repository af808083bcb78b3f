from odoo import api, modules
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from odoo.addons.quickbooks_online.qbo import Token, const
from odoo.addons.quickbooks_online.qbo_sandbox import SandboxServer, presets


@tagged("post_install", "-at_install")
class TestWatermarkAfterARefresh(BaseCase):
    """The CDC sweep that is the one to renew the access token.

    The renewal commits the new token on the connection's row in a transaction of its
    own, after the sweep's transaction began; the sweep's watermark must still be saved.
    This needs real, separate transactions, so the test commits its connection and
    removes it at the end.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = SandboxServer().start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.registry = modules.registry.Registry(get_db_name())

    def test_sweep_that_refreshes_the_token_saves_its_watermark(self):
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
                self.assertFalse(connection.cdc_since)  # the sweep's snapshot starts here
                env["qbo.sync"]._sweep(connection)
                env.flush_all()
            token_requests = [
                r for r in self.sandbox.requests if r.path == "/oauth2/v1/tokens/bearer"
            ]
            self.assertEqual(len(token_requests), 1, "the sweep renewed the token")
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                self.assertTrue(env["qbo.connection"].browse(connection_id).cdc_since)
        finally:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                env["qbo.connection"].browse(connection_id).unlink()
