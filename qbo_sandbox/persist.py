"""The sandbox's state in a SQLite file, so a demo survives a restart.

The whole state (every company's objects, deleted Ids, Id sequences and remembered
requestids; OAuth apps, codes and tokens; the clock's offset) is pickled into one row
after each write request and loaded when the sandbox starts. A snapshot of a demo
company is a few hundred kilobytes, so rewriting it whole keeps the design simple: the
file always holds one consistent state, never half of a request.

Only the sandbox reads the file it wrote (pickle trusts its input): keep it in the
build folder. Tests do not pass a path and keep the in-memory state.
"""

import pickle
import sqlite3
import threading

#: bump when the pickled shape changes: an older file is then ignored, not misread
VERSION = 1


class StateFile:
    """One SQLite file holding one snapshot of a :class:`qbo_sandbox.core.Sandbox`."""

    def __init__(self, path: str):
        self.path = str(path)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS state (version INTEGER, data BLOB)")

    def _connect(self):
        """A connection closed on exit, committing its transaction."""
        return _Db(self.path)

    def load(self, sandbox) -> bool:
        """Put the saved state into ``sandbox``; False when there is none (a new file)."""
        with self._connect() as db:
            row = db.execute("SELECT data FROM state WHERE version = ?", (VERSION,)).fetchone()
        if row is None:
            return False
        state = pickle.loads(row[0])
        for realm_id, data in state["companies"].items():
            _restore(sandbox.store(realm_id), data)
        _restore(sandbox.oauth, state["oauth"])
        sandbox.clock.advance(state["clock_offset"] - sandbox.clock.offset)
        return True

    def save(self, sandbox) -> None:
        """Replace the snapshot with the current state of ``sandbox``.

        One save at a time, snapshot included: a write answered later never leaves an
        older state in the file.
        """
        with self._lock:
            state = {
                "companies": {
                    realm_id: _snapshot(company) for realm_id, company in sandbox.companies.items()
                },
                "oauth": _snapshot(sandbox.oauth),
                "clock_offset": sandbox.clock.offset,
            }
            with self._connect() as db:
                db.execute("DELETE FROM state")
                db.execute(
                    "INSERT INTO state (version, data) VALUES (?, ?)",
                    (VERSION, pickle.dumps(state)),
                )


def _snapshot(part) -> bytes:
    """The ``SAVED`` attributes of ``part`` (a company, the OAuth service), pickled
    while its lock keeps them whole."""
    with part.lock:
        return pickle.dumps({key: getattr(part, key) for key in part.SAVED})


def _restore(part, data: bytes) -> None:
    values = pickle.loads(data)
    with part.lock:
        for key in part.SAVED:
            setattr(part, key, values[key])


class _Db:
    """``with _Db(path) as db``: one transaction, and the connection closed after it."""

    def __init__(self, path):
        self.connection = sqlite3.connect(path, timeout=10)

    def __enter__(self) -> sqlite3.Connection:
        return self.connection.__enter__()

    def __exit__(self, *exc):
        try:
            return self.connection.__exit__(*exc)
        finally:
            self.connection.close()
