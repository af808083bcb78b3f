#!/usr/bin/env bash
# Regenerate README.rst from readme/*.md.
set -euo pipefail
source "$(dirname "$0")/env.sh"
ensure_tools_venv
"$TOOLS_VENV/bin/python" "$REPO_DIR/scripts/gen_readme.py" "$@"
