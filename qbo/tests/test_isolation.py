"""``qbo`` must stay framework-free: it never imports odoo nor the sandbox."""

import ast
from pathlib import Path

from qbo_sandbox.tests.helpers import loaded_in_fresh_interpreter

PACKAGE = Path(__file__).resolve().parents[1]
FORBIDDEN = ("odoo", "qbo_sandbox")


def _imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module or ""
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module":
            yield from (arg.value for arg in node.args if isinstance(arg, ast.Constant))


def test_sources_never_import_odoo_or_sandbox():
    sources = [p for p in PACKAGE.rglob("*.py") if "tests" not in p.relative_to(PACKAGE).parts]
    assert len(sources) >= 10, sources
    offenders = [
        (str(path.relative_to(PACKAGE)), name)
        for path in sources
        for name in _imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert offenders == []


def test_package_sources_use_relative_imports_only():
    sources = [p for p in PACKAGE.rglob("*.py") if "tests" not in p.relative_to(PACKAGE).parts]
    absolute = [
        (str(path.relative_to(PACKAGE)), name)
        for path in sources
        for name in _imported_modules(path)
        if name.split(".")[0] == "qbo"
    ]
    assert absolute == []


def test_import_in_fresh_interpreter_loads_neither():
    code = "import qbo, qbo.client, qbo.oauth, qbo.webhooks"
    assert loaded_in_fresh_interpreter(code, FORBIDDEN, PACKAGE.parent) == []
