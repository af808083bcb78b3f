#!/usr/bin/env bash
# make bench: each bench script on its own copy of a database holding the addon, against
# a local QBO sandbox with QBO's limits on (time-scaled). Prints every script's figures;
# the SUMMARY lines are repeated at the end.
#   bench/run.sh [script names...]   e.g. bench/run.sh bench_requests
set -uo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$REPO_DIR" || exit 1
prepare_odoo
TEMPLATE_DB="qbo_bench_tpl_$$"
RUN_DB="qbo_bench_$$"
trap 'drop_db "$RUN_DB"; drop_db "$TEMPLATE_DB"' EXIT
say "Installing $ADDON_NAME into $TEMPLATE_DB (a copy of $BASE_DB)"
copy_base_db "$TEMPLATE_DB"
install_addon "$TEMPLATE_DB" "$LOG_DIR/install-bench.log"
scripts=("$@")
[ ${#scripts[@]} -eq 0 ] && scripts=(bench_requests bench_bulk bench_sync)
status=0
summaries=()
for name in "${scripts[@]}"; do
    say "bench/$name.py"
    BASE_DB="$TEMPLATE_DB" copy_base_db "$RUN_DB"
    out="$LOG_DIR/bench-$name.log"
    odoo_py "bench/$name.py" --db "$RUN_DB" --conf "$ODOO_CONF" 2>&1 | tee "$out"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    summaries+=("$(grep '^SUMMARY' "$out" | tail -1)")
    drop_db "$RUN_DB"
done
say "Summaries"
printf '%s\n' "${summaries[@]}"
exit $status
