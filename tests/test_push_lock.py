from odoo import api, modules
from odoo.exceptions import UserError
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from ..services import push


@tagged("post_install", "-at_install")
class TestOneSenderPerOrder(BaseCase):
    """Two real transactions pushing one order: the second one sends nothing.

    The first transaction holds the order's row as a push does while it sends; the
    button of a second user is told the order is being sent, the background push
    skips it. This needs real, separate transactions, so the test commits its order
    and removes it at the end.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = modules.registry.Registry(get_db_name())

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Lock test customer"})
            order = env["sale.order"].create({"partner_id": partner.id})
            cr.execute("UPDATE sale_order SET qbo_status = 'queued' WHERE id = %s", [order.id])
            self.order_id, partner_id = order.id, partner.id

        def cleanup():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                env["sale.order"].browse(self.order_id).unlink()
                env["res.partner"].browse(partner_id).unlink()

        self.addCleanup(cleanup)

    def sending(self):
        """A transaction that holds the order as a push does while it sends."""
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        cr.execute("SELECT id FROM sale_order WHERE id = %s FOR NO KEY UPDATE", [self.order_id])
        return cr

    def test_the_button_of_a_second_user_is_refused_in_words(self):
        holder = self.sending()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.order_id)
            # a held order is expected: no "bad query" ERROR for it
            with (
                self.assertNoLogs("odoo.sql_db", "ERROR"),
                self.assertRaisesRegex(UserError, "is being sent to QuickBooks Online"),
            ):
                push.push(order)
        holder.rollback()

    def test_the_background_push_skips_the_order(self):
        holder = self.sending()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.order_id)
            push.push(order, bulk=True)
            self.assertEqual(order.qbo_status, "queued")
            self.assertFalse(order.qbo_error)
            cr.rollback()
        holder.rollback()
