"""What the orders' users see of QuickBooks: the bulk action's outcome and the QBO number."""

from lxml import etree

from odoo.tests import tagged

from .orders import QboPushCase


@tagged("post_install", "-at_install")
class TestOrderFeedback(QboPushCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qbo_user = cls.make_qbo_user("qbo_feedback_user")

    def test_bulk_action_leaves_quotations_alone_and_says_so(self):
        quotation = self.make_sale(confirm=False)
        draft_po = self.make_purchase(confirm=False)
        confirmed = self.make_sale()
        sent = self.push(self.make_sale())
        orders = (quotation | confirmed | sent).with_user(self.qbo_user)
        action = orders.action_qbo_push_queue()
        message = action["params"]["message"]
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("1 order(s) queued", message)
        self.assertIn("1 not confirmed yet, left out: only confirmed orders are sent.", message)
        self.assertIn("1 already sent or voided in QuickBooks, left out.", message)
        self.assertEqual(quotation.qbo_status, "not_pushed")
        self.assertEqual(confirmed.qbo_status, "queued")
        draft_po.with_user(self.qbo_user).action_qbo_push_queue()
        self.push_queued()
        self.assertCreated(confirmed)
        for order in (quotation, draft_po):
            self.assertEqual(order.qbo_status, "not_pushed")
            self.assertFalse(order.qbo_error)
        self.assertEqual(len(self.qbo_docs()), 2)  # `sent` and `confirmed`
        self.assertFalse(self.qbo_docs("Bill"))

    def test_qbo_number_is_on_the_order_forms_and_lists(self):
        order = self.push(self.make_sale())
        self.assertTrue(order.qbo_doc_number)
        # The lists the Orders menus open, and the forms
        lists = {
            "sale.order": "sale.sale_order_tree",
            "purchase.order": "purchase.purchase_order_view_tree",
        }
        for model, list_view in lists.items():
            views = (
                self.env[model]
                .with_user(self.qbo_user)
                .get_views([(False, "form"), (self.env.ref(list_view).id, "list")])
            )
            for view_type in ("form", "list"):
                arch = views["views"][view_type]["arch"]
                self.assertIn('name="qbo_doc_number"', arch, f"{model} {view_type}")
        [read] = order.with_user(self.qbo_user).read(["qbo_doc_number"])
        self.assertEqual(read["qbo_doc_number"], order.qbo_doc_number)

    def test_the_quickbooks_button_leads_where_the_books_are_in_quickbooks(self):
        """Odoo's own *Create Invoice* stays at hand, secondary and named for where it books;
        the QuickBooks button is the primary one and comes first."""
        order = self.make_sale()
        self.assertEqual(order.invoice_status, "to invoice")
        self.assertTrue(order.qbo_books_sales)
        arch = etree.fromstring(
            self.env["sale.order"]
            .with_user(self.qbo_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        buttons = arch.xpath("//header/button")
        names = [b.get("string") or b.get("name") for b in buttons]
        push = names.index("Create invoice in QuickBooks")
        self.assertIn("btn-primary", buttons[push].get("class", ""))
        [odoo_primary] = arch.xpath("//header/button[@id='create_invoice']")
        self.assertLess(push, buttons.index(odoo_primary))
        self.assertIn("qbo_books_sales", odoo_primary.get("invisible"))
        [in_odoo] = arch.xpath("//header/button[@id='create_invoice_odoo']")
        self.assertNotIn("btn-primary", in_odoo.get("class", ""))
        self.assertEqual(in_odoo.get("string"), "Create invoice in Odoo")
        # Without sales orders synced to QuickBooks, Odoo's invoicing leads as before.
        self.connection.sync_sales = False
        order.invalidate_recordset()
        self.assertFalse(order.qbo_books_sales)
