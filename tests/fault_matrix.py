"""The fault matrix's cells, shared by ``test_fault_matrix`` and ``test_fault_matrix_more``:
the faults, the create types, and :class:`FaultMatrixCase` (the runs and the checks)."""

from .orders import QboPushCase

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


class FaultMatrixCase(QboPushCase):
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
        self.push_queued()

    def slow_qbo(self):
        """QBO answers after the client gave up (the push's own timeout, raised to 10 s)."""
        self.env["ir.config_parameter"].set_param("quickbooks_online.push_timeout", "1")
        slow = self.sandbox.slow_seconds
        self.sandbox.slow_seconds = SLOW_SECONDS
        self.addCleanup(setattr, self.sandbox, "slow_seconds", slow)
