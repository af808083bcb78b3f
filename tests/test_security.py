"""Who sees what: secrets for the system group only, one company's connection per company."""

from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.quickbooks_online.models.qbo_connection import SECRET_FIELDS

from .common import QboCase


@tagged("post_install", "-at_install")
class TestSecurity(QboCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company_b("QBO Security Company B")
        cls.qbo_admin = new_test_user(
            cls.env,
            login="qbo_sec_admin",
            groups="base.group_user,quickbooks_online.group_qbo_manager",
            company_id=cls.env.company.id,
            company_ids=[cls.env.company.id],
        )

    def test_quickbooks_admin_without_system_group_cannot_read_secrets(self):
        connection = self.connection.with_user(self.qbo_admin)
        self.assertEqual(connection.state, "connected")
        for field in SECRET_FIELDS + ("oauth_nonce",):
            with self.subTest(field=field), self.assertRaises(AccessError):
                connection.read([field])
        # The form view they get does not even carry the fields.
        arch = connection.get_views([(False, "form")])["views"]["form"]["arch"]
        for field in SECRET_FIELDS:
            self.assertNotIn(f'name="{field}"', arch)

    def test_a_company_never_sees_or_uses_another_companys_connection(self):
        Connection = self.env["qbo.connection"].with_user(self.qbo_admin)
        self.assertEqual(Connection.search([]), self.connection)
        with self.assertRaises(AccessError):
            self.connection_b.with_user(self.qbo_admin).read(["state"])
        with self.assertRaises(AccessError):
            self.connection_b.with_user(self.qbo_admin).action_qbo_disconnect()
        Account = self.env["qbo.account"].with_user(self.qbo_admin)
        self.assertEqual(Account.search([]).connection_id, self.connection)
        wizard_b = self.env["qbo.setup.wizard"].create({"connection_id": self.connection_b.id})
        with self.assertRaises(AccessError):
            wizard_b.with_user(self.qbo_admin).read(["state"])
        # Starting a connect for company B yields a link that is refused for this admin.
        with self.assertRaises(AccessError):
            self.connection_b.with_user(self.qbo_admin).action_qbo_connect()

    def test_plain_users_cannot_run_the_wizard(self):
        user = new_test_user(
            self.env,
            login="qbo_sec_user",
            groups="base.group_user,quickbooks_online.group_qbo_user",
        )
        with self.assertRaises(AccessError):
            self.env["qbo.setup.wizard"].with_user(user).create(
                {"connection_id": self.connection.id}
            )

    def test_neutralize_clears_the_credentials(self):
        sql = (Path(__file__).parents[1] / "data" / "neutralize.sql").read_text()
        self.env.flush_all()
        self.env.cr.execute(sql)
        self.env.invalidate_all()
        connection = self.connection.sudo()
        for field in SECRET_FIELDS:
            self.assertFalse(connection[field], field)
        self.assertEqual(connection.state, "not_connected")
        self.env.cr.execute(
            SQL("SELECT count(*) FROM qbo_connection WHERE refresh_token IS NOT NULL")
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
