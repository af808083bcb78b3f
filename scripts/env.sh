# shellcheck shell=bash
# Shared settings and helpers for the project's scripts (sourced, not run).
#
# Odoo is never built here: the scripts use an existing Odoo 19.0.
#   ODOO_PYTHON  interpreter that can `import odoo` (default: /opt/odoo19/venv/bin/python)
#   ODOO_PATH    folder holding the Odoo source (`odoo/`, `addons/`), put on PYTHONPATH
#                (default: /opt/odoo19/src when it exists)
# PostgreSQL comes from Debian and is reached on QBO_DB_HOST:QBO_DB_PORT (127.0.0.1:5432)
# as QBO_DB_USER / QBO_DB_PASSWORD (odoo / odoo); the scripts create that role when they can.

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${QBO_BUILD_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quickbooks_online}"
ADDONS_LINK_DIR="$BUILD_DIR/addons"
LOG_DIR="$BUILD_DIR/logs"
JUNIT_DIR="$BUILD_DIR/junit"
TOOLS_VENV="$BUILD_DIR/venv"
ODOO_CONF="$BUILD_DIR/odoo.conf"
ADDON_NAME="quickbooks_online"
ADDON_DEPENDS="sale_management,purchase,sale_stock,purchase_stock,stock_account"
# Modules the tests need that the addon does not depend on: `delivery` gives sales orders
# their carrier lines (the addon reads them only where the module is installed).
TEST_MODULES="delivery"
BASE_MODULES="$ADDON_DEPENDS,$TEST_MODULES"
DB_HOST="${QBO_DB_HOST:-127.0.0.1}"
DB_PORT="${QBO_DB_PORT:-5432}"
DB_USER="${QBO_DB_USER:-odoo}"
DB_PASSWORD="${QBO_DB_PASSWORD:-odoo}"
DEFAULT_ODOO_HOME="/opt/odoo19"
export PGHOST="$DB_HOST" PGPORT="$DB_PORT" PGUSER="$DB_USER" PGPASSWORD="$DB_PASSWORD"

mkdir -p "$BUILD_DIR" "$LOG_DIR" "$JUNIT_DIR"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

apt_install() {
    # apt_install PACKAGE... : install Debian packages that are missing.
    local missing=()
    for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >"$LOG_DIR/apt.log" 2>&1 ||
        die "could not install ${missing[*]} (see $LOG_DIR/apt.log)"
}

odoo_source_dir() {
    # The Odoo source folder: ODOO_PATH, else the conventional one when it holds Odoo.
    if [ -n "${ODOO_PATH:-}" ]; then echo "$ODOO_PATH"; return 0; fi
    [ -d "$DEFAULT_ODOO_HOME/src/odoo" ] && echo "$DEFAULT_ODOO_HOME/src"
}

source_odoo_version() {
    # source_odoo_version DIR : "19.0" for an Odoo 19.0 source tree, read without importing it.
    sed -n 's/^version_info = (\([0-9]*\), \([0-9]*\),.*/\1.\2/p' "$1/odoo/release.py" 2>/dev/null
}

