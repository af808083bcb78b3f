"""The company of the cost-of-goods tests: *Accounting with inventory*, goods valued in
real time, and the checks of their entries."""

from odoo import fields
from odoo.tests import Form

from odoo.addons.quickbooks_online.qbo_sandbox import presets

from .orders import QboPushCase

REALM = presets.US_REALM


class CogsCase(QboPushCase):
    """A company in *Accounting with inventory* selling goods valued in real time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connection.accounting_mode = "inventory"
        cls.category = cls.env["product.category"].create(
            {
                "name": "QBO COGS goods",
                "property_cost_method": "standard",
                "property_valuation": "real_time",
            }
        )
        cls.goods = cls.make_goods("QBO COGS Widget", "COGS-WIDGET", 12.5)
        cls.stock = cls.env.ref("stock.warehouse0").lot_stock_id

    @classmethod
    def make_goods(cls, name, sku, cost):
        product = cls.make_product(
            name, sku, 40.0, is_storable=True, categ_id=cls.category.id, standard_price=cost
        )
        cls.env["stock.quant"]._update_available_quantity(
            product, cls.env.ref("stock.warehouse0").lot_stock_id, 100
        )
        return product

    def setUp(self):
        super().setUp()
        # The sandbox lives for the class: only count the entries of this test.
        self.earlier = {e["Id"] for e in self.sandbox.store(REALM).all("JournalEntry")}

    # ------------------------------------------------------------------ helpers
    def return_goods(self, picking, qty):
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_ids=picking.ids, active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = qty
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.write({"quantity": qty, "picked": True})
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        return returned

    def entries(self):
        """The COGS entries this test left in QBO."""
        store = self.sandbox.store(REALM)
        return [e for e in store.all("JournalEntry") if e["Id"] not in self.earlier]

    def entry(self, order):
        return self.sandbox.store(REALM).get("JournalEntry", order.qbo_cogs_txn_id)

    def valuation(self, order):
        """What Odoo's stock valuation recorded: delivered value minus returned value."""
        moves = order.picking_ids.move_ids.filtered(lambda m: m.state == "done")
        return sum(moves.filtered("is_out").mapped("value")) - sum(
            moves.filtered("is_in").mapped("value")
        )

    def assert_entry(self, order, amount):
        self.assertEqual(order.qbo_cogs_status, "posted", order.qbo_cogs_error)
        self.assertEqual(order.qbo_cogs_amount, amount)
        self.assertAlmostEqual(self.valuation(order), amount)
        entry = self.entry(order)
        lines = {line["JournalEntryLineDetail"]["PostingType"]: line for line in entry["Line"]}
        self.assertEqual(set(lines), {"Debit", "Credit"})
        self.assertEqual(lines["Debit"]["Amount"], amount)
        self.assertEqual(lines["Credit"]["Amount"], amount)
        self.assertEqual(
            lines["Debit"]["JournalEntryLineDetail"]["AccountRef"]["value"],
            self.connection.cogs_account_id.qbo_id,
        )
        self.assertEqual(
            lines["Credit"]["JournalEntryLineDetail"]["AccountRef"]["value"],
            self.connection.inventory_account_id.qbo_id,
        )
        self.assertIn(order.name, entry["DocNumber"])
        self.assertIn(order.name, entry["PrivateNote"])
        delivered = max(
            order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing").mapped(
                "date_done"
            )
        )
        self.assertEqual(
            entry["TxnDate"], fields.Datetime.context_timestamp(order, delivered).date().isoformat()
        )
        return entry

    def invoice(self, order):
        """Invoice the order in QBO, then let the COGS cron the invoice woke up run."""
        invoice = self.document(self.push(order))
        self.run_cron("ir_cron_qbo_cogs")
        return invoice
