"""The fault matrix: each create type × each fault the sandbox can inject.

A cell injects the fault on the request that creates the QBO object, pushes, and — when
that first run ends in an error, or leaves the order queued or its COGS entry waiting —
runs the next push or cron. Then there is exactly one QBO object per Odoo record, no order
is lost and the statuses are final. What each create type's fault hits:

* ``invoice`` / ``bill``: ``POST /invoice`` / ``POST /bill``; the customer, vendor and
  product are linked beforehand, so the document's create is the push's only request;
* ``customer`` / ``vendor`` / ``item``: the push creates them through ``/batch``, after a
  ``/batch`` of lookups: ``skip=1`` lets the lookups through, the fault hits the create
  batch;
* ``journal_entry``: ``POST /journalentry``, the COGS entry of a delivered order (*Accounting
  with inventory*), posted by the COGS cron its invoice's push woke up; the invoice's create
  is not hit;
* ``batch``: the bulk push (list action, then the push cron): the ``/batch`` of documents.

5010 "Stale Object Error" only answers a write that sends a SyncToken. The push never
updates a QBO object (it creates, or links what QBO already has); the addon's one write with
a SyncToken is the deletion of a COGS entry whose invoice was deleted in QBO, so the 5010
cell is that deletion.

Plus the worker killed between QBO's answer and Odoo's commit (the push's transaction
rolled back to a savepoint), then the push run again: still one object, linked.
"""

from odoo.tests import tagged

from .common import HOSTILE
from .fault_matrix import DOCUMENT_TYPES, FAULTS, TARGETS, TIMEOUT_TYPES, FaultMatrixCase


@tagged("post_install", "-at_install")
class TestFaultMatrix(FaultMatrixCase):
    """The cells under today's QBO: custom numbers on, ``requestid`` honoured."""

    # ------------------------------------------------------------------ 5010
    def test_journal_entry_5010_on_the_deletion_after_the_invoice_was_deleted(self):
        """The COGS entry's delete meets a newer SyncToken: read again, deleted once."""
        order = self.prepare_journal_entry("5010")["orders"]
        self.push(order)
        self.run_cron("ir_cron_qbo_cogs")
        entry_id = order.qbo_cogs_txn_id
        self.assertOneEntry(order)
        self.sweep()
        self.sandbox.delete_entity(self.realm_id, "Invoice", order.qbo_txn_id)
        self.sandbox.inject("5010", count=1, path="/journalentry", method="POST")
        self.sweep()
        self.run_cron("ir_cron_qbo_cogs")  # the sweep marked the entry, the cron deletes it
        self.assertInjected("5010")
        self.assertEqual(order.qbo_status, "not_pushed")
        self.assertEqual(order.qbo_cogs_status, "none", order.qbo_cogs_error)
        self.assertFalse(order.qbo_cogs_error)
        self.assertIsNone(self.realm_store.get("JournalEntry", entry_id), "entry deleted")
        deletes = [r for r in self.sandbox.requests if r.query.get("operation") == "delete"]
        self.assertEqual([r.status for r in deletes], [400, 200])
        # invoiced again: one new invoice, one new entry
        self.push(order)
        self.run_cron("ir_cron_qbo_cogs")
        self.assertOneDocument(order)
        self.assertOneEntry(order)


@tagged("post_install", "-at_install")
class TestFaultMatrixHostile(TestFaultMatrix):
    """The document cells under QBO without the crutches: custom numbers off (no 6140 on a
    repeated number), ``requestid`` ignored, batches shuffled."""

    PROFILE = HOSTILE
    test_journal_entry_5010_on_the_deletion_after_the_invoice_was_deleted = None


def _add_cells():
    """One test per cell, named ``test_<create type>_<fault>``; the hostile class has the
    push's documents under every fault (a worker killed cannot be played there: the
    intent's own transaction is rolled back with the test's)."""

    def cell(create_type, fault):
        def test(self):
            self.run_cell(create_type, fault)

        test.__doc__ = f"{fault} on the create of the {create_type.replace('_', ' ')}"
        return test

    def killed(create_type):
        def test(self):
            self.run_killed_worker(create_type)

        test.__doc__ = f"worker killed after QBO created the {create_type.replace('_', ' ')}"
        return test

    for create_type in TARGETS:
        for fault in FAULTS:
            if fault == "timeout" and create_type not in TIMEOUT_TYPES:
                continue
            test = cell(create_type, fault)
            setattr(TestFaultMatrix, f"test_{create_type}_{fault}", test)
            if create_type not in DOCUMENT_TYPES:
                setattr(TestFaultMatrixHostile, f"test_{create_type}_{fault}", None)
        setattr(TestFaultMatrix, f"test_{create_type}_worker_killed", killed(create_type))
        setattr(TestFaultMatrixHostile, f"test_{create_type}_worker_killed", None)


_add_cells()
