"""The soak's scenarios. Each drives the running servers over HTTP from several clients at
once and returns notes; the driver then waits for the queue to drain and counts.

``ctx`` (:class:`soak.driver.Context`) holds the clients, the sandbox, the processes and
the order ids by name.
"""

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from clients import OdooUser, RpcError, webhook_storm
from procs import alive

PUSH_JOB = "QuickBooks Online: push queued orders"
#: the refusal of a button whose order another transaction is sending: expected, not a failure
BUSY = "is being sent to QuickBooks Online right now"
#: seconds the SIGKILL scenario waits for a batch answer, then for the cron worker to respawn
KILL_WAIT = 120


def clicks(ctx, calls, url=None, threads=None):
    """Run ``calls`` (``(method, ids)``) on sale.order from ``ctx.clients`` threads, each
    thread its own user session; ``{outcome: count}``. Outcomes: "ok", the refusal of an
    order another push holds (expected), or the error, which also goes to
    ``ctx.user_errors`` (a failure of the scenario)."""
    local = threading.local()
    outcomes = {}
    lock = threading.Lock()

    def call(item):
        method, ids = item
        if not hasattr(local, "user"):
            local.user = OdooUser(url or ctx.url, ctx.db, ctx.login, ctx.login)
        unexpected = None
        try:
            local.user.call("sale.order", method, ids)
            outcome = "ok"
        except RpcError as error:
            message = " ".join(str(error).split())
            if BUSY in message:
                outcome = "refused: being sent right now (expected)"
            else:
                outcome = unexpected = message[:160]
        except Exception as error:
            outcome = unexpected = f"{type(error).__name__}: {error}"[:160]
        with lock:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if unexpected:
                ctx.user_errors[unexpected] = ctx.user_errors.get(unexpected, 0) + 1

    with ThreadPoolExecutor(threads or ctx.clients) as pool:
        list(pool.map(call, calls))
    return outcomes


def triple_click(ctx, names):
    """Every order's "Create invoice" button pressed three times at once."""
    calls = [("action_qbo_push", [ctx.ids[name]]) for name in names for _click in range(3)]
    return {"clicks": clicks(ctx, calls)}


def button_vs_cron(ctx, names):
    """The orders queued for the bulk cron, and their buttons pressed while it runs."""
    ids = [ctx.ids[name] for name in names]
    calls = [("action_qbo_push_queue", ids)] + [("action_qbo_push", [i]) for i in reversed(ids)]
    return {"clicks": clicks(ctx, calls)}


def sigkill_cron(ctx, names):
    """kill -9 of the cron worker pushing, right after QBO answered a batch of invoices.

    The master respawns it; the queue must drain.
    """
    ids = [ctx.ids[name] for name in names]
    before = set(ctx.procs.cron_workers("odoo"))
    known = {inv["Id"] for inv in ctx.sandbox.store("Invoice")}
    ctx.sandbox.clear_requests()
    queued = clicks(ctx, [("action_qbo_push_queue", ids)])
    deadline = time.monotonic() + KILL_WAIT
    victim = None
    while time.monotonic() < deadline and victim is None:
        answered = [r for r in ctx.sandbox.requests() if r["entity"] == "batch" and r["status"]]
        new = [inv for inv in ctx.sandbox.store("Invoice") if inv["Id"] not in known]
        if answered and new:
            runners = [pid for pid in ctx.procs.job_runners("odoo", PUSH_JOB) if alive(pid)]
            victim = runners[-1] if runners else None
        time.sleep(0.02)
    if victim is None:
        return {"queued": queued, "killed": "no batch answered / no cron worker found"}
    os.kill(victim, signal.SIGKILL)
    in_flight = sum(1 for status in ctx.statuses(names).values() if status == "queued")
    respawned = None
    while time.monotonic() < deadline and respawned is None:
        fresh = set(ctx.procs.cron_workers("odoo")) - before - {victim}
        respawned = min(fresh) if fresh else None
        time.sleep(0.2)
    return {
        "queued": queued,
        "killed": f"cron worker {victim} after {len(new)} invoice(s) answered, "
        f"{in_flight} order(s) still queued in Odoo",
        "respawned": respawned or "NOT within the deadline",
    }


def expired_token(ctx, names):
    """Ten pushes at once through an expired access token: one refresh, still connected."""
    ctx.sandbox.control("expire_access_tokens", realm_id=ctx.sandbox.realm_id)
    calls = [("action_qbo_push", [ctx.ids[name]]) for name in names]
    return {"clicks": clicks(ctx, calls, threads=len(calls))}


def webhook_storm_bulk(ctx, names):
    """Signed webhook deliveries from several senders while the cron pushes the orders."""
    ids = [ctx.ids[name] for name in names]
    stop = threading.Event()
    storm = {}

    def run_storm():
        storm.update(
            webhook_storm(
                f"{ctx.url}/quickbooks/webhook",
                ctx.sandbox.realm_id,
                ctx.verifier_token,
                deliveries=300,
                senders=4,
                stop=stop,
            )
        )

    sender = threading.Thread(target=run_storm)
    sender.start()
    queued = clicks(ctx, [("action_qbo_push_queue", ids)])
    ctx.wait_drained(names)
    stop.set()
    sender.join(120)
    return {"queued": queued, "webhooks": storm, "events": ctx.event_states()}


def two_servers(ctx, names):
    """A second Odoo server on the same database, both with cron workers.

    Half the orders are queued on each, and the last ten's buttons pressed on the second.
    """
    url_b = ctx.start_second_server()
    ids = [ctx.ids[name] for name in names]
    half = len(ids) // 2
    queued = clicks(ctx, [("action_qbo_push_queue", ids[:half])])
    calls = [("action_qbo_push_queue", ids[half:])] + [("action_qbo_push", [i]) for i in ids[-10:]]
    return {"queued on the first": queued, "on the second": clicks(ctx, calls, url=url_b)}


#: (name, orders, function); the order counts are created before the servers start
SCENARIOS = (
    ("triple clicks", 20, triple_click),
    ("button vs bulk cron", 20, button_vs_cron),
    ("SIGKILL cron worker", 60, sigkill_cron),
    ("expired token x10", 10, expired_token),
    ("webhook storm + bulk", 60, webhook_storm_bulk),
    ("two servers", 60, two_servers),
)
