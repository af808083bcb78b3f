"""The keys of a return's credit and of its COGS reversal stay what they are.

Pinned like the order's keys (``test_push_keys``): QBO replays a write only under the
key it saw, so a change of their parts shows here first.
"""

from odoo.tests import TransactionCase, tagged

from ..services import cogs, return_cogs, send
from .common import UUID


@tagged("post_install", "-at_install")
class TestReturnKeys(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("database.uuid", UUID)
        partner = cls.env["res.partner"].create({"name": "Key customer"})
        picking = cls.env["stock.picking"].create(
            {"picking_type_id": cls.env.ref("stock.picking_type_in").id}
        )
        credit = (
            cls.env["qbo.return"]
            .sudo()
            .create(
                {
                    "name": "WH/IN/KEY",
                    "return_type": "credit_memo",
                    "picking_id": picking.id,
                    "company_id": cls.env.company.id,
                    "partner_id": partner.id,
                    "currency_id": cls.env.company.currency_id.id,
                    "date_order": "2026-01-01 00:00:00",
                }
            )
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE qbo_return SET id = 900051, qbo_generation = 2 WHERE id = %s", [credit.id]
        )
        cls.env.invalidate_all()
        cls.credit = cls.env["qbo.return"].browse(900051)

    def test_credit_key(self):
        self.assertEqual(send.document_key(self.credit), "dc4f12ea147382c44443fd9ed2b3e056908ec894")

    def test_cogs_reversal_keys(self):
        self.assertEqual(
            return_cogs.request_id(self.credit), "1ae4e89ce6f50059de39594128f3bcb0fcc69ccb"
        )
        self.assertEqual(cogs.marker(self.credit), "[odoo-cogs:d69fdd244e01bbdd535f]")
