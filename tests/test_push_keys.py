"""The idempotency keys stay what they were: QBO replays a write only under the key it saw.

Each key is pinned to its value for fixed parts, so that a change of its parts, their
order, its prefix or its length shows here before it reaches a database whose pushes
are under way.
"""

from odoo.tests import TransactionCase, tagged

from ..services import amend, resolve, send
from .common import UUID


@tagged("post_install", "-at_install")
class TestPushKeys(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("database.uuid", UUID)
        cls.sale = cls.fixed(
            cls.env["sale.order"], 900042, cls.env["res.partner"].create({"name": "Key customer"})
        )

    @classmethod
    def fixed(cls, model, order_id, partner):
        """A record of ``model`` with the id ``order_id`` (a key is made of record ids)."""
        record = model.create({"partner_id": partner.id})
        cls.env.flush_all()
        cls.env.cr.execute(
            f"UPDATE {model._table} SET id = %s WHERE id = %s",
            [order_id, record.id],
        )
        cls.env.invalidate_all()
        return model.browse(order_id)

    def set_generation(self, orders, generation, refusals=0):
        self.env.cr.execute(
            f"UPDATE {orders._table} SET qbo_generation = %s, qbo_refusals = %s WHERE id IN %s",
            [generation, refusals, tuple(orders.ids)],
        )
        orders.invalidate_recordset()

    def test_document_key(self):
        self.set_generation(self.sale, 3)
        self.assertEqual(send.document_key(self.sale), "21e27f12ad39b8c0e40b251d5ecf6aa0e85f0ea7")

    def test_document_key_after_a_refusal(self):
        """A refused order's next push sends under a key of its own (the refusals count
        is one more part of the key)."""
        self.set_generation(self.sale, 3, refusals=1)
        self.assertEqual(send.document_key(self.sale), "1ea0f2f9969bbbb0193939ef1c78174a020f0e23")

    def test_batch_key_after_a_refusal(self):
        vendor = self.env["res.partner"].create({"name": "Key vendor"})
        first = self.fixed(self.env["purchase.order"], 900007, vendor)
        second = self.fixed(self.env["purchase.order"], 900009, vendor)
        self.set_generation(second, 2, refusals=1)
        self.assertEqual(send.batch_key(first | second), "beaa6efae5d26c39403a08c617503a29")

    def test_batch_key(self):
        vendor = self.env["res.partner"].create({"name": "Key vendor"})
        first = self.fixed(self.env["purchase.order"], 900007, vendor)
        second = self.fixed(self.env["purchase.order"], 900009, vendor)
        self.set_generation(second, 2)
        self.assertEqual(send.batch_key(first | second), "be5898a27b296552ee14b865252aaa6a")

    def test_create_key(self):
        self.assertEqual(
            resolve.create_key(self.env, {"p5": {}, "i12": {}, "i3": {}}),
            "c0a77e494e00a2bedbed85687efcf48e",
        )

    def test_amend_write_key(self):
        self.set_generation(self.sale, 3)
        self.assertEqual(
            amend.write_key(self.sale, "void", {"SyncToken": "4"}),
            "0f5095bd5c9a15f89a938cd2ca513d0c77d2ebd2",
        )
