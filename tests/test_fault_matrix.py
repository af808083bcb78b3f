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

from .push_common import QboPushCase
from .sync_common import QboDocumentsMixin
from .test_push_once import HOSTILE

#: retries of the push's client (QboClient's max_retries): 5 attempts per request
RETRIES = 4
#: fault kind -> arguments of ``sandbox.inject``. Counts above RETRIES outlast the client's
#: retries: the first run ends in an error and the next run must not duplicate.
FAULTS = {
    "429": {"count": 1, "retry_after": 1},  # Retry-After honoured, then sent again
    "500": {"count": RETRIES + 1},  # every attempt fails: error, then the next run
    "503": {"count": 2},
    "reset": {"count": 2},  # connection reset before QBO read the request
    "timeout": {"count": 1},  # no answer in time; QBO goes on and commits
    "commit_then_fail": {"count": RETRIES + 1},  # QBO commits, every answer is lost
    "401": {"count": 1},  # access token rejected mid-run: refreshed, sent again
    "6000": {"count": 1},  # QBO's transient business fault, sent again
}
#: create type -> (path of the request the fault hits, matching requests let through first)
TARGETS = {
    "customer": ("/batch", 1),
    "vendor": ("/batch", 1),
    "item": ("/batch", 1),
    "invoice": ("/invoice", 0),
    "bill": ("/bill", 0),
    "journal_entry": ("/journalentry", 0),
    "batch": ("/batch", 0),
}
#: the push's documents: an unsure create is looked for in QBO before it is sent again
DOCUMENT_TYPES = ("invoice", "bill", "batch")
#: a timeout costs the 10 s the test harness waits at least: one cell per kind of request
TIMEOUT_TYPES = ("invoice", "customer", "batch")
#: seconds QBO stays silent on a "timeout" (the harness raises any client timeout to 10 s)
SLOW_SECONDS = 10.5


def fault_args(create_type, fault):
    """The injection of a cell: a document's create is sent once, so one lost answer."""
    if create_type in ("invoice", "bill") and fault == "commit_then_fail":
        return dict(FAULTS[fault], count=1)
    return FAULTS[fault]


def absorbed(create_type, fault):
    """Whether the first run ends with everything in QBO and linked.

    The client's retries absorb up to RETRIES failures. A document's create is not re-sent
    blindly: after an unsure outcome the push looks in QBO first (a ``/batch`` of queries,
    which meets the rest of a ``/batch`` fault and then finds or creates); after a timeout
    (QBO may still be writing) it stops, and the next run looks first.
    """
    if create_type == "batch" and fault in ("500", "commit_then_fail"):
        return True
    if create_type in DOCUMENT_TYPES and fault == "timeout":
        return False
    return fault_args(create_type, fault)["count"] <= RETRIES


