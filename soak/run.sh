#!/usr/bin/env bash
# make soak: real processes. For each sandbox profile ("today", "hostile"): a fresh copy of a
# database holding the addon, a QBO sandbox process, the company connected to it, then a
# multi-worker Odoo (and, for the last scenario, a second Odoo server on the same database)
# driven over HTTP by several clients at once. Prints one table per profile; exits non-zero
# on any duplicate, lost or stuck order, or an error a user got or a server logged.
# See readme/DEVELOP.md, "Soak".
#   soak/run.sh [profile...]     e.g. soak/run.sh hostile
# With SOAK_JUNIT_DIR set (scripts/test.sh does), each profile's result is also written
# there as soak-<profile>.xml, one test case per scenario.
set -uo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$REPO_DIR" || exit 1
prepare_odoo
TEMPLATE_DB="qbo_soak_tpl_$$"
RUN_DB="qbo_soak_$$"
SOAK_DIR="$BUILD_DIR/soak"
mkdir -p "$SOAK_DIR"
# Odoo and the sandbox are stopped by soak/driver.py itself (also on failure); the
# databases go whatever happens.
trap 'drop_db "$RUN_DB"; drop_db "$TEMPLATE_DB"' EXIT
say "Installing $ADDON_NAME into $TEMPLATE_DB (a copy of $BASE_DB)"
copy_base_db "$TEMPLATE_DB"
install_addon "$TEMPLATE_DB" "$LOG_DIR/install-soak.log"
profiles=("$@")
[ ${#profiles[@]} -eq 0 ] && profiles=(today hostile)
status=0
for profile in "${profiles[@]}"; do
    say "Soak, sandbox profile $profile (logs: $SOAK_DIR/$profile)"
    BASE_DB="$TEMPLATE_DB" copy_base_db "$RUN_DB"
    odoo_py soak/driver.py --profile "$profile" --db "$RUN_DB" --conf "$ODOO_CONF" \
        --python "$ODOO_PY" --pythonpath "$ODOO_PYTHONPATH" \
        --logs "$SOAK_DIR/$profile" ${SOAK_JUNIT_DIR:+--junit "$SOAK_JUNIT_DIR/soak-$profile.xml"} ||
        status=1
    drop_db "$RUN_DB"
done
exit $status
