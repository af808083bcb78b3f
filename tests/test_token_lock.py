from odoo.tests import tagged

from .common import QboCommittedCase


@tagged("post_install", "-at_install")
class TestRefreshWhileHoldingTheRow(QboCommittedCase):
    """A transaction that wrote its connection and then needs a new access token.

    The refresh runs in its own transaction and would wait for the caller's row
    lock forever; it must give up after a short lock timeout and refresh in the
    caller's transaction instead. This needs real, separate transactions, so the
    test commits its connection and removes it at the end.
    """

    def test_refresh_falls_back_to_the_callers_transaction(self):
        connection_id = self.expired_connection()
        with self.committed_env() as env:
            connection = env["qbo.connection"].browse(connection_id)
            connection.write({"sync_purchases": False})  # the caller now holds the row
            env.flush_all()
            # Waiting for the lock in vain is expected: no "bad query" ERROR for it.
            with self.assertNoLogs("odoo.sql_db", "ERROR"):
                info = connection._qbo_client().company_info()
            self.assertEqual(info["CompanyName"], "Sandbox Company US")
            self.assertEqual(len(self.token_requests()), 1)
