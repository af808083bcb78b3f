"""The Connect button, Intuit's consent page (the sandbox's) and the Odoo callback."""

import base64
import json
import time
from urllib.parse import urlsplit

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import hash_sign

from odoo.addons.quickbooks_online.qbo_sandbox import presets
from odoo.addons.quickbooks_online.services.oauth_flow import STATE_SCOPE

from .common import CALLBACK, QboOAuthCase


@tagged("post_install", "-at_install")
class TestOAuthCallback(QboOAuthCase):
    def test_full_connect_stores_tokens_reads_company_and_opens_wizard(self):
        path = self.consent(self.admin, presets.GB_REALM)
        self.authenticate("admin", "admin")
        response = self.callback(path)
        self.assertEqual(response.status_code, 303)
        wizard_id = int(response.headers["Location"].rsplit("/", 1)[1])
        self.assertIn(
            "action-quickbooks_online.action_qbo_setup_wizard", response.headers["Location"]
        )
        connection = self.connection.sudo()
        connection.invalidate_recordset()
        self.assertEqual(connection.state, "connected")
        self.assertEqual(connection.realm_id, presets.GB_REALM)
        self.assertEqual(connection.qbo_country, "GB")
        self.assertEqual(connection.qbo_currency, "GBP")
        self.assertTrue(connection.refresh_token and connection.access_token)
        self.assertTrue(connection.refresh_token_hard_expires_at)
        self.assertFalse(connection.oauth_nonce, "a state works once")
        wizard = self.env["qbo.setup.wizard"].browse(wizard_id)
        self.assertEqual(wizard.connection_id, self.connection)
        # The demo company keeps its books in USD in the US: said plainly before any push.
        self.assertIn("GBP", connection.mismatch_warning)
        # The same link again is refused: its nonce was spent.
        self.assert_refused_after_connect(self.callback(path))

    def assert_refused_after_connect(self, response):
        self.assertEqual(response.status_code, 400)
        self.assertIn("already used", response.text)

    def test_tampered_state_is_refused(self):
        path = self.consent(self.admin, presets.US_REALM)
        state = dict(p.split("=", 1) for p in path.split("?", 1)[1].split("&"))["state"]
        raw = base64.urlsafe_b64decode(state + "===")
        # Point the signed payload at another connection without re-signing it.
        message = json.loads(raw[41:])
        message["c"] += 1
        forged = base64.urlsafe_b64encode(raw[:41] + json.dumps(message).encode()).decode()
        self.authenticate("admin", "admin")
        self.assert_refused(self.callback(path.replace(state, forged.rstrip("="))), "not valid")
        self.assert_refused(self.callback(path.replace(state, "garbage!")), "not valid")

    def test_expired_state_is_refused(self):
        nonce = "expired-nonce"
        self.connection.sudo().oauth_nonce = nonce
        values = {
            "c": self.connection.id,
            "u": self.admin.id,
            "e": int(time.time()) - 1,
            "n": nonce,
        }
        state = hash_sign(self.env(su=True), STATE_SCOPE, values)
        self.authenticate("admin", "admin")
        response = self.callback(f"{CALLBACK}?code=abc&realmId={presets.US_REALM}&state={state}")
        self.assert_refused(response, "expired")

    def test_state_of_another_user_is_refused(self):
        new_test_user(
            self.env,
            login="qbo_other_admin",
            password="qbo_other_admin",
            groups="base.group_user,quickbooks_online.group_qbo_manager",
        )
        path = self.consent(self.admin, presets.US_REALM)
        self.authenticate("qbo_other_admin", "qbo_other_admin")
        self.assert_refused(self.callback(path), "another user")

    def test_cancel_on_the_consent_page_changes_nothing(self):
        action = self.connection.with_user(self.admin).action_qbo_connect()
        state = dict(p.split("=", 1) for p in urlsplit(action["url"]).query.split("&"))["state"]
        self.authenticate("admin", "admin")
        response = self.callback(f"{CALLBACK}?error=access_denied&state={state}")
        self.assert_refused(response, "cancelled")

    def test_connect_without_credentials_says_what_is_missing(self):
        self.connection.client_secret = False
        with self.assertRaisesRegex(UserError, "Client Secret"):
            self.connection.action_qbo_connect()
