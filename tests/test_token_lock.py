from odoo import api
from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboCommittedCase
from .sandbox_setup import commit_connection


@tagged("post_install", "-at_install")
class TestRefreshWhileHoldingTheRow(QboCommittedCase):
    """A transaction that wrote its connection and then needs a new access token.

    The refresh runs in its own transaction and would wait for the caller's row
    lock forever; it must give up after a short lock timeout and refresh in the
    caller's transaction instead. This needs real, separate transactions, so the
    test commits its connection and removes it at the end.
    """

    def test_refresh_falls_back_to_the_callers_transaction(self):
        connection_id = commit_connection(self.registry, self.sandbox)
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
