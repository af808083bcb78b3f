"""The fault matrix, continued (``tests/test_fault_matrix.py`` holds the creates' cells).

* **lookups**: the create of the invoice, the bill or the bulk batch is committed by QBO and
  its answer lost (so the push must look before it sends again), and the fault hits that
  look (``/batch`` of queries): the client's retries absorb a few; past them the push ends
  in an error and the next push looks again;
* **token endpoint**: the access token has expired and the fault hits its refresh, before
  any create; a lost refresh (performed, its answer dropped: the refresh token rotated)
  leaves the connection to be reconnected, with nothing written in QBO;
* **fix and push again**: QBO refuses the document (books closed on its date, the bill's
  payable account made inactive), the user fixes it in QBO and pushes again.

After the next run there is exactly one QBO document per order, linked. Every cell runs
under today's QBO and under the hostile one (custom numbers off, ``requestid`` ignored,
batches shuffled).
"""

from odoo import fields
from odoo.tests import tagged

from odoo.addons.quickbooks_online.qbo.const import TOKEN_PATH

from .common import HOSTILE
from .fault_matrix import DOCUMENT_TYPES, RETRIES, TARGETS, FaultMatrixCase

#: fault kind -> injection on the look (``/batch`` of queries) after an unsure create
LOOKUP_FAULTS = {
    "429": {"count": 1, "retry_after": 1},
    "500": {"count": RETRIES + 1},  # every attempt fails: error, then the next push
    "503": {"count": 2},
    "reset": {"count": 2},
    "401": {"count": 1},
    "6000": {"count": 1},
}
#: fault kind -> injection on the token endpoint (only faults aimed at its path reach it)
TOKEN_FAULTS = {
    "500": {"count": 1},
    "503": {"count": 1},
    "429": {"count": 1, "retry_after": 1},
    "reset": {"count": 1},
    # on the token endpoint, a lost refresh: performed (the refresh token rotates), the
    # answer dropped
    "commit_then_fail": {"count": 1},
}
#: create types the token cells push: the button (one invoice) and the push cron (a batch)
TOKEN_TYPES = ("invoice", "batch")
#: refusal -> the create types it is played on
REFUSALS = {"books_closed": DOCUMENT_TYPES, "account_inactive": ("bill",)}


