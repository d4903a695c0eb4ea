"""The project's own promises: both README commands exist, CI calls the test one."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme


def test_ci_calls_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_rules_package_never_imports_django() -> None:
    offenders = []
    for path in (ROOT / "mileage" / "rules").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import django", "from django")):
                offenders.append(f"{path}: {stripped}")
    assert offenders == []
