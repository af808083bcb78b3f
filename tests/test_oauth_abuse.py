"""The OAuth callback misused by a logged-in user: replays, hostile parameters, the access log."""

import logging
from urllib.parse import parse_qsl, urlencode, urlsplit

from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import CALLBACK, QboOAuthCase


def query_of(path):
    return dict(parse_qsl(urlsplit(path).query))


@tagged("post_install", "-at_install")
class TestOAuthCallbackAbuse(QboOAuthCase):
    def test_a_state_spent_on_a_failed_exchange_cannot_be_used_again(self):
        path = self.consent(self.admin, presets.US_REALM)
        params = query_of(path)
        self.authenticate("admin", "admin")
        failed = self.callback(f"{CALLBACK}?{urlencode(dict(params, code='not-a-code'))}")
        self.assert_refused(failed, "did not accept")
        # The genuine code with the same state: the link was used once already.
        self.assert_refused(self.callback(path), "already used")
        self.assertFalse(self.connection.sudo().realm_id)

    def test_the_access_log_shows_neither_code_nor_state(self):
        path = self.consent(self.admin, presets.US_REALM)
        params = query_of(path)
        self.authenticate("admin", "admin")
        with self.assertLogs("werkzeug", logging.INFO) as logs:
            self.assertEqual(self.callback(path).status_code, 303)
        lines = [line for line in logs.output if CALLBACK in line]
        self.assertEqual(len(lines), 1, "the request line is logged")
        self.assertIn(f"realmId={presets.US_REALM}", lines[0])
        for secret in (params["code"], params["state"], urlsplit(path).query):
            self.assertNotIn(secret, "\n".join(logs.output))

    def test_a_line_break_in_the_error_cannot_forge_a_log_line(self):
        action = self.connection.with_user(self.admin).action_qbo_connect()
        state = query_of(action["url"])["state"]
        forged = "2026-11-29 21:00:00,000 4242 CRITICAL prod odoo.addons.base: admin logged out"
        query = urlencode({"error": "access_denied\r\n" + forged, "state": state})
        self.authenticate("admin", "admin")
        with self.assertLogs("odoo.addons.quickbooks_online", logging.INFO) as logs:
            response = self.callback(f"{CALLBACK}?{query}")
        self.assert_refused(response, "cancelled")
        messages = [record.getMessage() for record in logs.records]
        self.assertTrue(any("access_denied\\r\\n2026-11-29" in m for m in messages))
        for message in messages:
            self.assertNotIn(f"\n{forged}", message)
