#!/usr/bin/env bash
# Code-quality gates (the same tools as .pre-commit-config.yaml): ruff, pylint-odoo, prettier.
# Prints one "lint: N passed, N failed" line last; exits non-zero when a check fails.
set -uo pipefail
source "$(dirname "$0")/env.sh"
ensure_tools_venv
mkdir -p "$ADDONS_LINK_DIR" && ln -sfn "$REPO_DIR" "$ADDONS_LINK_DIR/$ADDON_NAME"

passed=0 failed=0 cases=""
check() {
    # check NAME COMMAND... : run one gate; its result also goes to the run's JUnit summary.
    local name="$1"; shift
    if "$@" >"$LOG_DIR/lint-$name.log" 2>&1; then
        passed=$((passed + 1)); echo "  ok    $name"
        cases+="<testcase classname=\"lint\" name=\"$name\"/>"
    else
        failed=$((failed + 1)); echo "  FAIL  $name"; sed 's/^/        /' "$LOG_DIR/lint-$name.log" | tail -40
        cases+="<testcase classname=\"lint\" name=\"$name\"><failure message=\"see $LOG_DIR/lint-$name.log\"/></testcase>"
    fi
}

ensure_prettier() {
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm
    local stamp="$BUILD_DIR/node/.package.sha1" want
    want="$(sha1sum "$REPO_DIR/package.json" | cut -c1-40)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        mkdir -p "$BUILD_DIR/node" && cp "$REPO_DIR/package.json" "$BUILD_DIR/node/"
        (cd "$BUILD_DIR/node" && npm install --silent --no-audit --no-fund >"$LOG_DIR/npm.log" 2>&1) ||
            die "npm install failed (see $LOG_DIR/npm.log)"
        echo "$want" >"$stamp"
    fi
    # Prettier resolves the plugins named in the config next to the config file.
    cp "$REPO_DIR/.prettierrc.yml" "$BUILD_DIR/node/.prettierrc.yml"
}

cd "$REPO_DIR" || exit 1
say "Lint"
check ruff "$TOOLS_VENV/bin/ruff" check .
check ruff-format "$TOOLS_VENV/bin/ruff" format --check .
check pylint-odoo "$TOOLS_VENV/bin/pylint" --rcfile="$REPO_DIR/.pylintrc" "$ADDONS_LINK_DIR/$ADDON_NAME"
check readme "$TOOLS_VENV/bin/python" "$REPO_DIR/scripts/gen_readme.py" --check
ensure_prettier
mapfile -t pretty_files < <(git ls-files --cached --others --exclude-standard -- '*.xml' 'static/**/*.js' |
    sed "s|^|$REPO_DIR/|")
# Run from the node folder: Prettier resolves its plugins from the working directory.
check prettier bash -c 'cd "$0" && node_modules/.bin/prettier --config .prettierrc.yml --check "${@}"' \
    "$BUILD_DIR/node" "${pretty_files[@]}"
echo "<testsuite name=\"lint\">$cases</testsuite>" >"$JUNIT_DIR/lint.xml"
echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
