"""``python -m qbo_sandbox --port 8765``: serve a sandbox until interrupted."""

import argparse
import sys
import threading

from . import presets
from .profile import COMMIT_FAILURES, PROFILES, THROTTLE_STYLES, TOKEN_FAULTS
from .server import SandboxServer


def profile_arguments(parser) -> None:
    group = parser.add_argument_group("profile (see qbo_sandbox/README.md)")
    group.add_argument("--profile", choices=sorted(PROFILES), default="strict")
    group.add_argument("--ignore-requestid", action="store_true", default=None)
    group.add_argument("--requestid-ttl", type=float, metavar="SECONDS")
    group.add_argument("--replay-failures", action="store_true", default=None)
    group.add_argument(
        "--custom-txn-numbers", choices=("on", "off"), help="CustomTxnNumbers of every company"
    )
    group.add_argument(
        "--no-duplicate-warning", dest="duplicate_warning", action="store_false", default=None
    )
    group.add_argument("--latency", type=float, metavar="SECONDS")
    group.add_argument("--shuffle-batch", action="store_true", default=None)
    group.add_argument("--commit-then-fail", choices=COMMIT_FAILURES)
    group.add_argument("--commit-then-fail-every", type=int, metavar="N")
    group.add_argument("--token-fault", choices=TOKEN_FAULTS)
    group.add_argument("--token-fault-every", type=int, metavar="N")
    group.add_argument("--throttle-style", choices=THROTTLE_STYLES)
    group.add_argument("--seed", type=int)


def profile_overrides(args) -> dict:
    """The profile fields given on the command line (the others come from ``--profile``)."""
    names = (
        "ignore_requestid",
        "requestid_ttl",
        "replay_failures",
        "duplicate_warning",
        "latency",
        "shuffle_batch",
        "commit_then_fail",
        "commit_then_fail_every",
        "token_fault",
        "token_fault_every",
        "throttle_style",
        "seed",
    )
    overrides = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    if args.custom_txn_numbers:
        overrides["custom_txn_numbers"] = args.custom_txn_numbers == "on"
    return overrides


def make_server(argv=None) -> SandboxServer:
    """The (not yet started) sandbox the command line asks for."""
    parser = argparse.ArgumentParser(prog="python -m qbo_sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--webhook-url")
    parser.add_argument("--webhook-format", choices=("legacy", "cloudevents"), default="legacy")
    parser.add_argument("--limits", action="store_true", help="enforce QBO's throttles")
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument(
        "--store",
        metavar="PATH",
        help="keep the state in this SQLite file across restarts (default: in memory)",
    )
    profile_arguments(parser)
    args = parser.parse_args(argv)
    try:
        server = SandboxServer(args.host, args.port, args.profile, **profile_overrides(args))
    except ValueError as exc:
        parser.error(str(exc))
    if args.store:
        server.persist(args.store)
    if args.limits or args.time_scale != 1.0:
        server.set_limits(enabled=args.limits, time_scale=args.time_scale)
    if args.webhook_url:
        server.set_webhook(args.webhook_url, args.webhook_format)
    return server


def main(argv=None) -> int:
    server = make_server(argv)
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
