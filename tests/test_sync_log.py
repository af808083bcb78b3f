"""The sync log: one row per QuickBooks call, redacted, kept when the work is rolled back,
counted per month and source, retried from, and purged."""

from datetime import timedelta

from odoo import fields
from odoo.tests import freeze_time, tagged

from odoo.addons.quickbooks_online.qbo import Token
from odoo.addons.quickbooks_online.qbo_sandbox import presets
from odoo.addons.quickbooks_online.qbo_sandbox.webhooks import sign
from odoo.addons.quickbooks_online.services import sync_log

from .security_common import QboRolesCase
from .webhooks import invoice_event


@tagged("post_install", "-at_install")
class TestSyncLog(QboRolesCase):
    def setUp(self):
        super().setUp()
        self.Log = self.env["qbo.sync.log"].sudo()
        self.start_id = self.Log.search([], order="id desc", limit=1).id or 0

    def rows(self, **where):
        domain = [("id", ">", self.start_id)] + [(k, "=", v) for k, v in where.items()]
        return self.Log.search(domain, order="id")

    def failed_push(self):
        """A push of a new order from its button, failing on the create."""
        order = self.make_sale(user_id=self.users["qbo_user"].id)
        self.sandbox.inject("500", count=5, path="/invoice")
        order.action_qbo_push()
        self.assertEqual(order.qbo_status, "error")
        return order

    # ------------------------------------------------------------------ call paths
    def test_the_sweep_is_logged_as_cdc_and_counted_as_a_read(self):
        before = self.env["qbo.api.usage"]._this_month(self.connection)
        self.connection._qbo_save_watermark(False)
        self.run_cron("ir_cron_qbo_cdc_sweep")
        cdc = self.rows(operation="cdc")
        self.assertEqual(len(cdc), 1)
        self.assertEqual(
            (cdc.source, cdc.method, cdc.status_code, cdc.state, cdc.metered_read),
            ("cdc", "GET", 200, "done", True),
        )
        self.assertTrue(cdc.intuit_tid)
        self.assertEqual(cdc.sudo().connection_id, self.connection)
        self.assertIn("changedSince", cdc.url)
        self.assertIn("CDCResponse", cdc.response_body)
        after = self.env["qbo.api.usage"]._this_month(self.connection)[self.connection.id]
        reads = after["cdc"][0] - before.get(self.connection.id, {}).get("cdc", (0, 0))[0]
        self.assertEqual(reads, len(self.rows().filtered("metered_read")))
        self.assertIn(f"CDC sweep {after['cdc'][0]}", self.connection.api_read_sources)
        self.assertEqual(self.connection.api_reads_month, sum(r for r, _w in after.values()))

    def test_a_failed_sweep_rolled_back_keeps_its_log(self):
        self.sandbox.inject("500", count=5, path="/cdc")
        self.run_cron("ir_cron_qbo_cdc_sweep")
        cdc = self.rows(operation="cdc")
        self.assertEqual((cdc.state, cdc.status_code, cdc.source), ("failed", 500, "cdc"))
        self.assertTrue(cdc.error)

    def test_webhook_events_import_and_setup_are_logged_by_source(self):
        order = self.make_sale()
        invoice = self.document(self.push(order))
        body = invoice_event(invoice["Id"], "Update", invoice["MetaData"]["LastUpdatedTime"])
        headers = {"intuit-signature": sign(body, presets.VERIFIER_TOKEN)}
        self.assertEqual(
            self.url_open("/quickbooks/webhook", data=body, headers=headers).status_code, 200
        )
        self.run_cron("ir_cron_qbo_process_events")
        self.connection._qbo_import_partners_start()
        self.connection._qbo_sync_accounts()
        self.connection._qbo_read_company()
        sources = {(row.source, row.operation) for row in self.rows()}
        self.assertIn(("other", "create"), sources, "a call without context is still logged")
        self.assertIn(("webhook", "cdc"), sources)
        self.assertIn(("import", "query"), sources)
        self.assertIn(("setup", "query"), sources)
        self.assertIn(("setup", "read"), sources)
        self.assertFalse(self.rows(source="webhook").filtered(lambda r: not r.metered_read))

    def test_a_push_is_logged_about_its_order_and_carries_no_token(self):
        order = self.make_sale(user_id=self.users["qbo_user"].id)
        order.action_qbo_push()
        self.assertEqual(order.qbo_status, "created")
        rows = self.rows(source="push")
        create = rows.filtered(lambda r: r.entity == "Invoice" and r.operation == "create")
        self.assertEqual(len(create), 1)
        self.assertEqual((create.res_model, create.document_names), ("sale.order", order.name))
        self.assertFalse(create.metered_read)
        self.assertIn(order.qbo_txn_id, create.response_body)
        # the new customer's and items' lookups and creates are about the order too
        self.assertTrue(self.rows(source="lookup"))
        self.assertEqual(
            set((self.rows(source="lookup") | rows).mapped("document_names")), {order.name}
        )
        # an expired access token: the call refreshes it and retries, still one row
        self.sandbox.expire_access_tokens(self.connection.realm_id)
        self.connection._qbo_client().preferences()
        connection = self.connection.sudo()
        connection.invalidate_recordset()
        secrets = [connection.access_token, connection.refresh_token, connection.client_secret]
        for row in self.rows():
            text = " ".join(
                str(row[name] or "")
                for name in ("url", "request_body", "response_body", "error", "document_names")
            )
            for secret in secrets:
                self.assertNotIn(secret, text)
            self.assertNotIn("Bearer", text)

    def test_the_order_and_the_connection_open_their_log(self):
        order = self.failed_push()
        action = (
            self.env.ref("quickbooks_online.action_qbo_sync_log_sale")
            .with_user(self.users["qbo_user"])
            .with_context(active_model="sale.order", active_id=order.id, active_ids=order.ids)
            .run()
        )
        seen = self.env["qbo.sync.log"].with_user(self.users["qbo_user"]).search(action["domain"])
        self.assertTrue(self.rows(source="push"))
        # the order's rows: its push, the lookups of its new customer and items, the look
        # for an invoice that may have been created despite the 500
        self.assertEqual(set(seen.mapped("source")), {"push", "lookup", "reconcile"})
        self.assertEqual(seen, self.rows(res_model="sale.order"))
        other = self.make_sale(user_id=self.users["qbo_user"].id)
        action = self.env["qbo.sync.log"]._action_for(other)
        self.assertFalse(self.env["qbo.sync.log"].search(action["domain"]))
        action = self.rpc("qbo_admin", "qbo.connection", "action_qbo_sync_log", self.connection.ids)
        self.assertIn(
            ("company_id", "in", [self.env.company.id]), [tuple(x) for x in action["domain"]]
        )

    # ------------------------------------------------------------------ retry
    def test_a_failed_push_is_retried_from_its_log_by_quickbooks_users_only(self):
        order = self.failed_push()
        row = self.rows(source="push", state="failed")[:1]
        self.assertTrue(row.can_retry)
        self.assertEqual(self.sandbox.store(presets.US_REALM).all("Invoice"), [])
        self.assert_refused("salesperson", "qbo.sync.log", "action_retry", row.ids)
        self.assertIn(
            "SessionExpired", self.rpc_error(None, "qbo.sync.log", "action_retry", row.ids)
        )
        self.assertEqual(order.qbo_status, "error")
        self.rpc("qbo_user", "qbo.sync.log", "action_retry", row.ids)
        self.assertEqual(order.qbo_status, "created")
        invoices = self.sandbox.store(presets.US_REALM).all("Invoice")
        self.assertEqual([i["Id"] for i in invoices], [order.qbo_txn_id])
        error = self.rpc_error("qbo_admin", "qbo.sync.log", "action_retry", row.ids)
        self.assertIn("UserError", error, "nothing left to retry")
        self.assertEqual(len(self.sandbox.store(presets.US_REALM).all("Invoice")), 1)

    def test_a_successful_call_is_not_retried(self):
        order = self.make_sale(user_id=self.users["qbo_user"].id)
        order.action_qbo_push()
        row = self.rows(source="push")[-1]
        self.assertFalse(row.can_retry)
        self.assertIn(
            "UserError", self.rpc_error("qbo_user", "qbo.sync.log", "action_retry", row.ids)
        )

    # ------------------------------------------------------------------ purge
    def test_old_rows_are_purged_and_the_month_counters_kept(self):
        self.env["ir.config_parameter"].set_param(sync_log.DAYS_PARAM, "10")
        old_day = fields.Datetime.now() - timedelta(days=40)
        with freeze_time(old_day):
            self.connection._qbo_store_token(
                Token.from_response(self.sandbox.grant(self.connection.realm_id))
            )
            self.env.flush_all()
            self.connection._qbo_client().preferences()
        old = self.rows()
        self.assertEqual(len(old), 1)
        self.connection._qbo_store_token(
            Token.from_response(self.sandbox.grant(self.connection.realm_id))
        )
        self.env.flush_all()
        self.connection._qbo_client().preferences()
        recent = self.rows() - old
        usage = (
            self.env["qbo.api.usage"].sudo().search([("connection_id", "=", self.connection.id)])
        )
        counted = sum(usage.mapped("reads"))
        self.run_cron("ir_cron_qbo_sync_log_purge")
        self.assertFalse(old.exists())
        self.assertEqual(self.rows(), recent)
        usage.invalidate_recordset()
        self.assertEqual(sum(usage.mapped("reads")), counted)
