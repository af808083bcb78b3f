"""What every bench script shares: an Odoo environment on the bench database, a local
QBO sandbox with QBO's limits on, a connected company, data builders and counters.

Run the scripts through ``make bench`` (``bench/run.sh``), which prepares the database.
Each script prints its configuration, its figures, and a one-line summary last.
"""

import argparse
import contextlib
import logging
import os
import re
import resource
import sys
import time

import odoo
from odoo import Command, api
from odoo.modules.registry import Registry
from odoo.tools import config

#: QBO's published limits per company (realm), as the sandbox enforces them
QBO_REQUESTS_PER_MINUTE = 500
QBO_CONCURRENT = 10
QBO_BATCHES_PER_MINUTE = 40
QBO_BATCH_ITEMS = 30
#: seconds every QBO request takes, on QBO's clock (the sandbox's latency profile)
QBO_LATENCY = 2.0
#: how often the bench's cron loop looks for a due job (Odoo's cron thread is woken by
#: the trigger's notification; polling this often stands in for it)
CRON_POLL = 0.1


class Bench:
    """One bench run: ``with Bench("name", time_scale=...) as bench: ...``.

    ``bench.env`` is a superuser environment on its own cursor (commit explicitly with
    ``bench.commit()``), ``bench.sandbox`` the running sandbox, ``bench.connection``
    the company's QBO connection.
    """

    def __init__(self, name, time_scale=1.0, limits=True, latency=QBO_LATENCY):
        parser = argparse.ArgumentParser(description=name)
        parser.add_argument("--db", required=True)
        parser.add_argument("--conf", required=True)
        args, _rest = parser.parse_known_args()
        self.name = name
        self.db = args.db
        self.conf = args.conf
        self.time_scale = time_scale
        self.limits = limits
        self.latency = latency
        self.figures = []
        config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn"])
        self.registry = Registry(args.db)
        self.cr = None
        self.env = None
        self.sandbox = None
        self.connection = None
        self._partners = 0

    def __enter__(self):
        # The addon is importable once the registry has set up the addons path.
        from odoo.addons.quickbooks_online.qbo_sandbox import (  # noqa: PLC0415
            SandboxServer,
            presets,
        )
        from odoo.addons.quickbooks_online.tests.sandbox_setup import (  # noqa: PLC0415
            connect_company,
        )

        self.sandbox = SandboxServer().start()
        self.cr = self.registry.cursor()
        self.env = api.Environment(self.cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
        self.connection = connect_company(
            self.env, self.sandbox, self.env.company, presets.US_REALM
        )
        self.connection.write({"sync_sales": True, "sync_purchases": True})
        self.commit()
        self.set_clock(self.time_scale)
        self.sandbox.clear_requests()
        self.header()
        return self

    def __exit__(self, *exc):
        self.cr.rollback()
        self.cr.close()
        self.sandbox.stop()

    def set_clock(self, time_scale):
        """QBO's limits and latency on a clock ``time_scale`` times faster than real time:
        a request takes ``latency / time_scale`` real seconds, so it lasts ``latency``
        QBO seconds as the limits count them. The Odoo worker's own time is not scaled."""
        self.time_scale = time_scale
        self.sandbox.set_limits(self.limits, time_scale=time_scale)
        self.sandbox.set_latency(self.latency / time_scale)

    def commit(self):
        self.env.flush_all()
        self.cr.commit()

    # ------------------------------------------------------------------ output
    def header(self):
        print(f"== {self.name}")
        print(
            f"   config: Odoo {odoo.release.version}, database {self.db}, Python "
            f"{sys.version.split()[0]}, {os.cpu_count()} CPU(s); QBO sandbox at "
            f"{self.sandbox.url}, limits {'on' if self.limits else 'off'} "
            f"(time scale x{self.time_scale:g}: one QBO minute = "
            f"{60 / self.time_scale:.2f} s), latency {self.latency:g} QBO s per request "
            f"({self.sandbox.latency:.3g} s real)"
        )

    def figure(self, label, value, target=None, ok=None):
        """Print one figure; ``ok`` tells whether it met ``target``."""
        verdict = "" if ok is None else ("  [met]" if ok else "  [MISSED]")
        wanted = f"  (target {target})" if target else ""
        print(f"   {label}: {value}{wanted}{verdict}")
        self.figures.append(ok)

    def summary(self, text):
        missed = sum(1 for ok in self.figures if ok is False)
        met = sum(1 for ok in self.figures if ok)
        print(f"SUMMARY {self.name}: {text} — {met} target(s) met, {missed} missed")

    # ------------------------------------------------------------------ crons
    def run_cron(self, xmlid, done=None, timeout=3600):
        """Run the cron ``xmlid`` as Odoo's cron thread does until ``done()`` is true
        (without ``done``: trigger it now and let it run once).

        Each time the job is due (its next call or a trigger has come), the scheduler's
        own code acquires it and runs it (``ir.cron._process_jobs_loop``: a cursor of
        its own, up to ten runs in a row while it reports work left, then its next
        call or trigger); in between, the bench waits as the cron thread would.

        :return: ``(runs, waits, waited seconds)``
        """
        from odoo.addons.base.models.ir_cron import IrCron  # noqa: PLC0415

        job = self.env.ref(xmlid)
        job_id = job.id
        if done is None:
            job._trigger()
            done = lambda: runs > 0  # noqa: E731 - reads the loop's count
        self.commit()
        db = odoo.sql_db.db_connect(self.db)
        runs = waits = 0
        waited = 0.0
        waiting = False
        started = time.monotonic()
        while not done():
            if time.monotonic() - started > timeout:
                raise SystemExit(f"{xmlid} did not finish in {timeout} s")
            with db.cursor() as cron_cr:
                ready = {job["id"] for job in IrCron._get_all_ready_jobs(cron_cr)}
                if job_id in ready:
                    IrCron._process_jobs_loop(cron_cr, job_ids=[job_id])
                    runs += 1
                    waiting = False
            if job_id not in ready:
                waits += not waiting
                waiting = True
                time.sleep(CRON_POLL)
                waited += CRON_POLL
            self.cr.rollback()
            self.env.invalidate_all()
        return runs, waits, waited

    # ------------------------------------------------------------------ counting
    def api_requests(self):
        """Accounting API requests the sandbox logged (token requests left out)."""
        return [r for r in self.sandbox.requests if r.path.startswith("/v3/company/")]

    @contextlib.contextmanager
    def count_requests(self):
        """``with bench.count_requests() as seen: ...``; then ``seen`` lists the requests."""
        self.sandbox.clear_requests()
        seen = []
        yield seen
        seen.extend(self.api_requests())

    @contextlib.contextmanager
    def count_queries(self):
        """``with bench.count_queries() as box: ...``; then ``box[0]`` is the SQL count.

        Pending writes and the mail tracking a commit would run (``cr.precommit``: the
        chatter's tracking values) are flushed before and counted after, so the count
        is what the commit of the block's work costs. The intent the push commits in a
        cursor of its own is not counted.
        """
        box = [0]
        self.flush_tracking()
        start = self.cr.sql_log_count
        yield box
        self.flush_tracking()
        box[0] = self.cr.sql_log_count - start

    def flush_tracking(self):
        """Run what a commit runs first: pending writes, then the mail tracking."""
        self.env.flush_all()
        self.cr.precommit.run()
        self.env.flush_all()

    # ------------------------------------------------------------------ data
    def partner(self, name, **values):
        """A company with a name and an email of its own: QBO knows neither, so its first
        push creates it (a shared email would match the first one pushed)."""
        self._partners += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        email = f"{slug}-{self._partners}@example.com"
        return self.env["res.partner"].create(
            {"name": name, "is_company": True, "email": email, **values}
        )

    def products(self, prefix, count, type="service"):
        """``count`` products with internal references, no taxes."""
        stamp = f"{time.monotonic_ns() % 10**8:08d}"
        return self.env["product.product"].create(
            [
                {
                    "name": f"{prefix} {n} {stamp}",
                    "default_code": f"{prefix[:4].upper()}-{stamp}-{n}",
                    "list_price": 10.0 + n,
                    "standard_price": 5.0,
                    "type": type,
                    "taxes_id": [Command.clear()],
                    "supplier_taxes_id": [Command.clear()],
                }
                for n in range(count)
            ]
        )

    def sales(self, partner, products, count=1, qty=1.0):
        """``count`` confirmed sales orders, each with one line per product."""
        orders = self._orders(
            "sale.order", "product_uom_qty", "list_price", partner, products, count, qty
        )
        orders.action_confirm()
        return orders

    def purchases(self, partner, products, count=1, qty=1.0):
        """``count`` confirmed purchase orders, each with one line per product."""
        orders = self._orders(
            "purchase.order", "product_qty", "standard_price", partner, products, count, qty
        )
        orders.button_confirm()
        return orders

    def clone_orders(self, template, count, prefix, **columns):
        """``count`` copies of the confirmed sales order ``template`` and of its lines,
        written in SQL (the setup of thousands of orders, not what a bench measures).

        Each copy is named ``prefix`` + its number ``n`` (1..count); ``columns`` maps a
        column to an SQL expression over ``n`` (e.g. ``qbo_status="'queued'"``).
        """
        cr = self.cr
        self.flush_tracking()

        def copied(table, *skip):
            cr.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
                [table],
            )
            return [name for (name,) in cr.fetchall() if name not in ("id", *skip)]

        order_columns = copied("sale_order", "name", *columns)
        targets = ", ".join(["name"] + [f'"{c}"' for c in order_columns + list(columns)])
        values = ", ".join(["%s || n"] + [f'"{c}"' for c in order_columns] + list(columns.values()))
        cr.execute(
            f"INSERT INTO sale_order ({targets}) SELECT {values} "
            "FROM sale_order, generate_series(1, %s) n WHERE id = %s ORDER BY n RETURNING id",
            [prefix, count, template.id],
        )
        ids = [row[0] for row in cr.fetchall()]
        line_columns = ", ".join(f'"{c}"' for c in copied("sale_order_line", "order_id"))
        cr.execute(
            f"INSERT INTO sale_order_line (order_id, {line_columns}) "
            f"SELECT o.id, {line_columns} FROM sale_order_line, unnest(%s) o(id) "
            "WHERE order_id = %s",
            [ids, template.id],
        )
        self.env.invalidate_all()
        return template.browse(ids)

    def _orders(self, model, qty_field, price_field, partner, products, count, qty):
        lines = [
            Command.create(
                {"product_id": p.id, qty_field: qty, "price_unit": p[price_field], "tax_ids": []}
            )
            for p in products
        ]
        return self.env[model].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": list(lines),
                }
                for _n in range(count)
            ]
        )


class ClientWaits(logging.Handler):
    """The client's waits before a retry (429 ``Retry-After``, backoff), counted from its
    log, and kept off the console: ``with ClientWaits() as waits: ...; waits.seconds``."""

    LOGGER = "odoo.addons.quickbooks_online.qbo.client"

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0
        self.seconds = 0.0

    def emit(self, record):
        # the client's log filter has already formatted (and redacted) the message
        if found := re.search(r"retrying in ([0-9.]+)s", record.getMessage()):
            self.count += 1
            self.seconds += float(found.group(1))

    def __enter__(self):
        logger = logging.getLogger(self.LOGGER)
        self._propagate = logger.propagate
        logger.addHandler(self)
        logger.propagate = False
        return self

    def __exit__(self, *exc):
        logger = logging.getLogger(self.LOGGER)
        logger.removeHandler(self)
        logger.propagate = self._propagate


def peak_rss_mib():
    """Peak resident memory of this process (the Odoo worker) in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
