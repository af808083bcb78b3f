"""``python -m qbo_sandbox --port 8765``: serve a sandbox until interrupted."""

import argparse
import sys
import threading

from . import presets
from .server import SandboxServer


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qbo_sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--webhook-url")
    parser.add_argument("--webhook-format", choices=("legacy", "cloudevents"), default="legacy")
    parser.add_argument("--limits", action="store_true", help="enforce QBO's throttles")
    parser.add_argument("--time-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    server = SandboxServer(args.host, args.port)
    if args.limits or args.time_scale != 1.0:
        server.set_limits(enabled=args.limits, time_scale=args.time_scale)
    if args.webhook_url:
        server.set_webhook(args.webhook_url, args.webhook_format)
    server.start()
    print(server.url, flush=True)
    print(
        f"realms: US {presets.US_REALM}, GB {presets.GB_REALM}; client_id {presets.CLIENT_ID}",
        file=sys.stderr,
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
