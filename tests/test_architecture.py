"""Imports point one way (docs/architecture.md): the import-linter contracts hold, and no project module is imported
by a string, which import-linter cannot see."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "screens", "parties", "kiosk", "printers", "drivers")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_the_import_contracts_hold():
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _string_imports(path: Path, root: Path = REPO) -> list[str]:
    """Each ``import_module(...)``/``__import__(...)`` call of a project module, or of a name only known at run
    time (which could be one), as "path:line: what"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in ("import_module", "__import__"):
            continue
        where = f"{path.relative_to(root)}:{node.lineno}"
        argument = node.args[0] if node.args else None
        if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
            found.append(f"{where}: {name}() of a computed name")
        elif argument.value.lstrip(".").split(".")[0] in PACKAGES or argument.value.startswith("."):
            found.append(f"{where}: {name}({argument.value!r})")
    return found


def test_no_project_module_is_imported_by_a_string():
    found = [hit for package in PACKAGES for path in sorted((REPO / package).rglob("*.py")) for hit in
             _string_imports(path)]
    assert found == [], "use a plain import (inside a function, to load it lazily): " + "; ".join(found)


def test_the_string_import_check_finds_them(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import importlib\n"
        "importlib.import_module('screens.app')\n"
        "__import__('kiosk.cli')\n"
        "importlib.import_module(name)\n"
        "importlib.import_module('PySide6.QtCore')\n",
        encoding="utf-8",
    )
    assert _string_imports(sample, tmp_path) == [
        "sample.py:2: import_module('screens.app')",
        "sample.py:3: __import__('kiosk.cli')",
        "sample.py:4: import_module() of a computed name",
    ]
