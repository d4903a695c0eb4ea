"""The development server (`make run`, runserver) answers `/static/%2e%2e/...` with the Korean
404 page, not Django's plain-text 500 (issue #13, finding 5): static files are served by
WhiteNoise, which refuses paths that climb out of the static root, instead of runserver's
static handler (which raised SuspiciousFileOperation)."""

from __future__ import annotations

import io

import pytest
from django.core.management import get_commands, load_command_class


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/static/../manage.py", "/static/../../etc/passwd", "/static/%2e%2e/manage.py"]
)
def test_dev_server_answers_a_climbing_static_path_with_404(path: str) -> None:
    command = load_command_class(get_commands()["runserver"], "runserver")
    handler = command.get_handler(use_static_handler=True, insecure_serving=False)
    status: list[str] = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    body = b"".join(handler(environ, lambda s, headers, *a: status.append(s)))
    assert status[0].startswith("404"), (status, body[:200])
    assert "찾을 수 없습니다" in body.decode()
