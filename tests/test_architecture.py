"""The direction of imports (STYLE.md): matching imports nothing of ours; employers and profiles
use matching (and each other's table definitions, which foreign keys cross); evaluation uses
matching, and the tables only in loaders.py; nothing imports service."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = ("matching", "employers", "profiles", "evaluation", "service")
MODELS = ("employers.models", "profiles.models")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name.split(".")[0] in OURS}


def allowed(package: str, path: Path, module: str) -> bool:
    top = module.split(".")[0]
    if top == package:
        return True
    if package == "matching":
        return False
    if top == "service":
        return False
    if package in ("employers", "profiles"):
        return top == "matching" or module in MODELS
    if package == "evaluation":
        return top == "matching" or (path.name == "loaders.py" and module in MODELS)
    return package == "service"


@pytest.mark.parametrize("package", ["matching", "employers", "profiles", "evaluation"])
def test_import_direction(package: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for module in sorted(imported_modules(path))
        if not allowed(package, path, module)
    ]
    assert not wrong, "\n".join(wrong)


def test_checker_catches_a_wrong_arrow(tmp_path: Path) -> None:
    bad = tmp_path / "ranking.py"
    bad.write_text("from service.app import create_app\nimport employers.service\n")
    modules = imported_modules(bad)
    assert modules == {"service.app", "employers.service"}
    assert not any(allowed("matching", bad, m) for m in modules)
