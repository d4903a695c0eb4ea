"""The authorization matrix: every role against every page and API operation, as ONE test.

Rows come from every `tests/**/matrix_*.py` module's `CASES`; a second test fails when a URL
pattern or an API operation exists that no row covers, so each new endpoint must be added.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from mileage.site.api import api
from tests.platform.matrix import ROLES, Row, World, perform

TESTS = Path(__file__).resolve().parent.parent


def matrix_modules() -> list[Path]:
    return sorted(TESTS.rglob("matrix_*.py"))


def collect_rows() -> list[tuple[str, Row]]:
    rows = []
    for path in matrix_modules():
        name = "matrix__" + "_".join(path.relative_to(TESTS).with_suffix("").parts)
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for row in module.CASES:
            rows.append((str(path.relative_to(TESTS)), row))
    return rows


ROWS = collect_rows()
PARAMS = [
    pytest.param(row, role, id=f"{row.method} {row.path} as {role} [{source}]")
    for source, row in ROWS
    for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), PARAMS)
def test_authorization_matrix(row: Row, role: str) -> None:
    response = perform(row, role, World())
    expected = row.expect[role]
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in allowed, (
        f"{row.method} {row.path} as {role}: got {response.status_code}, expected {expected}"
        f"{' (' + row.note + ')' if row.note else ''}: {response.content[:300]!r}"
    )
    if row.path.startswith("/api/") and response.status_code >= 400:
        body = response.json()
        assert set(body) >= {"code", "message"}, body


def test_every_row_names_every_role() -> None:
    for source, row in ROWS:
        assert set(row.expect) == set(ROLES), f"{source}: {row.method} {row.path}"


# --- coverage: every URL pattern and API operation has a row --------------------------------

SKIP_ROUTE_PREFIXES = ("admin/",)  # Django admin: one row on /admin/ stands for it
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _normalise(route: str) -> str:
    route = route.lstrip("^").rstrip("$")
    return "/" + PARAM.sub(r"{\1}", route).lstrip("/")


def _routes(patterns: list, prefix: str = "") -> list[str]:
    out = []
    for p in patterns:
        if isinstance(p, URLResolver):
            out.extend(_routes(p.url_patterns, prefix + str(p.pattern)))
        elif isinstance(p, URLPattern):
            out.append(prefix + str(p.pattern))
    return out


def _row_route(row: Row, world: World) -> str:
    path = row.path.format_map(world).split("?")[0]
    return _normalise(resolve(path).route)


@pytest.mark.django_db
def test_every_endpoint_is_in_the_matrix() -> None:
    world = World()
    covered_routes: set[str] = set()
    covered_ops: set[tuple[str, str]] = set()
    for _source, row in ROWS:
        if row.setup is not None:
            world.update(row.setup(world))
        route = _row_route(row, world)
        covered_routes.add(route)
        covered_ops.add((row.method.upper(), route))

    all_routes = {
        _normalise(r)
        for r in _routes(get_resolver().url_patterns)
        if not r.startswith(SKIP_ROUTE_PREFIXES)
    }
    assert any(r.startswith("/admin/") for r in covered_routes), "no row for /admin/"
    missing_routes = sorted(all_routes - covered_routes)
    assert missing_routes == [], f"URL patterns without a matrix row: {missing_routes}"

    schema = api.get_openapi_schema()
    operations = {
        (method.upper(), _normalise(path))
        for path, methods in schema["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    }
    missing_ops = sorted(operations - covered_ops)
    assert missing_ops == [], f"API operations without a matrix row: {missing_ops}"


def test_the_coverage_check_would_notice_a_missing_route() -> None:
    """The walker sees real routes (guards against a coverage test that cannot fail)."""
    routes = {_normalise(r) for r in _routes(get_resolver().url_patterns)}
    assert "/dashboard/" in routes
    assert "/api/v1/districts/{code}/officials" in routes
