from odoo import api
from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets
from odoo.addons.quickbooks_online.services.sweep import sweep

from .common import QboCommittedCase
from .sandbox_setup import commit_connection


@tagged("post_install", "-at_install")
class TestWatermarkAfterARefresh(QboCommittedCase):
    """The CDC sweep that is the one to renew the access token.

    The renewal commits the new token on the connection's row in a transaction of its
    own, after the sweep's transaction began; the sweep's watermark must still be saved.
    This needs real, separate transactions, so the test commits its connection and
    removes it at the end.
    """

    def test_sweep_that_refreshes_the_token_saves_its_watermark(self):
        connection_id = commit_connection(self.registry, self.sandbox)
        try:
            self.sandbox.expire_access_tokens(presets.US_REALM)
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                connection = env["qbo.connection"].browse(connection_id)
                self.assertFalse(connection.cdc_since)  # the sweep's snapshot starts here
                sweep(connection)
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
