"""The soak's processes: the QBO sandbox and Odoo servers, each in its own process group
so that stopping one stops its workers too; all of them stopped at the end, also on failure."""

import os
import re
import signal
import subprocess
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
#: "... 1234 INFO db odoo.service.server: Worker WorkerCron (1234) alive"
CRON_ALIVE = re.compile(r"Worker WorkerCron \((\d+)\) alive")
#: "... 1234 INFO db odoo.addons.base.models.ir_cron: Job 'name' (7) starting"
JOB_START = re.compile(
    r"^\S+ \S+ (\d+) INFO \S+ odoo\.addons\.base\.models\.ir_cron: Job '(.+)' \(\d+\) starting",
    re.M,
)
#: the first line of a log record: "2026-01-31 12:00:00,123 1234 LEVEL ..."
LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (\d+) ")
SERIALIZATION = "could not serialize access due to concurrent update"
#: odoo.service.model's retry of an RPC after a concurrency error
RETRY = re.compile(r" INFO \S+ odoo\.service\.model: .*, \d+ tries left, try again in ")
#: the gevent child failing at start (see soak/odoo_bin.py); a few are a respawn loop
GEVENT_FAILURE = re.compile(r"DistributionNotFound|attempted relative import")


class Processes:
    """``with Processes(logs) as procs: procs.sandbox(...); procs.odoo(...)``."""

    def __init__(self, logs, python):
        self.logs = logs
        self.python = python
        self.started = {}  # name -> Popen
        os.makedirs(logs, exist_ok=True)
        for old in os.listdir(logs):  # a previous run's
            if old.endswith(".log"):
                os.remove(os.path.join(logs, old))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for name in list(self.started):
            self.stop(name)

    def log_path(self, name):
        return os.path.join(self.logs, f"{name}.log")

    def _spawn(self, name, cmd, env=None):
        out = open(self.log_path(name), "ab")
        proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        out.close()
        self.started[name] = proc
        return proc

    def stop(self, name, timeout=20):
        proc = self.started.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # workers left behind by the master
        except ProcessLookupError:
            pass
        proc.wait(5)

    # ------------------------------------------------------------------ sandbox
    def sandbox(self, port, args, webhook_url):
        cmd = [
            self.python,
            "-m",
            "qbo_sandbox",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--webhook-url",
            webhook_url,
            *args,
        ]
        proc = self._spawn("sandbox", cmd)
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/_sandbox/requests", proc, 30, "the sandbox")
        return url

    # ------------------------------------------------------------------ odoo
    def odoo(self, name, *, conf, db, http_port, gevent_port, workers, crons, pythonpath):
        """A prefork Odoo server (``workers`` HTTP workers, ``crons`` cron workers, a gevent
        child) started through soak/odoo_bin.py; returns its URL once it and its gevent
        port answer."""
        cmd = [
            self.python,
            os.path.join(HERE, "odoo_bin.py"),
            "-c",
            conf,
            "-d",
            db,
            f"--db-filter=^{db}$",
            "--http-interface=127.0.0.1",
            f"--http-port={http_port}",
            f"--gevent-port={gevent_port}",
            f"--workers={workers}",
            f"--max-cron-threads={crons}",
            "--limit-time-real=300",
            "--limit-time-real-cron=600",
            "--log-level=info",
        ]
        env = dict(os.environ, PYTHONPATH=pythonpath)
        proc = self._spawn(name, cmd, env)
        url = f"http://127.0.0.1:{http_port}"
        wait_http(f"{url}/web/health", proc, 120, name)
        self._wait_gevent(name, proc, gevent_port)
        return url

    def _wait_gevent(self, name, proc, port):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            failures = len(GEVENT_FAILURE.findall(self.read_log(name)))
            if failures >= 2:
                raise RuntimeError(
                    f"{name}: the gevent child keeps failing at start ({failures} times); "
                    f"see {self.log_path(name)} and soak/odoo_bin.py"
                )
            try:
                requests.get(f"http://127.0.0.1:{port}/web/health", timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.5)
            if proc.poll() is not None:
                raise RuntimeError(f"{name} stopped; see {self.log_path(name)}")
        raise RuntimeError(f"{name}: nothing answers on the gevent port {port}")

    def read_log(self, name, offset=0):
        """The log of ``name`` from byte ``offset`` on."""
        with open(self.log_path(name), "rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")

    def cron_workers(self, name):
        """Pids of the cron workers of Odoo server ``name`` that are alive now."""
        return [int(pid) for pid in CRON_ALIVE.findall(self.read_log(name)) if alive(int(pid))]

    def job_runners(self, name, job, offset=0):
        """Pids that logged starting cron job ``job`` since ``offset`` (the most recent last)."""
        text = self.read_log(name, offset) if os.path.exists(self.log_path(name)) else ""
        return [int(pid) for pid, title in JOB_START.findall(text) if title == job]


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (not reaped yet) is gone too
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def wait_http(url, proc, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} stopped at start (exit {proc.returncode})")
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError(f"{what} does not answer on {url} after {seconds} s")


def log_offsets(procs, names):
    return {
        name: os.path.getsize(procs.log_path(name))
        for name in names
        if os.path.exists(procs.log_path(name))
    }


def log_errors(procs, names, offsets):
    """ERROR/CRITICAL records the Odoo servers ``names`` logged since ``offsets``, as
    ``(text, retried)``: the text is the record's first line (prefixed with the server's
    name) and its following lines (the SQL error, the traceback); ``retried`` is true when
    the error is one Odoo runs the transaction again for (see :func:`retried`)."""
    found = []
    for name in names:
        if not os.path.exists(procs.log_path(name)):
            continue
        records = []  # [pid, first line, following lines]
        with open(procs.log_path(name), encoding="utf-8", errors="replace") as log:
            log.seek(offsets.get(name, 0))
            for line in log:
                start = LOG_RECORD.match(line)
                if start:
                    records.append([start.group(1), line.rstrip(), []])
                elif records:
                    records[-1][2].append(line.rstrip())
        for index, (pid, first, rest) in enumerate(records):
            if not re.search(r" (ERROR|CRITICAL) ", first):
                continue
            text = "\n".join([f"{name}: {first}", *rest])
            after = next((r[1] for r in records[index + 1 :] if r[0] == pid), "")
            found.append((text, retried(text, after)))
    return found


def retried(text, next_line):
    """An error Odoo runs the transaction again for: PostgreSQL refused a concurrent update
    (the RPC or the cron runs again), or the worker's next log line is the RPC's retry
    ("..., 4 tries left, try again in 0.5 sec..."). Expected under concurrency."""
    return SERIALIZATION in text or bool(RETRY.search(next_line))
