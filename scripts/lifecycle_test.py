"""Install/uninstall test: the addon installs on a fresh database and uninstalls cleanly.

Run by ``scripts/test.sh`` with Odoo's interpreter. It drives ``python -m odoo``
in subprocesses on a copy of the base database, as an administrator would.
"""

import os
import subprocess
import sys

import psycopg2
import pytest

ADDON = "quickbooks_online"
DB = os.environ["QBO_LIFECYCLE_DB"]
BASE_DB = os.environ["QBO_BASE_DB"]
CONF = os.environ["QBO_ODOO_CONF"]
LOG_DIR = os.path.join(os.environ["QBO_BUILD_DIR"], "logs")


def odoo(*args, command=(), stdin=None, log="lifecycle"):
    cmd = [sys.executable, "-m", "odoo", *command, "-c", CONF, "-d", DB, "--log-level=warn", *args]
    with open(os.path.join(LOG_DIR, f"{log}.log"), "w") as out:
        done = subprocess.run(cmd, input=stdin, text=True, stdout=out, stderr=subprocess.STDOUT)
    assert done.returncode == 0, f"{' '.join(args)} failed, see {out.name}"


def scalar(sql, *params):
    with psycopg2.connect(dbname=DB) as conn, conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchone()[0]


@pytest.fixture(scope="module")
def fresh_db():
    subprocess.run(["dropdb", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-T", BASE_DB, DB], check=True)
    yield DB
    subprocess.run(["dropdb", "--if-exists", DB], check=True)


def module_state():
    return scalar("SELECT state FROM ir_module_module WHERE name = %s", ADDON)


def column_exists(table, column):
    return scalar(
        "SELECT count(*) FROM information_schema.columns"
        " WHERE table_name = %s AND column_name = %s",
        table,
        column,
    )


def test_install_then_uninstall_leaves_nothing_behind(fresh_db):
    assert module_state() == "uninstalled"

    odoo("-i", ADDON, "--stop-after-init", log="lifecycle-install")
    assert module_state() == "installed"
    assert scalar("SELECT count(*) FROM ir_model WHERE model = 'qbo.connection'") == 1
    assert column_exists("sale_order", "qbo_status")
    assert column_exists("purchase_order", "qbo_status")
    assert scalar("SELECT count(*) FROM ir_model_data WHERE module = %s", ADDON) > 0

    odoo(
        "--no-http",
        command=("shell",),
        stdin=(
            f"env['ir.module.module'].search([('name', '=', '{ADDON}')])"
            ".button_immediate_uninstall()\nenv.cr.commit()\n"
        ),
        log="lifecycle-uninstall",
    )
    assert module_state() == "uninstalled"
    assert scalar("SELECT count(*) FROM ir_model WHERE model LIKE 'qbo.%%'") == 0
    assert scalar("SELECT count(*) FROM ir_model_data WHERE module = %s", ADDON) == 0
    assert scalar("SELECT to_regclass('qbo_connection') IS NULL")
    assert not column_exists("sale_order", "qbo_status")
    assert not column_exists("purchase_order", "qbo_status")
    assert scalar("SELECT count(*) FROM ir_ui_view WHERE arch_db::text LIKE '%%qbo_%%'") == 0
