#!/usr/bin/env bash
# The test command: lint, the Odoo-free tests, and — when an Odoo 19 is found — the Odoo
# tests (pytest-odoo on a copy of a cached base database, browser tours included), the
# install/uninstall test and the soak (soak/run.sh, one test case per scenario and sandbox
# profile). Ends with a summary and one "N passed, N failed" line.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_DIR" || exit 1
rm -f "$JUNIT_DIR"/*.xml
status=0
odoo_note=""
parts=(--expect lint --expect odoo-free)

ensure_tools_venv
bash "$REPO_DIR/scripts/lint.sh" || status=1

say "Odoo-free tests (qbo client, QBO sandbox server)"
"$TOOLS_VENV/bin/python" -m pytest -q -p no:cacheprovider --junitxml="$JUNIT_DIR/odoo-free.xml" \
    -o junit_suite_name=odoo-free || status=1

if find_odoo; then
    say "Odoo $ODOO_VERSION found: $ODOO_PY${ODOO_PYTHONPATH:+ (ODOO_PATH=$ODOO_PYTHONPATH)}"
    ensure_postgres
    apt_install chromium
    ensure_odoo_python_deps
    write_odoo_conf
    ensure_base_db
    TEST_DB="qbo_test_$$"
    LIFE_DB="qbo_lifecycle_$$"
    trap 'drop_db "$TEST_DB"; drop_db "$LIFE_DB"' EXIT
    parts+=(--expect odoo --expect install-uninstall)

    say "Installing $ADDON_NAME into $TEST_DB (a copy of $BASE_DB)"
    copy_base_db "$TEST_DB"
    install_addon "$TEST_DB" "$LOG_DIR/install.log"

    # pytest runs from the build folder with an empty ini: the repository root is itself a
    # package (the addon), which pytest would otherwise import as a plain package.
    printf '[pytest]\n' >"$BUILD_DIR/pytest.ini"
    pytest_in_build() { (cd "$BUILD_DIR" && odoo_py -m pytest -c "$BUILD_DIR/pytest.ini" -q -p no:cacheprovider "$@"); }

    say "Odoo tests (pytest-odoo, browser tours in Chromium)"
    pytest_in_build --odoo-config "$ODOO_CONF" --odoo-database "$TEST_DB" --odoo-http \
        --odoo-log-level warn --junitxml="$JUNIT_DIR/odoo.xml" -o junit_suite_name=odoo \
        "$ADDONS_LINK_DIR/$ADDON_NAME/tests" || status=1

    say "Install/uninstall test on a fresh copy"
    mkdir -p "$BUILD_DIR/lifecycle" && cp "$REPO_DIR/scripts/lifecycle_test.py" "$BUILD_DIR/lifecycle/"
    QBO_LIFECYCLE_DB="$LIFE_DB" QBO_BASE_DB="$BASE_DB" QBO_ODOO_CONF="$ODOO_CONF" QBO_BUILD_DIR="$BUILD_DIR" \
        pytest_in_build -p no:odoo --junitxml="$JUNIT_DIR/install-uninstall.xml" -o junit_suite_name=install-uninstall \
        "$BUILD_DIR/lifecycle/lifecycle_test.py" || status=1

    say "Soak: a multi-worker Odoo against the sandbox, sandbox profiles today and hostile"
    parts+=(--expect soak-today --expect soak-hostile)
    SOAK_JUNIT_DIR="$JUNIT_DIR" bash "$REPO_DIR/soak/run.sh" today hostile || status=1
else
    odoo_note="Odoo tests skipped: $ODOO_MISSING. Only lint and the Odoo-free tests ran."
fi

"$TOOLS_VENV/bin/python" "$REPO_DIR/scripts/summary.py" --require-no-skips --note "$odoo_note" \
    "${parts[@]}" "$JUNIT_DIR" || status=1
exit "$status"
