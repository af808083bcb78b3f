"""SandboxServer: the sandbox served over HTTP on 127.0.0.1 from background threads."""

import sys
import threading
from http.server import ThreadingHTTPServer

from .core import Sandbox
from .handler import Handler


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, sandbox):
        self.sandbox = sandbox
        super().__init__(address, Handler)

    def handle_error(self, request, client_address):
        """A client that hung up (a timeout it chose, a reset it asked for) is not an error."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class SandboxServer(Sandbox):
    """A local QBO: OAuth, Accounting API v3, web pages and ``/_sandbox`` controls.

    ``SandboxServer(port=0).start()`` picks a free port; ``url`` tells which. Usable as a
    context manager (``with SandboxServer() as srv: ...``). ``profile`` ("strict",
    "hostile") and keyword overrides pick the behaviours of :mod:`qbo_sandbox.profile`.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, profile=None, **overrides):
        super().__init__(profile, **overrides)
        self.host = host
        self.port = port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "SandboxServer":
        if self._httpd is not None:
            return self
        self.stopping.clear()
        self._httpd = _HTTPServer((self.host, self.port), self)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="qbo-sandbox-http", daemon=True
        )
        self._thread.start()
        self.webhooks.start()
        return self

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        if self._httpd is None:
            return
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self.webhooks.stop()
        self._httpd = None
        self.save_state()

    def __enter__(self) -> "SandboxServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
