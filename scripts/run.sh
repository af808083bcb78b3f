#!/usr/bin/env bash
# The main job: set up what is missing, then start the local QBO sandbox and Odoo (with the
# addon and demo data) in the background, and return once Odoo answers.
set -uo pipefail
source "$(dirname "$0")/env.sh"
DEMO_DB="${QBO_DEMO_DB:-qbo_demo}"
ODOO_PORT="${QBO_ODOO_PORT:-8069}"
SANDBOX_PORT="${QBO_SANDBOX_PORT:-8765}"

find_odoo || die "$ODOO_MISSING. See README.rst, section Development."
ensure_postgres
ensure_odoo_python_deps
write_odoo_conf
ensure_base_db
bash "$REPO_DIR/scripts/stop.sh" >/dev/null 2>&1

if db_exists "$DEMO_DB"; then
    say "Updating $ADDON_NAME in $DEMO_DB"
    odoo_bin -d "$DEMO_DB" -u "$ADDON_NAME" --stop-after-init --log-level=warn >"$LOG_DIR/demo-update.log" 2>&1 ||
        die "updating the demo database failed (see $LOG_DIR/demo-update.log)"
else
    say "Creating the demo database $DEMO_DB"
    copy_base_db "$DEMO_DB"
    install_addon "$DEMO_DB" "$LOG_DIR/demo-install.log"
fi

say "Pointing the demo company's QuickBooks connection at the local sandbox"
QBO_SANDBOX_URL="http://127.0.0.1:$SANDBOX_PORT" odoo_py -m odoo shell -c "$ODOO_CONF" -d "$DEMO_DB" \
    --log-level=warn --no-http --shell-interface=python \
    <"$REPO_DIR/scripts/demo_connect.py" >"$LOG_DIR/demo-connect.log" 2>&1 ||
    die "configuring the demo connection failed (see $LOG_DIR/demo-connect.log)"

if [ -f "$REPO_DIR/qbo_sandbox/__main__.py" ]; then
    say "Starting the QBO sandbox on http://127.0.0.1:$SANDBOX_PORT (state in $BUILD_DIR/sandbox.sqlite)"
    # exec: the recorded pid is the sandbox itself; no wrapper keeps our output open.
    # --store: the sandbox keeps its companies, documents and tokens across make stop / make run.
    (cd "$REPO_DIR" && exec "$ODOO_PY" -m qbo_sandbox --host 127.0.0.1 --port "$SANDBOX_PORT" \
        --store "$BUILD_DIR/sandbox.sqlite" \
        --webhook-url "http://127.0.0.1:$ODOO_PORT/quickbooks/webhook") \
        </dev/null >"$LOG_DIR/sandbox.log" 2>&1 &
    echo $! >"$BUILD_DIR/sandbox.pid"
fi

say "Starting Odoo on http://localhost:$ODOO_PORT"
nohup env PYTHONPATH="$ODOO_PYTHONPATH" "$ODOO_PY" -m odoo -c "$ODOO_CONF" -d "$DEMO_DB" \
    --db-filter="^$DEMO_DB\$" --http-port "$ODOO_PORT" </dev/null >"$LOG_DIR/odoo.log" 2>&1 &
echo $! >"$BUILD_DIR/odoo.pid"
for _ in $(seq 1 90); do
    curl -fsS "http://127.0.0.1:$ODOO_PORT/web/health" >/dev/null 2>&1 && break
    kill -0 "$(cat "$BUILD_DIR/odoo.pid")" 2>/dev/null || { tail -30 "$LOG_DIR/odoo.log"; die "Odoo stopped"; }
    sleep 1
done
curl -fsS "http://127.0.0.1:$ODOO_PORT/web/health" >/dev/null || die "Odoo does not answer (see $LOG_DIR/odoo.log)"
cat <<MSG

Odoo is running on http://localhost:$ODOO_PORT (database $DEMO_DB, login admin / admin).
QBO sandbox: http://127.0.0.1:$SANDBOX_PORT   Logs: $LOG_DIR   Stop both: make stop
MSG
