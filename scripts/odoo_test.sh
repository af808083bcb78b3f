#!/usr/bin/env bash
# Developer loop for the Odoo tests: a fresh copy of the base database with the addon
# installed, then pytest-odoo on the given paths (default: the whole tests/ folder).
#   scripts/odoo_test.sh [pytest args...]    e.g. scripts/odoo_test.sh tests/test_push.py -k bill
# QBO_DEV_DB names the database (default qbo_dev), so several loops can run side by side.
set -uo pipefail
source "$(dirname "$0")/env.sh"
DEV_DB="${QBO_DEV_DB:-qbo_dev}"
prepare_odoo
copy_base_db "$DEV_DB"
install_addon "$DEV_DB" "$LOG_DIR/install-$DEV_DB.log"
printf '[pytest]\n' >"$BUILD_DIR/pytest.ini"
args=()
for arg in "$@"; do
    # Paths inside the repository are run through the addon's link, so that Odoo
    # imports them as odoo.addons.quickbooks_online.
    if [ -e "$REPO_DIR/$arg" ]; then args+=("$ADDONS_LINK_DIR/$ADDON_NAME/$arg"); else args+=("$arg"); fi
done
[ ${#args[@]} -eq 0 ] && args=("$ADDONS_LINK_DIR/$ADDON_NAME/tests")
cd "$BUILD_DIR" && odoo_py -m pytest -c "$BUILD_DIR/pytest.ini" -p no:cacheprovider \
    --odoo-config "$ODOO_CONF" --odoo-database "$DEV_DB" --odoo-http --odoo-log-level "${QBO_ODOO_LOG_LEVEL:-warn}" "${args[@]}"