class FaultMatrixCase(QboDocumentsMixin, QboPushCase):
    """What the cells share (no test of its own): the linked customer, vendor and products,
    the runs and the checks. ``tests/test_fault_matrix_more.py`` adds cells on it."""

    #: sandbox profile fields of the class (none: the strict sandbox)
    PROFILE = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.PROFILE:
            cls.sandbox.set_profile(**cls.PROFILE)
            cls.connection.custom_txn_numbers = cls.PROFILE.get("custom_txn_numbers", True)
        category = cls.env["product.category"].create(
            {
                "name": "Fault matrix goods",
                "property_cost_method": "standard",
                "property_valuation": "real_time",
            }
        )
        cls.goods = cls.make_product(
            "Matrix goods", "MX-GOODS", 40.0, is_storable=True, categ_id=category.id
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.goods, cls.env.ref("stock.warehouse0").lot_stock_id, 1000
        )
        # Customer, vendor and products linked: only the cell's own objects are created.
        cls.make_sale(cls, [(cls.product, 1, 40.0), (cls.goods, 1, 40.0)]).action_qbo_push()
        cls.make_purchase(cls).action_qbo_push()

    def setUp(self):
        super().setUp()
        self.sandbox.injector.clear()
        self.addCleanup(self.sandbox.injector.clear)

    # ------------------------------------------------------------------ the cells
    def run_cell(self, create_type, fault):
        """Inject ``fault`` on ``create_type``'s create, push, push again if needed, check."""
        path, skip = TARGETS[create_type]
        if fault == "timeout":
            self.slow_qbo()
        records = getattr(self, f"prepare_{create_type}")(f"{create_type}-{fault}")
        self.sandbox.inject(
            fault, path=path, method="POST", skip=skip, **fault_args(create_type, fault)
        )
        done = self.first_run(create_type, records)
        self.assertEqual(done, absorbed(create_type, fault), records)
        if fault == "timeout":
            # the user pushes again once QBO has finished what our side stopped waiting for
            self.wait_for_qbo()
        if not done:
            self.next_run(create_type, records)
        self.assertInjected(fault)
        getattr(self, f"check_{create_type}")(records)

    def run_killed_worker(self, create_type):
        """The push's transaction is lost after QBO answered; the next push links QBO's."""
        records = getattr(self, f"prepare_{create_type}")(f"{create_type}-killed")
        with self.env.cr.savepoint() as savepoint:
            self.first_run(create_type, records)
            self.env.flush_all()
            savepoint.rollback()
        self.env.invalidate_all(flush=False)
        self.assertFalse(records["orders"].filtered("qbo_txn_id"), "nothing of it committed")
        self.next_run(create_type, records)
        getattr(self, f"check_{create_type}")(records)

    def first_run(self, create_type, records):
        """Push as the user would; return whether everything is in QBO and linked."""
        orders = records["orders"]
        if create_type == "batch":
            orders.action_qbo_push_queue()
            self.run_push_cron()
        else:
            self.push(orders)
        if create_type == "journal_entry":
            # the push woke the COGS cron up, which posts the entry
            self.run_cron("ir_cron_qbo_cogs")
            return orders.qbo_cogs_status == "posted"
        return set(orders.mapped("qbo_status")) == {"created"}

    def next_run(self, create_type, records):
        """The next run: the button again, the push cron, the COGS cron."""
        orders = records["orders"]
        if create_type == "batch":
            orders.filtered(lambda o: o.qbo_status != "created").action_qbo_push_queue()
            self.run_push_cron()
        elif create_type == "journal_entry" and orders.qbo_status == "created":
            self.assertEqual(orders.qbo_cogs_status, "pending", orders.qbo_cogs_error)
            self.run_cron("ir_cron_qbo_cogs")
        else:
            self.push(orders)
            if create_type == "journal_entry":
                self.run_cron("ir_cron_qbo_cogs")  # woken up by the push

    # ------------------------------------------------------------------ create types
    def prepare_customer(self, tag):
        partner = self.env["res.partner"].create(
            {"name": f"Matrix customer {tag}", "email": f"{tag}@customer.example"}
        )
        return {"orders": self.make_sale(partner=partner), "partner": partner}

    def prepare_vendor(self, tag):
        partner = self.env["res.partner"].create(
            {"name": f"Matrix vendor {tag}", "email": f"{tag}@vendor.example"}
        )
        return {"orders": self.make_purchase(partner=partner), "partner": partner}

    def prepare_item(self, tag):
        product = self.make_product(f"Matrix item {tag}", f"MX-{tag}", 10.0)
        return {"orders": self.make_sale([(product, 1, 10.0)]), "product": product}

    def prepare_invoice(self, tag):
        return {"orders": self.make_sale()}

    def prepare_bill(self, tag):
        return {"orders": self.make_purchase()}

    def prepare_journal_entry(self, tag):
        self.connection.accounting_mode = "inventory"
        order = self.make_sale([(self.goods, 2, 40.0)])
        self.deliver(order)
        return {"orders": order}

    def prepare_batch(self, tag):
        return {"orders": self.make_sale() | self.make_sale()}

    def check_customer(self, records):
        self.assertOneParty(records["partner"], "Customer")
        self.assertOneDocument(records["orders"])

    def check_vendor(self, records):
        self.assertOneParty(records["partner"], "Vendor")
        self.assertOneDocument(records["orders"])

    def check_item(self, records):
        product = records["product"]
        items = self.qbo_all("Item", Sku=product.default_code)
        self.assertEqual(len(items), 1)
        self.assertEqual(self.linked(product, "Item"), items[0]["Id"])
        self.assertOneDocument(records["orders"])

    def check_invoice(self, records):
        self.assertOneDocument(records["orders"])

    check_bill = check_batch = check_invoice

    def check_journal_entry(self, records):
        order = records["orders"]
        self.assertOneDocument(order)
        self.assertOneEntry(order)

    # ------------------------------------------------------------------ assertions
    def qbo_all(self, entity, **values):
        """The sandbox's ``entity`` objects having all of ``values``."""
        return [
            obj
            for obj in self.realm_store.all(entity)
            if all(obj.get(key) == value for key, value in values.items())
        ]

    def linked(self, record, entity):
        return self.env["qbo.link"]._get_map(self.connection, record, entity).get(record.id)

    def assertOneParty(self, partner, entity):
        parties = self.qbo_all(entity, DisplayName=partner.name)
        self.assertEqual(len(parties), 1, f"one QBO {entity} for {partner.name}")
        self.assertEqual(self.linked(partner, entity), parties[0]["Id"])

    def assertOneDocument(self, orders):
        """One QBO document per order, linked; every order created, nothing left pending."""
        for order in orders:
            docs = self.qbo_all(order._qbo_kind().entity, PrivateNote=order.name)
            self.assertEqual(len(docs), 1, f"one QBO {order._qbo_kind().entity} for {order.name}")
            self.assertEqual(order.qbo_status, "created", order.qbo_error)
            self.assertEqual(order.qbo_txn_id, docs[0]["Id"])
            self.assertFalse(order.qbo_error)
            self.assertFalse(order.qbo_push_key)

    def assertOneEntry(self, order):
        entries = self.qbo_all("JournalEntry", DocNumber=f"{order.name}-COGS")
        self.assertEqual(len(entries), 1, f"one COGS entry for {order.name}")
        self.assertEqual(order.qbo_cogs_status, "posted", order.qbo_cogs_error)
        self.assertEqual(order.qbo_cogs_txn_id, entries[0]["Id"])
        self.assertEqual(order.qbo_cogs_invoice_id, order.qbo_txn_id)
        self.assertFalse(order.qbo_cogs_error)

    def assertInjected(self, fault):
        """The fault was served (all of it): the cell tested what it says."""
        self.assertEqual(self.sandbox.injector._items, [], f"{fault} left unserved")

    # ------------------------------------------------------------------ helpers
    def run_push_cron(self):
        self.run_cron("ir_cron_qbo_push")

    def slow_qbo(self):
        """QBO answers after the client gave up (the push's own timeout, raised to 10 s)."""
        self.env["ir.config_parameter"].set_param("quickbooks_online.push_timeout", "1")
        slow = self.sandbox.slow_seconds
        self.sandbox.slow_seconds = SLOW_SECONDS
        self.addCleanup(setattr, self.sandbox, "slow_seconds", slow)


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
