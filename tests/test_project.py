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


def test_readme_stays_a_short_guide() -> None:
    """Figures and design live in docs/; the README is a newcomer's and an operator's guide."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 300


def test_readme_names_every_demo_partner_login() -> None:
    from demo.partners import DEMO_PARTNERS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [slug for slug, _name, _kind in DEMO_PARTNERS if f"`{slug}`" not in readme]
    assert missing == []
    assert "partner-<slug>" in readme and "demo-pass-2024" in readme


def test_the_product_package_never_imports_the_demo() -> None:
    """Demo code lives in demo/ (issue #10): mileage/ works without it."""
    offenders = []
    for path in (ROOT / "mileage").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import demo", "from demo")):
                offenders.append(f"{path}: {stripped}")
    assert offenders == []
    assert not list((ROOT / "mileage").rglob("demo.py"))
