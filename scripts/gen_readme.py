"""Build README.rst from the ``readme/*.md`` fragments, in the OCA manner.

``--check`` exits non-zero when README.rst is not what the fragments give, so
the lint step catches a README edited by hand or a fragment not rendered.
"""

import argparse
import ast
import sys
from pathlib import Path

from m2r2 import convert

REPO = Path(__file__).resolve().parents[1]
FRAGMENTS = [
    ("DESCRIPTION", None),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("SECURITY", "Security"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("PERFORMANCE", "Performance"),
    ("BAD_INPUTS", "Bad inputs and what the user sees"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("CONTRIBUTORS", "Contributors"),
]


def render():
    manifest = ast.literal_eval((REPO / "__manifest__.py").read_text())
    title = manifest["name"]
    out = [
        "=" * len(title),
        title,
        "=" * len(title),
        "",
        "..",
        "   This file is generated from readme/*.md by scripts/gen_readme.py;",
        "   edit the fragments, then run `make readme`.",
        "",
        f"**{manifest['summary']}**",
        "",
        f"| Version: ``{manifest['version']}`` · License: ``{manifest['license']}``",
        "",
    ]
    body = []
    for name, heading in FRAGMENTS:
        path = REPO / "readme" / f"{name}.md"
        if not path.exists():
            continue
        text = convert(path.read_text()).strip("\n")
        if heading:
            body += [heading, "=" * len(heading), ""]
        body += [text, ""]
    if any(heading for name, heading in FRAGMENTS if (REPO / "readme" / f"{name}.md").exists()):
        out += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    return "\n".join(out + body).rstrip() + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = render()
    target = REPO / "README.rst"
    if args.check:
        if not target.exists() or target.read_text() != text:
            print("README.rst is out of date: run `make readme`")
            return 1
        return 0
    target.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
