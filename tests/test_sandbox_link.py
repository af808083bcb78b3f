from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo import errors
from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboCase


@tagged("post_install", "-at_install")
class TestSandboxLink(QboCase):
    """The addon reaches the local QBO sandbox over HTTP with its stored tokens."""

    def test_company_and_preferences_are_read(self):
        self.assertEqual(self.connection.realm_id, presets.US_REALM)
        self.assertEqual(self.connection.qbo_country, "US")
        self.assertTrue(self.connection.is_us)
        self.assertEqual(self.connection.qbo_currency, "USD")
        self.assertTrue(self.connection.income_account_id)
        self.assertEqual(self.connection.income_account_id.account_type, "Income")

    def test_expired_access_token_is_refreshed_and_rotated_token_stored(self):
        old_refresh = self.connection.sudo().refresh_token
        self.sandbox.expire_access_tokens(presets.US_REALM)
        client = self.connection._qbo_client()
        self.assertEqual(client.company_info()["CompanyName"], self.connection.qbo_company_name)
        self.connection.invalidate_recordset()
        self.assertNotEqual(self.connection.sudo().refresh_token, old_refresh)
        self.assertTrue(self.connection.refresh_token_rotated_at)

    def test_invalid_grant_turns_the_connection_to_reconnect_needed(self):
        self.sandbox.invalidate_refresh_tokens(presets.US_REALM)
        self.sandbox.expire_access_tokens(presets.US_REALM)
        # Not assertRaises: Odoo's rolls back to a savepoint, and the state is committed
        # by the refresh's own transaction, which in tests is a savepoint of the test's.
        raised = None
        try:
            self.connection._qbo_client().company_info()
        except errors.ReconnectRequired as error:
            raised = error
        self.assertIsInstance(raised, errors.ReconnectRequired)
        self.connection.invalidate_recordset()
        self.assertEqual(self.connection.state, "reconnect")
