"""QBO's concurrent requests per company, counted across every Odoo process.

QBO serves ten requests of a company (realm) at once and answers 429 beyond. Odoo
runs in several processes (workers, cron threads), so the count lives in the
database: a request holds one of ten PostgreSQL advisory locks of its realm,
``pg_try_advisory_xact_lock(realm key, slot)``, in a short connection of its own
for as long as its HTTP attempt lasts. A process that dies releases its slots with
its connections. The per-minute limits (500 requests, 40 batch calls) are QBO's to
count: a 429 there ends in ``Retry-After`` and the cron's wait.
"""

import contextlib
import random
import time

from odoo import sql_db

from ..qbo import const, errors
from . import keys

#: seconds a request waits for a free slot before it counts as throttled
SLOT_WAIT = 60
#: seconds between two looks for a free slot
SLOT_POLL = 0.05


def realm_key(realm_id):
    """The advisory lock key (a signed 32-bit integer) of ``realm_id``'s slots."""
    return int(keys.digest("qbo-realm-slots", realm_id, length=8), 16) - 2**31


class RealmSlots:
    """``limiter`` of a :class:`~qbo.QboClient`: each HTTP attempt holds one of the realm's
    slots. Thread-safe: every use opens its own database connection."""

    def __init__(self, dbname, realm_id, slots=const.MAX_CONCURRENT_REQUESTS, deadline=None):
        self.dbname = dbname
        self.realm_id = realm_id
        self.key = realm_key(realm_id)
        self.slots = slots
        #: ``time.monotonic()`` seconds after which no request waits for a slot
        self.deadline = deadline

    @contextlib.contextmanager
    def __call__(self):
        cr = sql_db.db_connect(self.dbname).cursor()
        try:
            self._take(cr)
            yield
        finally:
            cr.close()  # its rollback releases the slot

    def _take(self, cr):
        give_up = time.monotonic() + SLOT_WAIT
        if self.deadline is not None:
            give_up = min(give_up, self.deadline)
        while True:
            first = random.randrange(self.slots)  # spreads the looks over the slots
            for n in range(self.slots):
                cr.execute(
                    "SELECT pg_try_advisory_xact_lock(%s, %s)",
                    (self.key, (first + n) % self.slots),
                )
                if cr.fetchone()[0]:
                    return
            if time.monotonic() >= give_up:
                raise errors.ThrottledError(
                    "QuickBooks Online is busy with other requests of this company",
                    retry_after=1,
                )
            time.sleep(SLOT_POLL)


def limiter(connection, deadline=None):
    """The slots of ``connection``'s QBO company, for the clients of this database."""
    return RealmSlots(connection.env.cr.dbname, connection.sudo().realm_id, deadline=deadline)
