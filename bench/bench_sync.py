"""Deletion detection and CDC: time from a QBO delete to the order's status change
through a webhook received by a real Odoo HTTP server (its cron thread processes the
event), the requests one CDC poll makes with 10, 100 and 1,000 open invoices, a CDC
sweep after more than 1,000 changes in one window with 10,000 linked documents, and the
metered reads a day of an idle company whose webhooks are healthy. QBO answers each
request in 2 s; the crons run through Odoo's cron runner."""

import copy
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(__file__))

from harness import Bench

DELETE_TARGET = 5.0  # seconds of real time
DELETIONS = 5
OPEN_INVOICES = (10, 100, 1000)
TIME_SCALE = 1.0
CDC_INTERVAL = 300  # seconds between two runs of the CDC cron
IDLE_TARGET = 24  # metered reads a day of an idle company with healthy webhooks
SWEEP_CRON = "quickbooks_online.ir_cron_qbo_cdc_sweep"
LINKED = 10_000  # linked documents of the big sweep
CHANGES = 1_200  # documents changed in QBO in one window (over QBO's 1,000 per CDC answer)
#: Ids of the invoices copied into the sandbox (far above the ones it hands out)
COPY_IDS = 900_000


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def push_all(bench, orders):
    orders.action_qbo_push_queue()
    bench.run_cron(
        "quickbooks_online.ir_cron_qbo_push",
        lambda: not orders.filtered(lambda o: o.qbo_status == "queued"),
    )
    if set(orders.mapped("qbo_status")) != {"created"}:
        raise SystemExit(f"push failed: {set(orders.mapped('qbo_error'))}")


def counted_sweep(bench):
    with bench.count_requests() as seen:
        bench.run_cron(SWEEP_CRON)
    kinds = ", ".join(sorted({r.entity or r.path.rsplit("/", 1)[-1] for r in seen}))
    return len(seen), kinds


def cdc_polls(bench, customer, products):
    """At each number of open invoices: push them, let one sweep see them, then count
    the poll right after (the fresh documents are still inside the sweep's overlap)
    and the next scheduled poll, 5 minutes later on QBO's clock."""
    pushed = bench.env["sale.order"]
    results = []
    for count in OPEN_INVOICES:
        orders = bench.sales(customer, products, count=count - len(pushed))
        push_all(bench, orders)
        pushed |= orders
        bench.run_cron(SWEEP_CRON)
        right_after, kinds = counted_sweep(bench)
        bench.figure(
            f"CDC poll right after pushing, {count} open invoices", f"{right_after} ({kinds})"
        )
        bench.sandbox.advance_clock(CDC_INTERVAL)
        scheduled, kinds = counted_sweep(bench)
        bench.figure(
            f"CDC poll with {count} open invoices (next scheduled poll)",
            f"{scheduled} request(s) ({kinds})",
            "1",
            scheduled == 1,
        )
        results.append(scheduled)
    return pushed, results


