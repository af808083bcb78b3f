"""The push: confirmed orders become QBO documents, read top-down here.

:func:`push` → per connection: lock → **preflight** (no API call) → **resolve** the
customers/vendors and items (at most two requests: one batch of queries, one batch of
creates) → **build** each document → **send** it exactly once → **record** the outcome
on the order. Every failure ends on the order, in words a user understands; nothing
here commits (the intent of a send is committed in a cursor of its own, see
:mod:`.send`).
"""

import time

from odoo import fields

from ..qbo import errors
from . import payload, preflight, record, resolve, send, sync_log
from .error_words import explain

#: system parameter: seconds one push request may wait for QBO (default: the connection's)
TIMEOUT_PARAM = "quickbooks_online.push_timeout"
#: seconds a push from the button may take: its request must end well inside the web
#: server's limit (``limit_time_real``, 120 s by default), with the order in a readable state
INTERACTIVE_BUDGET = 45


class PushRun:
    """One push of orders of one kind through one connection: its state, step by step.

    :ivar orders: the orders still on their way (those that failed a step are dropped)
    :ivar resolved: QBO ids of their parties and items (:class:`.resolve.Resolved`)
    :ivar payloads: ``{order: QBO document}``
    :ivar throttled: seconds QBO asked to wait (the background push stops and reschedules)
    """

    def __init__(self, connection, orders, bulk):
        self.connection = connection
        self.kind = orders._qbo_kind()
        self.orders = orders
        self.bulk = bulk
        timeout = connection.env["ir.config_parameter"].sudo().get_param(TIMEOUT_PARAM)
        options = {"timeout": float(timeout)} if timeout else {}
        #: the bulk push runs in the cron worker, whose own time limit is the budget
        self.deadline = None if bulk else time.monotonic() + INTERACTIVE_BUDGET
        self.client = connection._qbo_client(deadline=self.deadline, **options)
        self.resolved = None
        self.payloads = {}
        self.throttled = None

    def past_deadline(self):
        return self.deadline is not None and time.monotonic() >= self.deadline

    def created(self, order, data):
        """``order``'s document ``data`` is in QBO."""
        record.set_created(order, data)

    def failed(self, order, message):
        """``order`` stops here; ``message`` tells the user why."""
        record.set_error(order, message)
        self.orders -= order

    def refused(self, order, message):
        """QBO refused ``order``'s document for sure (nothing was created): it stops
        here, and its next push sends under a new key (:func:`.record.set_refused`)."""
        record.set_refused(order, message)
        self.orders -= order

    def ask_again(self, order, error):
        """QBO could not say yet whether ``order``'s document exists (``error``): it is
        neither linked nor sent again now, and its key stays, so its next push looks
        first. The background push leaves it queued and runs again later; the button
        ends in words."""
        if not self.bulk:
            self.failed(order, explain(error, order))
            return
        self.orders -= order
        self.throttled = self.throttled or errors.ThrottledError.DEFAULT_WAIT

    def pending(self):
        return self.orders.filtered(lambda order: order.qbo_status != "created")


def push(orders, bulk=False):
    """Push ``orders`` (one model); return the seconds QBO asked to wait, if it did."""
    throttled = None
    for company_orders in orders.grouped("company_id").values():
        connection = company_orders[:1]._qbo_connection()
        waited = _push_connection(connection, company_orders.sudo(), bulk)
        throttled = throttled or waited
    return throttled


def _push_connection(connection, orders, bulk):
    env = orders.env
    locked = send.lock(orders, skip_held=bulk)
    if locked != orders:
        # another transaction is sending some of them: they stay queued for a new run
        env.ref("quickbooks_online.ir_cron_qbo_push")._trigger(
            fields.Datetime.add(fields.Datetime.now(), minutes=1)
        )
    orders = locked
    # 1. preflight
    if blocker := preflight.connection_blocker(env, connection, orders._qbo_kind()):
        record.set_error(orders, blocker)
        return None
    _prefetch(orders)
    ready = orders.browse()
    for order in orders:
        if messages := preflight.order_messages(order, connection):
            record.set_error(order, "\n".join(messages))
        else:
            ready |= order
    if not ready:
        return None
    run = PushRun(connection, ready, bulk)
    with sync_log.about(ready, source="push"):
        try:
            # 2. resolve
            run.resolved = resolve.resolve(run, run.orders)
            for order, message in resolve.unresolved(run.orders, run.resolved, connection).items():
                run.failed(order, message)
            # 3. build
            run.payloads = {
                order: payload.document(
                    order,
                    connection,
                    run.resolved.party_ids[run.kind.party(order).id],
                    run.resolved.item_ids,
                )
                for order in run.orders
            }
            # 4. send, 5. record (each outcome as it comes)
            send.send(run)
        except errors.ThrottledError as error:
            if not bulk:
                record.set_error(run.pending(), explain(error, ready[:1]))
                return None
            run.throttled = error.wait_seconds
            run.pending().write({"qbo_status": "queued"})
        except errors.QboError as error:
            record.set_error(run.pending(), explain(error, ready[:1]))
    return run.throttled


def _prefetch(orders):
    """Read what the push needs for all orders and lines in a few queries."""
    lines = orders.order_line
    lines.fetch(["display_type", "name", "price_subtotal", "price_total", "tax_ids"])
    lines.product_id.fetch(["default_code", "active", "type", "product_tmpl_id"])
    lines.tax_ids.fetch(["qbo_tax_code_id", "name"])
    orders.partner_id.commercial_partner_id.fetch(["name", "email"])
