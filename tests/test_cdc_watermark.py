from odoo.tests import tagged

from odoo.addons.quickbooks_online.services.sweep import sweep

from .common import QboCommittedCase


@tagged("post_install", "-at_install")
class TestWatermarkAfterARefresh(QboCommittedCase):
    """The CDC sweep that is the one to renew the access token.

    The renewal commits the new token on the connection's row in a transaction of its
    own, after the sweep's transaction began; the sweep's watermark must still be saved.
    This needs real, separate transactions, so the test commits its connection and
    removes it at the end.
    """

    def test_sweep_that_refreshes_the_token_saves_its_watermark(self):
        connection_id = self.expired_connection()
        with self.committed_env() as env:
            connection = env["qbo.connection"].browse(connection_id)
            self.assertFalse(connection.cdc_since)  # the sweep's snapshot starts here
            sweep(connection)
            env.flush_all()
        self.assertEqual(len(self.token_requests()), 1, "the sweep renewed the token")
        with self.committed_env() as env:
            self.assertTrue(env["qbo.connection"].browse(connection_id).cdc_since)
