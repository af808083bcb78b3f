"""One soak run against one sandbox profile: run by soak/run.sh (``make soak``) on a fresh
copy of a database holding the addon. Starts the sandbox and Odoo, prepares the orders,
runs every scenario of :mod:`scenarios`, prints the table; exit 1 on any duplicate, lost
or stuck order, on an error a user got or an error the servers logged (retried
serialization failures excepted), or on a broken token scenario."""

import argparse
import json
import os
import signal
import subprocess
import sys
import time

import counts
import junit
import psycopg2
from clients import Sandbox
from procs import HERE, REPO, Processes, log_errors, log_offsets
from scenarios import PUSH_JOB, SCENARIOS

sys.path.insert(0, REPO)
from qbo_sandbox import presets

#: the ports of the soak (8220-8229): two Odoo servers with their gevent ports, the sandbox
PORTS = {"odoo": (8220, 8221), "odoo-b": (8222, 8223), "sandbox": 8224}
#: sandbox command-line flags per profile (qbo_sandbox/README.md, "Profiles")
PROFILES = {
    # today's QBO as the connector meets it: custom numbers on, requestid honoured
    "today": [],
    # custom numbers off, requestid ignored, shuffled batches, latency
    "hostile": [
        "--ignore-requestid",
        "--custom-txn-numbers",
        "off",
        "--no-duplicate-warning",
        "--shuffle-batch",
        "--latency",
        "0.05",
    ],
    # the sandbox's whole "hostile" profile: also commit-then-6000 writes and lost refreshes
    "hostile-faults": ["--profile", "hostile", "--custom-txn-numbers", "off"],
}
#: seconds a scenario's queue may take to drain before its orders count as stuck
DRAIN_SECONDS = int(os.environ.get("SOAK_DRAIN_SECONDS", "120"))
CLIENTS = 6


class Context:
    """What the scenarios use: the database, the servers, the sandbox, the user's login."""

    def __init__(self, args, procs, sandbox):
        self.db = args.db
        self.conf = args.conf
        self.pythonpath = args.pythonpath
        self.procs = procs
        self.sandbox = sandbox
        self.url = None
        self.url_b = None
        self.login = "soak_qbo"
        self.clients = CLIENTS
        self.verifier_token = presets.VERIFIER_TOKEN
        self.ids = {}
        #: ``{error message: count}`` of the errors users got (expected refusals excluded)
        self.user_errors = {}

    def odoo(self, name, workers, crons):
        http_port, gevent_port = PORTS[name]
        return self.procs.odoo(
            name,
            conf=self.conf,
            db=self.db,
            http_port=http_port,
            gevent_port=gevent_port,
            workers=workers,
            crons=crons,
            pythonpath=self.pythonpath,
        )

    def start_second_server(self):
        if not self.url_b:
            self.url_b = self.odoo("odoo-b", workers=2, crons=2)
        return self.url_b

    def query(self, sql, params=()):
        with psycopg2.connect(dbname=self.db) as cnx, cnx.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall()

    def statuses(self, names):
        rows = self.query("SELECT name, qbo_status FROM sale_order WHERE name = ANY(%s)", [names])
        return dict(rows)

    def event_states(self):
        return dict(self.query("SELECT state, count(*) FROM qbo_event GROUP BY state"))

    def connection_state(self):
        return self.query("SELECT state FROM qbo_connection ORDER BY id LIMIT 1")[0][0]

    def wait_drained(self, names, seconds=DRAIN_SECONDS):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if "queued" not in self.statuses(names).values():
                return
            time.sleep(1)


def setup(ctx, args, counts_by_scenario, sandbox_url):
    """Connect the company, add the user and create the orders through ``odoo shell``."""
    out = os.path.join(args.logs, "orders.json")
    env = dict(
        os.environ,
        PYTHONPATH=args.pythonpath,
        SOAK_SANDBOX_URL=sandbox_url,
        SOAK_COUNTS=json.dumps(counts_by_scenario),
        SOAK_ORDERS_FILE=out,
        SOAK_LOGIN=ctx.login,
    )
    with (
        open(os.path.join(HERE, "setup_db.py"), "rb") as script,
        open(ctx.procs.log_path("setup"), "wb") as log,
    ):
        subprocess.run(
            [
                args.python,
                os.path.join(HERE, "odoo_bin.py"),
                "shell",
                "-c",
                args.conf,
                "-d",
                args.db,
                "--no-http",
                "--log-level=warn",
                "--shell-interface=python",
            ],
            stdin=script,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=REPO,
            check=True,
            timeout=300,
        )
    with open(out, encoding="utf-8") as data:
        orders = json.load(data)["orders"]
    ctx.ids = dict(
        ctx.query(
            "SELECT name, id FROM sale_order WHERE name = ANY(%s)",
            [[n for names in orders.values() for n in names]],
        )
    )
    return orders