def idle_reads_per_day(bench):
    """A day of CDC cron runs, every 5 minutes, for a company where nothing changes and
    whose webhooks delivered an event: the metered reads the sweep makes."""
    from odoo.tests import freeze_time  # noqa: PLC0415

    from odoo.addons.quickbooks_online.qbo import Event, Token  # noqa: PLC0415

    connection = bench.connection
    start = datetime.now(timezone.utc).replace(tzinfo=None)
    event = Event(connection.realm_id, "Invoice", "1", "Update", start, "bench-idle")
    bench.env["qbo.event"]._store(connection, [event])
    bench.env["qbo.sync"]._cron_process_events()
    bench.env["qbo.sync"]._cron_cdc_sweep()  # the first sweep sets the watermark
    bench.commit()
    reads = 0
    for run in range(1, 24 * 3600 // CDC_INTERVAL + 1):
        with freeze_time(start + timedelta(seconds=run * CDC_INTERVAL)):
            # tokens of that hour, as the connection holds after its renewals (not metered)
            token = Token.from_response(bench.sandbox.grant(connection.realm_id))
            connection._qbo_store_token(token)
            bench.commit()
            with bench.count_requests() as seen:
                bench.env["qbo.sync"]._cron_cdc_sweep()
                bench.commit()
        reads += len(seen)
    bench.figure(
        "idle company, healthy webhooks: metered reads a day (CDC every 5 min: 288)",
        reads,
        f"<= {IDLE_TARGET}",
        reads <= IDLE_TARGET,
    )
    return reads


def linked_copies(bench, template, count):
    """``count`` more orders linked to invoices QBO holds: copies of ``template``'s order
    (in SQL) and of its invoice (in the sandbox's store), dated before the next poll."""
    store = bench.sandbox.store(bench.connection.realm_id)
    invoice = store.get("Invoice", template.qbo_txn_id)
    orders = bench.clone_orders(
        template,
        count,
        "L",
        qbo_txn_id=f"({COPY_IDS} + n)::text",
        qbo_doc_number="'L' || n",
    )
    for n in range(1, count + 1):
        store.put("Invoice", dict(copy.deepcopy(invoice), Id=str(COPY_IDS + n), DocNumber=f"L{n}"))
    bench.commit()
    return orders


def big_sweep(bench, pushed):
    """10,000 linked invoices, 1,200 of them voided in QBO within one poll's window: the
    poll's requests and time, and the orders it marks."""
    copies = linked_copies(bench, pushed[-1], LINKED - len(pushed))
    linked = bench.env["sale.order"].search_count([("qbo_txn_id", "!=", False)])
    bench.sandbox.advance_clock(CDC_INTERVAL)
    bench.run_cron(SWEEP_CRON)  # the poll before: the copies are older than its window
    bench.sandbox.advance_clock(CDC_INTERVAL)
    changed = copies[:CHANGES]
    for order in changed:
        bench.sandbox.void_entity(bench.connection.realm_id, "Invoice", order.qbo_txn_id)
    bench.env.ref(SWEEP_CRON)._trigger()  # its next scheduled poll, without the wait
    started = time.monotonic()
    with bench.count_requests() as seen:
        runs, _waits, _waited = bench.run_cron(
            SWEEP_CRON,
            lambda: changed.filtered(lambda o: o.qbo_status == "voided") == changed,
            timeout=600,
        )
    elapsed = time.monotonic() - started
    kinds = ", ".join(sorted({r.entity or r.path.rsplit("/", 1)[-1] for r in seen}))
    voided = len(changed.filtered(lambda o: o.qbo_status == "voided"))
    bench.figure(
        f"CDC sweep after {CHANGES} invoices voided in one window, {linked} linked documents",
        f"{len(seen)} requests ({kinds}), {elapsed:.1f} s, {runs} cron run(s); "
        f"{voided}/{CHANGES} orders marked voided",
        f"all {CHANGES}",
        voided == CHANGES,
    )
    return len(seen), elapsed


def start_odoo(bench, port):
    log = open(os.path.join(os.path.dirname(bench.conf), "logs", "bench-odoo-http.log"), "w")
    command = [
        sys.executable,
        "-m",
        "odoo",
        "-c",
        bench.conf,
        "-d",
        bench.db,
        f"--db-filter=^{bench.db}$",
        f"--http-port={port}",
        "--workers=0",
        "--max-cron-threads=1",
        "--log-level=warn",
    ]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("the Odoo HTTP server did not start (see logs/bench-odoo-http.log)")


def wait_status(bench, order, deadline):
    """Poll the database until ``order`` is no longer 'created'; the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        bench.cr.rollback()
        bench.env.invalidate_all()
        if order.qbo_status != "created":
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def deletions(bench, orders):
    port = free_port()
    process = start_odoo(bench, port)
    try:
        bench.sandbox.set_webhook(f"http://127.0.0.1:{port}/quickbooks/webhook")
        times = []
        for order in orders[: DELETIONS + 1]:
            bench.sandbox.delete_entity(bench.connection.realm_id, "Invoice", order.qbo_txn_id)
            times.append(wait_status(bench, order, 60))
    finally:
        process.terminate()
        process.wait(30)
    warm, measured = times[0], times[1:]
    bench.figure("first deletion (cron thread warming up)", _secs(warm))
    done = [t for t in measured if t is not None]
    ok = len(done) == len(measured) and max(done) <= DELETE_TARGET
    bench.figure(
        f"QBO delete -> order status changed, {len(measured)} deletions",
        f"median {_secs(statistics.median(done)) if done else '-'}, max "
        f"{_secs(max(done)) if done else '-'}"
        + ("" if len(done) == len(measured) else f", {len(measured) - len(done)} never"),
        f"<= {DELETE_TARGET:g} s",
        ok,
    )
    return done


def _secs(value):
    return "never (60 s)" if value is None else f"{value:.2f} s"


def main():
    with Bench("deletion detection and CDC polls", time_scale=TIME_SCALE) as bench:
        customer = bench.partner("CDC customer")
        products = bench.products("CDC", 1)
        bench.commit()
        # First a company whose webhooks never delivered: its sweep runs at every cron run.
        pushed, polls = cdc_polls(bench, customer, products)
        big_requests, big_time = big_sweep(bench, pushed)
        times = deletions(bench, pushed)
        # Last (its day moves the clocks ahead): healthy webhooks, whose one event is the
        # idle day's own, not one the deletions above retried.
        bench.env["qbo.event"].sudo().search([]).unlink()
        bench.commit()
        idle = idle_reads_per_day(bench)
        bench.summary(
            f"idle reads a day {idle}; "
            f"CDC poll requests {'/'.join(map(str, polls))} for "
            f"{'/'.join(map(str, OPEN_INVOICES))} open invoices; {big_requests} requests in "
            f"{big_time:.1f} s after {CHANGES} changes with {LINKED} linked; delete seen in "
            f"max {max(times):.2f} s"
            if times
            else "delete never seen"
        )


if __name__ == "__main__":
    main()
