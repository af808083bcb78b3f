"""Who may push a credit for returned goods, through JSON-RPC."""

from odoo.tests import tagged

from .return_common import make_credit
from .security_common import QboRolesCase


@tagged("post_install", "-at_install")
class TestReturnsSecurity(QboRolesCase):
    def setUp(self):
        super().setUp()
        order = self.make_sale()
        self.assertCreated(self.push(order))
        self.credit = make_credit(self.env, order)
        self.sandbox.clear_requests()

    def test_salesperson_cannot_push_a_credit_memo(self):
        self.assert_refused("salesperson", "qbo.return", "action_qbo_push", self.credit.ids)
        self.assert_refused(
            "salesperson", "qbo.return", "read", self.credit.ids, ["qbo_status", "qbo_txn_id"]
        )
        self.assertEqual(self.api_requests("/creditmemo"), [])
        self.assertEqual(self.credit.qbo_status, "queued")

    def test_nobody_writes_a_credit_over_rpc(self):
        for role in ("salesperson", "qbo_user", "qbo_admin", "system_admin"):
            for values in ({"qbo_status": "created"}, {"qbo_txn_id": "1"}):
                self.assert_refused(role, "qbo.return", "write", self.credit.ids, values)
            self.assert_refused(role, "qbo.return", "unlink", self.credit.ids)
        self.assertEqual(self.credit.qbo_status, "queued")

    def test_quickbooks_user_reads_the_credits_of_own_companies_only(self):
        self.credit.sudo().company_id = self.env["res.company"].create({"name": "Elsewhere"})
        self.assert_refused("qbo_user", "qbo.return", "read", self.credit.ids, ["qbo_status"])
        self.assert_refused(
            "qbo_user", "qbo.return.line", "read", self.credit.order_line.ids, ["quantity"]
        )

    def test_quickbooks_user_pushes_it(self):
        self.assertIsNone(
            self.rpc_error("qbo_user", "qbo.return", "action_qbo_push", self.credit.ids)
        )
        self.assertNotEqual(self.credit.qbo_status, "queued")