def error_kinds(records):
    """``{"log ERROR <logger: first words> [<SQL error>]": count}`` of Odoo log records
    (:func:`procs.log_errors`); a retried one shows as "log retried ..." and does not count
    as an error."""
    kinds = {}
    for text, is_retried in records:
        first, *rest = text.split("\n")
        # "<server>: <date> <time> <pid> <LEVEL> <db> <logger>: <message>"
        parts = first.split(" ", 6)
        words = " ".join(parts[6].split()[:8]) if len(parts) > 6 else first
        detail = next((line.strip() for line in rest if line.startswith("ERROR:")), "")
        label = "retried" if is_retried else (parts[4] if len(parts) > 4 else "")
        key = f"log {label} {words[:90]}" + (f" [{detail[:80]}]" if detail else "")
        kinds[key] = kinds.get(key, 0) + 1
    return kinds


def run_scenario(ctx, name, function, names):
    servers = ["odoo", "odoo-b"]
    offsets = log_offsets(ctx.procs, servers)
    ctx.sandbox.clear_requests()
    ctx.user_errors = {}
    started = time.monotonic()
    notes = function(ctx, names)
    ctx.wait_drained(names)
    figures = counts.count(ctx.db, ctx.sandbox, names)
    figures["seconds"] = time.monotonic() - started
    figures["refreshes"] = len(ctx.sandbox.token_requests())
    records = log_errors(ctx.procs, servers, offsets)
    errors = [text for text, is_retried in records if not is_retried]
    for server in servers:
        runs = ctx.procs.job_runners(server, PUSH_JOB, offsets.get(server, 0))
        if runs:
            notes[f"push cron runs on {server}"] = f"{len(runs)} (pids {sorted(set(runs))})"
    figures["log_errors"] = len(errors)
    figures["user_errors"] = sum(ctx.user_errors.values())
    figures["problems"][:0] = [
        f"a user got an error {times} time(s): {error}" for error, times in ctx.user_errors.items()
    ]
    notes.update(error_kinds(records))
    if function.__name__ == "expired_token":
        state = ctx.connection_state()
        notes["connection"] = state
        if figures["refreshes"] != 1 or state != "connected":
            figures["problems"].append(
                f"token: {figures['refreshes']} refresh(es), connection {state}"
            )
            figures["token_broken"] = True
    return figures, notes


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="today")
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--pythonpath", default=os.environ.get("PYTHONPATH", ""))
    parser.add_argument("--logs", required=True)
    parser.add_argument("--only", nargs="*", help="scenario functions to run (default: all)")
    parser.add_argument("--junit", help="also write the result to this JUnit file")
    args = parser.parse_args()
    # a terminated run stops its servers too (the ``with`` below)
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    scenarios = [s for s in SCENARIOS if not args.only or s[2].__name__ in args.only]
    results = []
    with Processes(args.logs, args.python) as procs:
        sandbox_url = procs.sandbox(
            PORTS["sandbox"],
            PROFILES[args.profile],
            f"http://127.0.0.1:{PORTS['odoo'][0]}/quickbooks/webhook",
        )
        ctx = Context(args, procs, Sandbox(sandbox_url, presets.US_REALM))
        orders = setup(ctx, args, {name: n for name, n, _f in scenarios}, sandbox_url)
        ctx.url = ctx.odoo("odoo", workers=4, crons=2)
        for name, _count, function in scenarios:
            print(f"-- {args.profile}: {name} ({function.__doc__.split(chr(10))[0]})", flush=True)
            figures, notes = run_scenario(ctx, name, function, orders[name])
            results.append((name, figures))
            for key, value in notes.items():
                print(f"   {key}: {value}")
            for problem in figures["problems"][:10]:
                print(f"   ! {problem}")
    flags = " ".join(PROFILES[args.profile]) or "defaults"
    print(f"\n== soak, sandbox profile {args.profile} ({flags})")
    print(counts.header())
    for name, figures in results:
        print(counts.row(name, figures))
    bad = [name for name, figures in results if counts.failed(figures)]
    total = {name: sum(figures[name] for _s, figures in results) for name in counts.FAILING}
    print(
        f"RESULT {args.profile}: "
        + (f"FAILED in {', '.join(bad)}" if bad else counts.summary(total))
    )
    if args.junit:
        junit.write(args.junit, args.profile, results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
