"""No token or secret reaches the logs, whatever the level."""

import logging

from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .common import QboOAuthCase


@tagged("post_install", "-at_install")
class TestNoSecretsInLogs(QboOAuthCase):
    def test_connect_refresh_and_api_session_log_no_secret(self):
        self.connection.verifier_token = presets.VERIFIER_TOKEN
        seen = set()
        connection = self.connection.sudo()

        def remember():
            connection.invalidate_recordset()
            seen.update(
                value for value in (connection.access_token, connection.refresh_token) if value
            )

        with self.assertLogs(level=logging.DEBUG) as logs:
            logging.getLogger("odoo.addons.quickbooks_online").info("session starts")
            path = self.consent(self.admin, presets.US_REALM)
            code = dict(part.split("=", 1) for part in path.split("?", 1)[1].split("&"))["code"]
            self.authenticate("admin", "admin")
            self.assertEqual(self.callback(path).status_code, 303)
            remember()
            # A refresh (rotation) then ordinary API calls, one of them after a 401.
            self.sandbox.expire_access_tokens(presets.US_REALM)
            client = self.connection._qbo_client()
            client.company_info()
            remember()
            client.query_all("Customer")
            self.sandbox.expire_access_tokens(presets.US_REALM)
            self.connection._qbo_sync_accounts()
            remember()
            self.connection._qbo_import_partners_start()
        self.assertGreaterEqual(len(seen), 6, "three token pairs were issued")
        secrets = seen | {code, presets.CLIENT_SECRET, presets.VERIFIER_TOKEN}
        text = "\n".join(logs.output)
        self.assertIn("QBO", text, "the session was logged at all")
        for secret in secrets:
            self.assertNotIn(secret, text)
