from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestQboConnection(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Connection = cls.env["qbo.connection"]
        cls.company_b = cls.env["res.company"].create({"name": "QBO Second Company"})

    def test_one_connection_per_company(self):
        connection = self.Connection._for_company()
        self.assertEqual(connection.company_id, self.env.company)
        self.assertEqual(connection.state, "not_connected")
        # Asking again returns the same record instead of creating a second one.
        self.assertEqual(self.Connection._for_company(), connection)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.Connection.create({"company_id": self.env.company.id})

    def test_menu_action_opens_current_company_connection(self):
        action = self.env.ref("quickbooks_online.action_qbo_connection_current").run()
        self.assertEqual(action["res_model"], "qbo.connection")
        self.assertEqual(self.Connection.browse(action["res_id"]).company_id, self.env.company)

    def test_users_without_the_admin_group_cannot_read_connections(self):
        connection = self.Connection._for_company()
        user = new_test_user(
            self.env,
            login="qbo_plain_user",
            groups="base.group_user,quickbooks_online.group_qbo_user",
        )
        with self.assertRaises(AccessError):
            connection.with_user(user).read(["state"])

    def test_admin_sees_only_connections_of_allowed_companies(self):
        own = self.Connection._for_company()
        other = self.Connection._for_company(self.company_b)
        admin = new_test_user(
            self.env,
            login="qbo_admin_a",
            groups="base.group_user,quickbooks_online.group_qbo_manager",
            company_id=self.env.company.id,
            company_ids=[self.env.company.id],
        )
        visible = self.Connection.with_user(admin).search([])
        self.assertIn(own, visible)
        self.assertNotIn(other, visible)

    def test_admin_group_implies_user_group(self):
        manager = self.env.ref("quickbooks_online.group_qbo_manager")
        self.assertIn(self.env.ref("quickbooks_online.group_qbo_user"), manager.all_implied_ids)

    def test_order_statuses_default_and_are_not_copied(self):
        partner = self.env["res.partner"].create({"name": "QBO Status Customer"})
        order = self.env["sale.order"].create({"partner_id": partner.id})
        self.assertEqual(order.qbo_status, "not_pushed")
        order.qbo_status = "created"
        self.assertEqual(order.copy().qbo_status, "not_pushed")
        purchase = self.env["purchase.order"].create({"partner_id": partner.id})
        self.assertEqual(purchase.qbo_status, "not_pushed")