ensure_odoo_venv() {
    # ensure_odoo_venv SRC : the project's own venv for Odoo, made from SRC/requirements.txt
    # when no interpreter can import Odoo yet (a fresh machine holding only the source).
    local src="$1" venv="$BUILD_DIR/odoo-venv" stamp want
    stamp="$venv/.requirements.sha1"
    want="$(sha1sum <"$src/requirements.txt" | cut -c1-40)"
    [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
    say "Preparing a virtualenv for Odoo in $venv (once; a few minutes)"
    # Build headers for the requirements that compile (psycopg2, python-ldap).
    apt_install python3-venv libpq-dev libldap2-dev libsasl2-dev
    rm -rf "$venv"
    python3 -m venv "$venv" || die "could not create $venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$src/requirements.txt" \
        >"$LOG_DIR/pip-odoo-requirements.log" 2>&1 ||
        { tail -20 "$LOG_DIR/pip-odoo-requirements.log"; die "installing Odoo's requirements failed (see $LOG_DIR/pip-odoo-requirements.log)"; }
    echo "$want" >"$stamp"
}

find_odoo() {
    # Sets ODOO_PY, ODOO_PYTHONPATH and ODOO_VERSION, or ODOO_MISSING (a reason) and returns 1.
    # Given only an Odoo 19 source tree, makes the venv it needs (ensure_odoo_venv).
    local candidates=() py path
    ODOO_MISSING=""
    path="$(odoo_source_dir)"
    if [ -n "${ODOO_PYTHON:-}" ]; then
        candidates=("$ODOO_PYTHON")
    else
        candidates=("$DEFAULT_ODOO_HOME/venv/bin/python" "$BUILD_DIR/odoo-venv/bin/python" python3)
        if [ -n "$path" ] && [ "$(source_odoo_version "$path")" = "19.0" ] &&
            ! PYTHONPATH="$path" "$DEFAULT_ODOO_HOME/venv/bin/python" -c 'import odoo' >/dev/null 2>&1; then
            ensure_odoo_venv "$path"
        fi
    fi
    for py in "${candidates[@]}"; do
        command -v "$py" >/dev/null 2>&1 || continue
        ODOO_VERSION="$(PYTHONPATH="$path${PYTHONPATH:+:$PYTHONPATH}" "$py" -c \
            'import odoo.release as r; print("%d.%d" % r.version_info[:2])' 2>/dev/null)" || continue
        if [ "$ODOO_VERSION" != "19.0" ]; then
            ODOO_MISSING="$py imports Odoo $ODOO_VERSION, not 19.0"
            continue
        fi
        ODOO_PY="$(command -v "$py")"
        ODOO_PYTHONPATH="$path"
        return 0
    done
    if [ -z "$ODOO_MISSING" ] && [ -n "${ODOO_PYTHON:-}" ]; then
        ODOO_MISSING="ODOO_PYTHON=$ODOO_PYTHON cannot import odoo"
    fi
    [ -n "$ODOO_MISSING" ] ||
        ODOO_MISSING="no Odoo 19 source tree and no interpreter that imports odoo (set ODOO_PATH to the Odoo 19 source, or ODOO_PYTHON)"
    return 1
}

odoo_py() { PYTHONPATH="$ODOO_PYTHONPATH${PYTHONPATH:+:$PYTHONPATH}" "$ODOO_PY" "$@"; }
odoo_bin() { odoo_py -m odoo -c "$ODOO_CONF" "$@"; }

ensure_tools_venv() {
    # The project's own venv: lint tools and the Odoo-free test dependencies.
    local stamp="$TOOLS_VENV/.requirements.sha1" want
    want="$(cat "$REPO_DIR/requirements.txt" "$REPO_DIR/requirements-dev.txt" | sha1sum | cut -c1-40)"
    if [ ! -x "$TOOLS_VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "Preparing the project's Python tools in $TOOLS_VENV"
        python3 -m venv "$TOOLS_VENV" || { apt_install python3-venv && python3 -m venv "$TOOLS_VENV"; } ||
            die "could not create $TOOLS_VENV"
        "$TOOLS_VENV/bin/pip" install -q --disable-pip-version-check \
            -r "$REPO_DIR/requirements.txt" -r "$REPO_DIR/requirements-dev.txt" >"$LOG_DIR/pip-tools.log" 2>&1 ||
            die "pip install failed (see $LOG_DIR/pip-tools.log)"
        echo "$want" >"$stamp"
    fi
}

ensure_odoo_python_deps() {
    # The addon's runtime dependencies and the Odoo test dependencies, in Odoo's interpreter.
    if ! odoo_py -c 'import requests_oauthlib, websocket, pytest_odoo' >/dev/null 2>&1; then
        say "Installing the addon's and the test harness's packages into $ODOO_PY"
        odoo_py -m pip install -q --disable-pip-version-check -r "$REPO_DIR/requirements.txt" \
            -r "$REPO_DIR/requirements-odoo-test.txt" >"$LOG_DIR/pip-odoo.log" 2>&1 ||
            die "pip install into Odoo's interpreter failed (see $LOG_DIR/pip-odoo.log)"
    fi
}

ensure_postgres() {
    if ! command -v pg_isready >/dev/null 2>&1; then apt_install postgresql; fi
    if ! pg_isready -q -h "$DB_HOST" -p "$DB_PORT"; then
        say "Starting PostgreSQL"
        dpkg -s postgresql >/dev/null 2>&1 || apt_install postgresql
        local cluster
        cluster="$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1" "$2}')"
        if [ -n "$cluster" ]; then
            # shellcheck disable=SC2086
            as_root pg_ctlcluster $cluster start >/dev/null 2>&1 || as_root service postgresql start >/dev/null
        else
            as_root service postgresql start >/dev/null
        fi
        for _ in $(seq 1 30); do pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && break; sleep 1; done
        pg_isready -q -h "$DB_HOST" -p "$DB_PORT" || die "PostgreSQL does not answer on $DB_HOST:$DB_PORT"
    fi
    if ! psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
        say "Creating the PostgreSQL role $DB_USER"
        # Without the scripts' PG* settings: psql must log in as postgres over the socket.
        as_root env -u PGHOST -u PGPORT -u PGUSER -u PGPASSWORD \
            su postgres -c "psql -q -c \"CREATE ROLE \\\"$DB_USER\\\" LOGIN SUPERUSER PASSWORD '$DB_PASSWORD'\"" ||
            die "cannot log in to PostgreSQL as $DB_USER and cannot create that role"
    fi
}

write_odoo_conf() {
    local odoo_root addons
    odoo_root="$(odoo_py -c 'import os, odoo.release as r; print(os.path.dirname(os.path.dirname(r.__file__)))')"
    addons="$odoo_root/odoo/addons"
    [ -d "$odoo_root/addons" ] && addons="$addons,$odoo_root/addons"
    mkdir -p "$ADDONS_LINK_DIR"
    ln -sfn "$REPO_DIR" "$ADDONS_LINK_DIR/$ADDON_NAME"
    cat >"$ODOO_CONF" <<CONF
[options]
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
addons_path = $addons,$ADDONS_LINK_DIR
http_interface = 127.0.0.1
http_port = ${QBO_HTTP_PORT:-8069}
gevent_port = ${QBO_GEVENT_PORT:-8072}
data_dir = $BUILD_DIR/data
; development and tests only: lets a QuickBooks connection use a custom URL (the local
; QBO sandbox). Odoo logs it once as an unknown option; production servers leave it out.
qbo_allow_custom_url = True
CONF
}

prepare_odoo() {
    # Everything a script needs before it copies the base database: Odoo 19 found, PostgreSQL
    # up, the Python packages installed, odoo.conf written, the base database built.
    find_odoo || die "$ODOO_MISSING"
    ensure_postgres
    ensure_odoo_python_deps
    write_odoo_conf
    ensure_base_db
}

db_exists() { [ "$(psql -d postgres -Atc "select 1 from pg_database where datname = '$1'")" = 1 ]; }

ensure_base_db() {
    # The base database (Odoo + the addon's dependencies + the test modules, with demo data) is
    # built once per Odoo version and module list; every run copies it instead of reinstalling.
    local key
    key="$(printf '%s|%s|%s' "$(odoo_py -c 'import odoo.release as r; print(r.version)')" \
        "$BASE_MODULES" "$ODOO_PY" | sha1sum | cut -c1-10)"
    BASE_DB="qbo_base_$key"
    if ! db_exists "$BASE_DB"; then
        say "Building the base database $BASE_DB (once; a few minutes)"
        dropdb --if-exists "${BASE_DB}_tmp" 2>/dev/null
        odoo_bin -d "${BASE_DB}_tmp" -i "$BASE_MODULES" --with-demo --stop-after-init \
            --log-level=warn >"$LOG_DIR/base-db.log" 2>&1 ||
            die "building the base database failed (see $LOG_DIR/base-db.log)"
        psql -d postgres -qc "ALTER DATABASE \"${BASE_DB}_tmp\" RENAME TO \"$BASE_DB\"" ||
            die "could not rename the base database"
        if [ -d "$BUILD_DIR/data/filestore/${BASE_DB}_tmp" ]; then
            mv "$BUILD_DIR/data/filestore/${BASE_DB}_tmp" "$BUILD_DIR/data/filestore/$BASE_DB"
        fi
    fi
}

copy_base_db() {
    # copy_base_db NAME : a fresh copy of the base database, filestore included.
    dropdb --if-exists "$1" 2>/dev/null
    createdb -T "$BASE_DB" "$1" || die "could not copy $BASE_DB to $1"
    rm -rf "$BUILD_DIR/data/filestore/$1"
    if [ -d "$BUILD_DIR/data/filestore/$BASE_DB" ]; then
        mkdir -p "$BUILD_DIR/data/filestore"
        cp -r "$BUILD_DIR/data/filestore/$BASE_DB" "$BUILD_DIR/data/filestore/$1"
    fi
}

drop_db() {
    dropdb --if-exists "$1" 2>/dev/null
    rm -rf "$BUILD_DIR/data/filestore/$1"
}

install_addon() {
    # install_addon DB LOG : install the addon and fail on any error or warning it causes.
    odoo_bin -d "$1" -i "$ADDON_NAME" --stop-after-init --log-level=info >"$2" 2>&1 ||
        { tail -40 "$2"; die "installing $ADDON_NAME failed (see $2)"; }
    [ "$(psql -d "$1" -Atc "select state from ir_module_module where name = '$ADDON_NAME'")" = installed ] ||
        { tail -40 "$2"; die "$ADDON_NAME is not installed after -i (see $2)"; }
    if grep -E " (WARNING|ERROR|CRITICAL) " "$2" | grep -v "Running as user\|unknown option 'qbo_allow_custom_url'" | grep -q "$ADDON_NAME"; then
        grep -E " (WARNING|ERROR|CRITICAL) " "$2" | grep "$ADDON_NAME" | head -20
        die "installing $ADDON_NAME logged warnings or errors (see $2)"
    fi
}
