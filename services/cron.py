"""How every QuickBooks cron runs: one protocol, in one place.

Odoo's cron runner (``ir.cron``) runs a job again at once, up to ten times in a
row, while the job reports remaining work; a job that reports none waits for its
interval or for a trigger. So a QuickBooks cron:

- counts its whole backlog when it starts, not the capped slice it reads, so that
  a capped run with work left is run again;
- commits after each step with :meth:`CronRun.step`; the code it calls never
  commits;
- when QBO throttles, stops and asks to run again after QBO's ``Retry-After``
  (:meth:`CronRun.wait`), reporting nothing remaining so that Odoo does not run
  it again at once;
- stops when its time is up (:meth:`CronRun.step` returns ``False``).

Called outside a cron run (a test, a shell), ``_commit_progress`` only commits.
"""

from odoo import fields

from ..qbo import errors


class CronRun:
    """One run of the cron ``xmlid``."""

    def __init__(self, env, xmlid):
        self._cron = env["ir.cron"]
        self.job = env.ref(xmlid).sudo()
        self.stopped = False

    def start(self, backlog):
        """Report the work this job has: every record waiting, not only this run's slice."""
        self._cron._commit_progress(remaining=backlog)

    def step(self, processed=1):
        """Commit a step that did ``processed`` units; ``False`` once the run must stop."""
        if self.stopped:
            return False
        return bool(self._cron._commit_progress(processed))

    def wait(self, seconds):
        """QBO asked to wait ``seconds``: end this run and run again after that, not at once."""
        self.later(seconds)
        self._cron._commit_progress(remaining=0)
        self.stopped = True

    def each(self, records, work):
        """``work(record)`` for each of ``records``, one step each; the run ends when QBO
        throttles (waiting as it asks) or its time is up."""
        for record in records:
            try:
                work(record)
            except errors.ThrottledError as error:
                self.wait(error.wait_seconds)
                return
            if not self.step():
                return

    def later(self, seconds=0):
        """Some work can't be done now (another transaction holds it): run again later."""
        at = fields.Datetime.add(fields.Datetime.now(), seconds=seconds) if seconds else None
        self.job._trigger(at)
