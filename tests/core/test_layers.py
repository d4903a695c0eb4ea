"""The layer contracts (pyproject [tool.importlinter]) fail on a forbidden import.

`lint-imports` runs on a copy of the package in a temporary folder (the real tree is never
touched): the copy as it is keeps every contract, and one added import breaks the named one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("layers")
    shutil.copytree(
        ROOT / "mileage",
        target / "mileage",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static", "templates", "locale"),
    )
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def _lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _with_module(copy: Path, module: str, source: str) -> Path:
    path = copy / Path(*module.split(".")).with_suffix(".py")
    path.write_text(source, encoding="utf-8")
    return path


def test_the_package_as_it_is_keeps_every_contract(package_copy: Path) -> None:
    result = _lint_imports(package_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "broken"),
    [
        ("mileage.rules._probe", "import django\n", "rules is pure Python: no Django, no app"),
        (
            "mileage.readings._probe",
            "import mileage.web.views\n",
            "no app imports web (pages and API wiring sit on top)",
        ),
        ("mileage.ledger._probe", "import mileage.readings\n", "ledger imports no programme app"),
        (
            "mileage.vehicles._probe",
            "from mileage.readings import queries\n",
            "no import cycles between the packages of mileage",
        ),
    ],
)
def test_a_forbidden_import_makes_lint_imports_fail(
    package_copy: Path, module: str, source: str, broken: str
) -> None:
    probe = _with_module(package_copy, module, source)
    try:
        result = _lint_imports(package_copy)
    finally:
        probe.unlink()
    assert result.returncode != 0
    assert f"{broken} BROKEN" in result.stdout, result.stdout
