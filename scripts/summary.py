"""Summarise the JUnit files of a test run and fail on skipped tests.

Odoo reports a browser tour it could not start (no Chromium, no
websocket-client) as *skipped*, and the run would still look green. Nothing in
this project is meant to be skipped, so a skip anywhere fails the run.
"""

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def count(path):
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    skips = []
    for case in ET.parse(path).getroot().iter("testcase"):
        name = f"{case.get('classname')}.{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            totals["failed"] += 1
        elif case.find("skipped") is not None:
            totals["skipped"] += 1
            skips.append(f"{name}: {case.find('skipped').get('message', '')}")
        else:
            totals["passed"] += 1
    return totals, skips


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("junit_dir", type=Path)
    parser.add_argument("--require-no-skips", action="store_true")
    parser.add_argument("--note", default="", help="a line printed just before the totals")
    parser.add_argument(
        "--expect",
        action="append",
        default=[],
        help="a part that ran: without its JUnit file (it crashed early) it counts as failed",
    )
    args = parser.parse_args()

    grand = {"passed": 0, "failed": 0, "skipped": 0}
    all_skips = []
    print("\n== Summary ==")
    for path in sorted(args.junit_dir.glob("*.xml")):
        totals, skips = count(path)
        all_skips += skips
        for key in grand:
            grand[key] += totals[key]
        print(
            f"  {path.stem:<18} {totals['passed']:>4} passed, {totals['failed']:>3} failed, "
            f"{totals['skipped']:>3} skipped"
        )
    for part in args.expect:
        if not (args.junit_dir / f"{part}.xml").exists():
            print(f"  {part:<18} no results: it stopped before running its tests")
            grand["failed"] += 1
    for skip in all_skips:
        print(f"  skipped (not allowed): {skip}")
    if grand["passed"] + grand["failed"] == 0:
        print("  no test ran")
        grand["failed"] += 1
    if args.note:
        print(args.note)
    print(f"tests: {grand['passed']} passed, {grand['failed']} failed, {grand['skipped']} skipped")
    ok = grand["failed"] == 0 and not (args.require_no_skips and all_skips)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
