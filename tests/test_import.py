"""Importing QBO customers and vendors as partners: matched, paged, never duplicated."""

from odoo.tests import tagged

from .common import QboCase


@tagged("post_install", "-at_install")
class TestPartnerImport(QboCase):
    def qbo_parties(self):
        store = self.sandbox.store(self.realm_id)
        return {
            entity: [row for row in store.all(entity) if row.get("Active", True)]
            for entity in ("Customer", "Vendor")
        }

    def links(self):
        return self.env["qbo.link"].search(
            [("connection_id", "=", self.connection.id), ("res_model", "=", "res.partner")]
        )

    def test_import_links_by_email_then_name_and_rerun_creates_nothing(self):
        parties = self.qbo_parties()
        customer, vendor = parties["Customer"][0], parties["Vendor"][0]
        by_email = self.env["res.partner"].create(
            {"name": "Someone Else", "email": customer["PrimaryEmailAddr"]["Address"].upper()}
        )
        by_name = self.env["res.partner"].create({"name": vendor["DisplayName"].lower()})
        Partner = self.env["res.partner"].with_context(active_test=False)
        partners_before = Partner.search_count([])

        self.assertTrue(self.connection._qbo_import_partners_start())
        expected = len(parties["Customer"]) + len(parties["Vendor"])
        self.assertEqual(self.connection.import_state, "done")
        self.assertEqual(len(self.links()), expected)
        self.assertEqual(self.connection.import_linked, 2)
        self.assertEqual(Partner.search_count([]) - partners_before, expected - 2)
        link_map = {(link.qbo_entity, link.qbo_id): link.res_id for link in self.links()}
        self.assertEqual(link_map["Customer", str(customer["Id"])], by_email.id)
        self.assertEqual(link_map["Vendor", str(vendor["Id"])], by_name.id)
        created = Partner.browse(link_map["Customer", str(parties["Customer"][1]["Id"])])
        self.assertEqual(created.name, parties["Customer"][1]["DisplayName"])
        self.assertEqual(created.company_id, self.connection.company_id)
        self.assertEqual(created.customer_rank, 1)

        # Again, after someone renamed a partner in Odoo: the stored link wins.
        created.name = "Renamed in Odoo"
        self.connection._qbo_import_partners_start()
        self.assertEqual(Partner.search_count([]) - partners_before, expected - 2)
        self.assertEqual(len(self.links()), expected)
        self.assertEqual((self.connection.import_created, self.connection.import_linked), (0, 0))

    def test_large_lists_are_imported_page_by_page_in_the_background(self):
        self.env["ir.config_parameter"].set_param("quickbooks_online.import_page_size", 2)
        parties = self.qbo_parties()
        self.assertFalse(self.connection._qbo_import_partners_start())
        self.assertEqual(self.connection.import_state, "running")
        self.assertEqual(self.connection.import_progress, 0)
        self.sandbox.clear_requests()
        self.env.ref("quickbooks_online.ir_cron_qbo_import_partners").method_direct_trigger()
        self.connection.invalidate_recordset()
        self.assertEqual(self.connection.import_state, "done")
        self.assertEqual(self.connection.import_progress, 100)
        total = len(parties["Customer"]) + len(parties["Vendor"])
        self.assertEqual(len(self.links()), total)
        queries = [r for r in self.sandbox.requests if r.path.endswith("/query")]
        self.assertGreaterEqual(len(queries), total // 2)