@tagged("post_install", "-at_install")
class TestFaultMatrixMore(FaultMatrixCase):
    """The cells under today's QBO: custom numbers on, ``requestid`` honoured."""

    # ------------------------------------------------------------------ lookups
    def run_lookup_cell(self, create_type, fault):
        path = TARGETS[create_type][0]
        records = getattr(self, f"prepare_{create_type}")(f"look-{create_type}-{fault}")
        # first the create (committed, answer lost), then the look that follows it
        self.sandbox.inject("commit_then_fail", count=1, path=path, method="POST")
        self.sandbox.inject(fault, path="/batch", method="POST", **LOOKUP_FAULTS[fault])
        done = self.first_run(create_type, records)
        self.assertEqual(done, LOOKUP_FAULTS[fault]["count"] <= RETRIES, records)
        if not done:
            self.assertPendingInWords(records["orders"])
            self.next_run(create_type, records)
        self.assertInjected(fault)
        getattr(self, f"check_{create_type}")(records)

    # ------------------------------------------------------------------ token endpoint
    def run_token_cell(self, create_type, fault):
        records = getattr(self, f"prepare_{create_type}")(f"token-{create_type}-{fault}")
        known = {doc["Id"] for doc in self.realm_store.all(records["orders"]._qbo_kind().entity)}
        self.sandbox.expire_access_tokens(self.realm_id)
        self.sandbox.inject(fault, path=TOKEN_PATH, method="POST", **TOKEN_FAULTS[fault])
        done = self.first_run(create_type, records)
        self.assertInjected(fault)
        if fault == "commit_then_fail":
            # the refresh token QBO rotated never arrived: only a reconnect helps, and
            # nothing was written in QBO meanwhile
            self.assertFalse(done)
            self.connection.invalidate_recordset()
            self.assertEqual(self.connection.state, "reconnect")
            orders = records["orders"]
            for order in orders:
                self.assertEqual(order.qbo_status, "error")
                self.assertEqual(order.qbo_error, self.connection._qbo_reconnect_message())
            now = {doc["Id"] for doc in self.realm_store.all(orders._qbo_kind().entity)}
            self.assertEqual(now, known, "no document written")
            return
        if not done:
            self.assertPendingInWords(records["orders"])
            self.next_run(create_type, records)
        getattr(self, f"check_{create_type}")(records)

    # ------------------------------------------------------------------ fix and push again
    def run_refusal_cell(self, create_type, refusal):
        # QBO's stricter reading of requestid: a refusal is replayed to the same requestid
        self.sandbox.set_profile(**self.PROFILE, replay_failures=True)
        self.addCleanup(self.sandbox.set_profile, **self.PROFILE)
        records = getattr(self, f"prepare_{create_type}")(f"{refusal}-{create_type}")
        orders = records["orders"]
        known = {doc["Id"] for doc in self.realm_store.all(orders._qbo_kind().entity)}
        fix, words = getattr(self, f"refuse_{refusal}")()
        self.assertFalse(self.first_run(create_type, records))
        for order in orders:
            self.assertEqual(order.qbo_status, "error")
            self.assertIn(words, order.qbo_error)
        now = {doc["Id"] for doc in self.realm_store.all(orders._qbo_kind().entity)}
        self.assertEqual(now, known, "nothing written in QBO")
        fix()
        self.next_run(create_type, records)
        getattr(self, f"check_{create_type}")(records)

    def refuse_books_closed(self):
        """QBO's books closed up to today; the fix: the closing date moved back."""
        today = fields.Date.context_today(self.env.user)
        self.sandbox.set_preferences(self.realm_id, book_close_date=today.isoformat())
        self.addCleanup(self.sandbox.set_preferences, self.realm_id, book_close_date="")
        return (
            lambda: self.sandbox.set_preferences(self.realm_id, book_close_date=""),
            "The QuickBooks books are closed up to",
        )

    def refuse_account_inactive(self):
        """The mapped payable account deleted (inactive) in QBO; the fix: made active again."""
        qbo_id = self.connection.payable_account_id.qbo_id
        self.sandbox.delete_entity(self.realm_id, "Account", qbo_id)
        self.addCleanup(self.reactivate_account, qbo_id)
        return (
            lambda: self.reactivate_account(qbo_id),
            "These accounts of the QuickBooks Online setup are inactive or deleted",
        )

    def reactivate_account(self, qbo_id):
        """Make the account active again, as a QuickBooks user would (no-op when it is)."""
        client = self.connection._qbo_client()
        current = client.read("Account", qbo_id)
        if current.get("Active", True):
            return
        name = current["Name"].removesuffix(" (deleted)")
        client.update(
            "Account",
            {"Id": qbo_id, "SyncToken": current["SyncToken"], "Active": True, "Name": name},
            f"reactivate-{qbo_id}-{current['SyncToken']}",
        )

    # ------------------------------------------------------------------ assertions
    def assertPendingInWords(self, orders):
        """After a failed first run: every order not created is in error with a message, or
        queued again for the cron; none is left half-done."""
        for order in orders.filtered(lambda o: o.qbo_status != "created"):
            self.assertIn(order.qbo_status, ("error", "queued"))
            if order.qbo_status == "error":
                self.assertTrue(order.qbo_error)


@tagged("post_install", "-at_install")
class TestFaultMatrixMoreHostile(TestFaultMatrixMore):
    """The same cells under QBO without the crutches: custom numbers off, ``requestid``
    ignored, batches shuffled."""

    PROFILE = HOSTILE


def _add_cells():
    """One test per cell: ``test_lookup_<type>_<fault>``, ``test_token_<type>_<fault>``,
    ``test_refused_<type>_<refusal>``."""

    def cell(runner, *args):
        def test(self):
            getattr(self, runner)(*args)

        test.__doc__ = f"{runner.removeprefix('run_').replace('_', ' ')}: {' '.join(args)}"
        return test

    for create_type in DOCUMENT_TYPES:
        for fault in LOOKUP_FAULTS:
            name = f"test_lookup_{create_type}_{fault}"
            setattr(TestFaultMatrixMore, name, cell("run_lookup_cell", create_type, fault))
    for create_type in TOKEN_TYPES:
        for fault in TOKEN_FAULTS:
            name = f"test_token_{create_type}_{fault}"
            setattr(TestFaultMatrixMore, name, cell("run_token_cell", create_type, fault))
    for refusal, create_types in REFUSALS.items():
        for create_type in create_types:
            name = f"test_refused_{create_type}_{refusal}"
            setattr(TestFaultMatrixMore, name, cell("run_refusal_cell", create_type, refusal))


_add_cells()
