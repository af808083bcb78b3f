#!/usr/bin/env bash
# Stop what `make run` started.
set -uo pipefail
source "$(dirname "$0")/env.sh"
for name in odoo sandbox; do
    pidfile="$BUILD_DIR/$name.pid"
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null
        echo "stopped $name ($pid)"
    fi
    rm -f "$pidfile"
done
