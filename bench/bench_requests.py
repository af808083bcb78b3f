"""Requests per pushed order: steady state, and first push with a new partner and k new
products (k = 1, 10, 29, 30, 60); SQL queries per pushed order for 1, 10 and 100 lines;
metered reads per push and what the sync log costs a push.

Every partner has a name and an email of its own, so each "new" customer or vendor is
really created in QBO, not matched to one pushed before.
"""

import math
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from harness import QBO_BATCH_ITEMS, Bench

STEADY_TARGET = 1
LOG_PUSHES = 20
#: milliseconds the sync log may add to a push (QBO itself answers in hundreds)
LOG_COST_TARGET = 10
NEW_PRODUCTS = (1, 10, 29, 30, 60)


def first_push_requests(k):
    """Requests of the first push of an order of a new customer/vendor and ``k`` new
    products: one batch of lookups, the creates in batches of at most 30 items (the
    party and the ``k`` items), the document: ``2 + ceil((k + 1) / 30)``."""
    return 2 + math.ceil((k + 1) / QBO_BATCH_ITEMS)


def push_count(bench, orders):
    with bench.count_requests() as seen:
        orders.action_qbo_push()
        bench.commit()
    orders.invalidate_recordset()
    statuses = set(orders.mapped("qbo_status"))
    if statuses != {"created"}:
        raise SystemExit(f"push failed: {orders.mapped('qbo_error')}")
    return len(seen), [r.entity or r.path.rsplit("/", 1)[-1] for r in seen]


def requests_per_order(bench):
    results = []
    for kind, make, party in (("SO", bench.sales, "customer"), ("PO", bench.purchases, "vendor")):
        partner = bench.partner(f"Bench {party} {kind}")
        known = bench.products(f"Known {kind}", 1)
        push_count(bench, make(partner, known))  # links the partner and the product
        count, _ = push_count(bench, make(partner, known))
        ok = count <= STEADY_TARGET
        bench.figure(f"{kind} steady state (known {party} and product)", count, "1", ok)
        results.append(ok)
        for k in NEW_PRODUCTS:
            new_partner = bench.partner(f"Bench new {party} {kind} k={k}")
            parties = len(bench.sandbox.store(bench.connection.realm_id).all(party.title()))
            count, kinds = push_count(bench, make(new_partner, bench.products(f"New {kind}", k)))
            created = len(bench.sandbox.store(bench.connection.realm_id).all(party.title()))
            expected = first_push_requests(k)
            ok = count <= expected and created == parties + 1
            bench.figure(
                f"{kind} first push, new {party} (created: {created - parties}) + {k} new "
                f"product(s)",
                f"{count} ({', '.join(kinds)})",
                f"2 + ceil(({k} + 1) / 30) = {expected}",
                ok,
            )
            results.append(ok)
    return all(results)


def queries_per_order(bench):
    partner = bench.partner("Bench SQL customer")
    counts = {}
    for lines in (1, 10, 100):
        products = bench.products(f"SQL{lines}", lines)
        push_count(bench, bench.sales(partner, products))  # warm: links and caches
        order = bench.sales(partner, products)
        bench.commit()
        bench.env.invalidate_all()
        with bench.count_queries() as box:
            order.action_qbo_push()
        bench.commit()
        if order.qbo_status != "created":
            raise SystemExit(f"push failed: {order.qbo_error}")
        counts[lines] = box[0]
        bench.figure(f"SQL queries to push one SO of {lines} line(s)", box[0])
    flat = counts[100] <= counts[1] + 5
    bench.figure(
        "growth from 1 to 100 lines (writes and mail tracking flushed)",
        f"{counts[100] - counts[1]:+d} queries",
        "flat (within 5)",
        flat,
    )
    return counts, flat


def sync_log_cost(bench):
    """Steady-state pushes of one order: metered reads, log rows, and the time spent
    recording the calls (building the rows and writing them in their own transaction)."""
    from odoo.addons.quickbooks_online.services import sync_log  # noqa: PLC0415

    spent = []
    recorder, write = sync_log.recorder, sync_log._write

    def timed(function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - started)

        return wrapper

    partner = bench.partner("Bench log customer")
    products = bench.products("Log", 1)
    push_count(bench, bench.sales(partner, products))  # links the partner and the product
    logs = bench.env["qbo.sync.log"]
    first = logs.search([], order="id desc", limit=1).id
    totals, costs = [], []
    sync_log.recorder = lambda connection: timed(recorder(connection))
    sync_log._write = timed(write)
    try:
        for _run in range(LOG_PUSHES):
            order = bench.sales(partner, products)
            bench.commit()
            spent.clear()
            started = time.perf_counter()
            with sync_log.about(order, source="push"):
                order.action_qbo_push()
            bench.commit()
            totals.append(time.perf_counter() - started)
            costs.append(sum(spent))
    finally:
        sync_log.recorder, sync_log._write = recorder, write
    rows = logs.search([("id", ">", first)])
    reads = len(rows.filtered("metered_read"))
    bench.figure("metered reads per steady-state push", reads / LOG_PUSHES, "0", reads == 0)
    bench.figure("sync log rows per steady-state push", len(rows) / LOG_PUSHES)
    cost = statistics.median(costs) * 1000
    bench.figure(
        "sync log cost per push",
        f"median {cost:.1f} ms of a {statistics.median(totals) * 1000:.0f} ms push",
        f"<= {LOG_COST_TARGET} ms",
        cost <= LOG_COST_TARGET,
    )
    return reads, statistics.median(costs)


def main():
    with Bench("requests and SQL per pushed order", time_scale=1.0) as bench:
        print(
            "   formula: steady state 1 request (the document); first push with a new "
            "customer/vendor and k new products 2 + ceil((k + 1) / 30) (lookups, creates "
            "in batches of <= 30, the document): 3 for k <= 29, 4 for k <= 59, 5 for k <= 89"
        )
        requests_ok = requests_per_order(bench)
        counts, flat = queries_per_order(bench)
        reads, cost = sync_log_cost(bench)
        bench.summary(
            f"reads per push {reads}, sync log {cost * 1000:.1f} ms per push; "
            f"requests per order {'within' if requests_ok else 'OVER'} target; "
            f"SQL per order {counts[1]}/{counts[10]}/{counts[100]} for 1/10/100 lines "
            f"({'flat' if flat else 'GROWING'})"
        )


if __name__ == "__main__":
    main()
