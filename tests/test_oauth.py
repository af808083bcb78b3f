"""The Connect button, Intuit's consent page (the sandbox's) and the Odoo callback."""

import base64
import json
import time
from urllib.parse import urlsplit

import requests

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import hash_sign

from odoo.addons.quickbooks_online.qbo import const
from odoo.addons.quickbooks_online.qbo_sandbox import presets
from odoo.addons.quickbooks_online.services.oauth_flow import STATE_SCOPE

from .common import QboSandboxMixin

CALLBACK = "/quickbooks/oauth/callback"


class QboOAuthCase(QboSandboxMixin, HttpCase):
    """A company whose connection has the sandbox's app credentials but no tokens yet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_sandbox()
        cls.admin = cls.env.ref("base.user_admin")
        cls.connection = cls.env["qbo.connection"]._for_company(cls.admin.company_id)
        cls.connection.write(
            {
                "environment": const.CUSTOM,
                "base_url": cls.sandbox.url,
                "client_id": presets.CLIENT_ID,
                "client_secret": presets.CLIENT_SECRET,
            }
        )

    def consent(self, user, realm_id):
        """Click Connect as ``user``, pick ``realm_id`` on the consent page; return the
        callback path and query Intuit redirects the browser to."""
        action = self.connection.with_user(user).action_qbo_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        page = requests.get(action["url"], timeout=10)
        self.assertEqual(page.status_code, 200)
        self.assertIn(realm_id, page.text)
        query = dict(part.split("=", 1) for part in urlsplit(action["url"]).query.split("&"))
        form = {key: requests.utils.unquote(value) for key, value in query.items()}
        answer = requests.post(
            f"{self.sandbox.url}/connect/oauth2",
            data=dict(form, realm_id=realm_id, action="allow"),
            allow_redirects=False,
            timeout=10,
        )
        self.assertEqual(answer.status_code, 302)
        location = urlsplit(answer.headers["Location"])
        self.assertEqual(location.path, CALLBACK)
        return f"{location.path}?{location.query}"

    def callback(self, path):
        return self.url_open(path, allow_redirects=False)

    def assert_refused(self, response, words):
        self.assertEqual(response.status_code, 400)
        self.assertIn(words, response.text)
        self.assertNotIn("Traceback", response.text)
        self.connection.invalidate_recordset()
        self.assertEqual(self.connection.state, "not_connected")
        self.assertFalse(self.connection.sudo().refresh_token)


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
