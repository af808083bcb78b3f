"""Deletion detection and CDC: time from a QBO delete to the order's status change
through a webhook received by a real Odoo HTTP server (its cron thread processes the
event), and the requests one CDC poll makes with 10, 100 and 1,000 open invoices."""

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))

from harness import Bench

DELETE_TARGET = 5.0  # seconds of real time
DELETIONS = 5
OPEN_INVOICES = (10, 100, 1000)
TIME_SCALE = 1.0
CDC_INTERVAL = 300  # seconds between two runs of the CDC cron


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
        bench.env["qbo.sync"]._cron_cdc_sweep()
        bench.commit()
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
        bench.env["qbo.sync"]._cron_cdc_sweep()
        bench.commit()
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
        pushed, polls = cdc_polls(bench, customer, products)
        times = deletions(bench, pushed)
        bench.summary(
            f"CDC poll requests {'/'.join(map(str, polls))} for "
            f"{'/'.join(map(str, OPEN_INVOICES))} open invoices; delete seen in "
            f"max {max(times):.2f} s"
            if times
            else "delete never seen"
        )


if __name__ == "__main__":
    main()
