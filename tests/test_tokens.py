"""Token life: rotation, one refresh for concurrent callers, invalid_grant, disconnect."""

from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.quickbooks_online.qbo import errors
from odoo.addons.quickbooks_online.qbo_sandbox import presets
from odoo.addons.quickbooks_online.services.token import ConnectionAuth

from .common import QboCase


@tagged("post_install", "-at_install")
class TestTokens(QboCase):
    def setUp(self):
        super().setUp()  # every test starts from a fresh grant (QboCase.fresh_tokens)
        self.sandbox.clear_requests()

    def call_and_catch(self, func):
        """Not assertRaises: it would roll back what the refresh's own transaction recorded."""
        try:
            func()
        except errors.QboError as error:
            return error
        return None

    def test_refresh_rotates_and_the_new_refresh_token_is_kept(self):
        first = self.connection.sudo().refresh_token
        for _round in range(2):
            self.sandbox.expire_access_tokens(presets.US_REALM)
            self.connection._qbo_client().company_info()
        self.connection.invalidate_recordset()
        # Two refreshes: each spent the refresh token stored by the previous one.
        self.assertEqual(len(self.token_requests()), 2)
        self.assertNotEqual(self.connection.sudo().refresh_token, first)
        self.assertEqual(self.connection.state, "connected")

    def test_concurrent_refreshes_spend_the_refresh_token_once(self):
        self.sandbox.expire_access_tokens(presets.US_REALM)
        self.sandbox.clear_requests()
        # Two workers loaded the same (now dead) access token before either refreshed.
        first, second = ConnectionAuth(self.connection), ConnectionAuth(self.connection)
        self.assertEqual(first._token.access_token, second._token.access_token)
        first.refresh()
        # The second worker waits for the row lock, then finds the token the first stored.
        second.refresh()
        self.assertEqual(len(self.token_requests()), 1)
        self.assertEqual(first.access_token, second.access_token)
        client = self.connection._qbo_client()
        self.assertEqual(client.company_info()["CompanyName"], self.connection.qbo_company_name)
        self.assertEqual(len(self.token_requests()), 1)

    def test_invalid_grant_needs_reconnect_notifies_admins_once_and_fails_fast(self):
        admin = new_test_user(
            self.env,
            login="qbo_notified_admin",
            groups="base.group_user,quickbooks_online.group_qbo_manager",
        )
        self.sandbox.invalidate_refresh_tokens(presets.US_REALM)
        self.sandbox.expire_access_tokens(presets.US_REALM)
        error = self.call_and_catch(lambda: self.connection._qbo_client().company_info())
        self.assertIsInstance(error, errors.ReconnectRequired)
        self.connection.invalidate_recordset()
        self.assertEqual(self.connection.state, "reconnect")
        activities = self.connection.activity_ids.filtered(lambda a: a.user_id == admin)
        self.assertEqual(len(activities), 1)
        self.assertIn(f"/odoo/qbo.connection/{self.connection.id}", str(activities.note))
        self.assertIn("Reconnect", activities.summary)
        # A second stale worker meets invalid_grant too: no second activity.
        stale = ConnectionAuth(self.connection)
        stale._token.refresh_token = "RT1-stale"
        self.connection._qbo_set_reconnect_needed("invalid_grant")
        self.assertEqual(
            len(self.connection.activity_ids.filtered(lambda a: a.user_id == admin)), 1
        )
        # Every later call fails at once, in plain words, without a request.
        self.sandbox.clear_requests()
        error = self.call_and_catch(lambda: self.connection._qbo_client())
        self.assertIsInstance(error, errors.ReconnectRequired)
        self.assertIn("reconnect", str(error))
        self.assertEqual(self.sandbox.requests, [])

    def test_user_removed_from_the_company_is_named_as_the_reason(self):
        admin = new_test_user(
            self.env,
            login="qbo_notified_admin_removed",
            groups="base.group_user,quickbooks_online.group_qbo_manager",
        )
        self.sandbox.remove_user(presets.US_REALM)
        self.sandbox.expire_access_tokens(presets.US_REALM)
        error = self.call_and_catch(lambda: self.connection._qbo_client().company_info())
        self.assertIsInstance(error, errors.ReconnectRequired)
        self.assertEqual(error.reason, "user_not_in_realm")
        self.assertIn("was removed from the QuickBooks company", str(error))
        self.connection.invalidate_recordset()
        self.assertEqual(self.connection.state, "reconnect")
        self.assertEqual(self.connection.reconnect_reason, "user_not_in_realm")
        self.assertIn("was removed from the QuickBooks company", self.connection.reconnect_message)
        activity = self.connection.activity_ids.filtered(lambda a: a.user_id == admin)
        self.assertIn("was removed from the QuickBooks company", str(activity.note))
        # later calls fail at once with the same words
        later = self.call_and_catch(lambda: self.connection._qbo_client())
        self.assertIn("was removed from the QuickBooks company", str(later))

    def test_disconnect_revokes_at_intuit_and_forgets_tokens(self):
        refresh = self.connection.sudo().refresh_token
        self.sandbox.clear_requests()
        self.connection.action_qbo_disconnect()
        revokes = [r for r in self.sandbox.requests if "revoke" in r.path]
        self.assertEqual([r.status for r in revokes], [200])
        self.assertEqual(self.connection.state, "not_connected")
        self.assertFalse(self.connection.sudo().refresh_token)
        self.assertFalse(self.connection.sudo().access_token)
        # Intuit no longer accepts the old refresh token.
        oauth = self.connection._qbo_oauth()
        with self.assertRaises(errors.ReconnectRequired):
            oauth.refresh(refresh)

    def test_refresh_token_age_and_expiry_warning(self):
        now = fields.Datetime.now()
        self.connection.write(
            {
                "refresh_token_rotated_at": now - timedelta(days=90),
                "refresh_token_expires_at": now + timedelta(days=10),
            }
        )
        self.assertEqual(self.connection.refresh_token_age_days, 90)
        self.assertIn("expires in", self.connection.token_warning)
        self.connection.write(
            {
                "refresh_token_expires_at": now + timedelta(days=90),
                "refresh_token_hard_expires_at": now + timedelta(days=30, hours=12),
            }
        )
        self.assertIn("expires in 30 days", self.connection.token_warning)
        self.connection.refresh_token_hard_expires_at = now + timedelta(days=1500)
        self.assertFalse(self.connection.token_warning)
