from odoo.tests import tagged

from .orders import QboPushCase


@tagged("post_install", "-at_install")
class TestPushCosts(QboPushCase):
    """API requests and SQL queries per pushed order."""

    def test_steady_push_is_one_request(self):
        self.push(self.make_sale([(self.product, 1, 40.0), (self.service, 2, 25.0)]))
        self.sandbox.clear_requests()
        order = self.push(self.make_sale([(self.product, 5, 40.0), (self.service, 1, 25.0)]))
        self.assertCreated(order)
        self.assertEqual([(r.method, r.entity) for r in self.api_requests()], [("POST", "Invoice")])

    def test_first_push_with_a_new_customer_and_29_new_products_is_three_requests(self):
        products = self.env["product.product"].concat(
            *(self.make_product(f"Part {n}", f"PART-{n:03}", 10.0 + n) for n in range(29))
        )
        partner = self.env["res.partner"].create(
            {"name": "First Time Buyer", "email": "first@buyer.example"}
        )
        order = self.push(self.make_sale([(p, 1, p.list_price) for p in products], partner=partner))
        self.assertCreated(order)
        requests = self.api_requests()
        self.assertEqual(
            [r.entity for r in requests], ["batch", "batch", "Invoice"], "lookups, creates, invoice"
        )
        self.assertEqual(len(self.qbo_docs("Item")), 29)
        self.assertEqual(len(self.qbo_docs("Customer")), 1)
        [invoice] = self.qbo_docs()
        self.assertEqual(
            len([line for line in invoice["Line"] if line["DetailType"] == "SalesItemLineDetail"]),
            29,
        )

    def test_first_purchase_with_a_new_vendor_is_three_requests(self):
        products = self.env["product.product"].concat(
            *(self.make_product(f"Bolt {n}", f"BOLT-{n:03}", 1.0) for n in range(29))
        )
        partner = self.env["res.partner"].create({"name": "New Vendor", "email": "v@new.example"})
        order = self.push(self.make_purchase([(p, 10, 0.5) for p in products], partner=partner))
        self.assertCreated(order)
        self.assertEqual([r.entity for r in self.api_requests()], ["batch", "batch", "Bill"])

    def test_sql_queries_do_not_grow_with_the_lines(self):
        products = self.env["product.product"].concat(
            *(self.make_product(f"Bulb {n}", f"BULB-{n:02}", 3.0) for n in range(12))
        )
        # Link everything first: the steady state is what a user repeats all day.
        self.push(self.make_sale([(p, 1, 3.0) for p in products]))
        small = self.make_sale([(products[0], 1, 3.0)])
        large = self.make_sale([(p, 2, 3.0) for p in products])
        self.assertEqual(len(large.order_line), 12)
        # Measured as assertQueryCount measures (flushes, tracking included).
        self.settle()
        before = self.cr.sql_log_count
        small.action_qbo_push()
        self.settle()
        queries = self.cr.sql_log_count - before
        self.assertEqual(small.qbo_status, "created")
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            large.action_qbo_push()
        self.assertEqual(large.qbo_status, "created")

    def settle(self):
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
