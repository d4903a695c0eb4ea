"""Keep the API's promise: under /api/ every error is JSON `{code, message}`, never HTML.

django-ninja answers 405 with plain text, Django's DEBUG pages are HTML, and exceptions raised
before ninja runs would become HTML error pages; this middleware rewrites those.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils.translation import gettext as _

from mileage.core.errors import DomainError
from mileage.core.input import MAX_JSON_DEPTH, json_too_deep

from .errors import render_error

log = logging.getLogger(__name__)

_MESSAGES = {
    400: ("request.bad", "잘못된 요청입니다."),
    401: ("auth.required", "로그인하거나 유효한 API 키(X-API-Key)를 보내 주세요."),
    403: ("forbidden", "이 기능을 사용할 권한이 없습니다."),
    404: ("not_found", "찾을 수 없습니다."),
    405: ("method_not_allowed", "허용되지 않은 HTTP 메서드입니다."),
    413: ("request.too_large", "요청 본문이 너무 큽니다."),
    429: ("too_many_requests", "요청이 너무 많습니다. 잠시 뒤 다시 시도해 주세요."),
    500: ("server_error", "서버 오류가 발생했습니다. 잠시 뒤 다시 시도해 주세요."),
}


def _json_error(status: int) -> JsonResponse:
    code, message = _MESSAGES.get(status, (f"http.{status}", "요청을 처리할 수 없습니다."))
    return JsonResponse({"code": code, "message": message}, status=status)


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        fixed = _json_error(response.status_code)
        if response.has_header("Allow"):
            fixed["Allow"] = response["Allow"]
        return fixed

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/"):
            return None
        if isinstance(exception, RequestDataTooBig):
            return _json_error(413)
        if isinstance(exception, MultiPartParserError):  # a body broken past its headers
            return JsonResponse(
                {"code": "request.malformed", "message": MALFORMED_MULTIPART}, status=400
            )
        if isinstance(exception, (Http404, PermissionDenied, SuspiciousOperation)):
            return None  # Django's handler404/403/400 answer these (JSON under /api/)
        log.exception("error on %s %s", request.method, request.path)
        return _json_error(500)


class DomainErrorPagesMiddleware:
    """A `DomainError` raised by a page view becomes `web/error.html` with its status.

    Apps only raise (`mileage.core.errors`); the page rendering lives here. Under /api/ ninja's
    exception handler answers JSON before this is reached.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return render_error(request, exception)
        return None


MALFORMED_MULTIPART = (
    "요청 본문의 형식(multipart/form-data)이 올바르지 않습니다. boundary를 확인해 주세요."
)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def malformed_multipart(request: HttpRequest) -> bool:
    """True when an unsafe request says multipart but its Content-Type header cannot be parsed
    (no or a bad boundary, non-ASCII): Django would raise MultiPartParserError wherever the body
    is first read (the CSRF check, a form, the API's parser), which is a 500 unless caught."""
    if request.method not in UNSAFE_METHODS:
        return False
    if not request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/"):
        return False
    try:  # the constructor checks only the headers; it reads nothing of the body
        MultiPartParser(request.META, io.BytesIO(b""), [], request.encoding or "utf-8")
    except MultiPartParserError:
        return True
    return False


TOO_DEEP = f"요청 본문(JSON)이 너무 깊게 중첩되어 있습니다 (최대 {MAX_JSON_DEPTH}단계)."


def too_deep_json(request: HttpRequest) -> bool:
    """True when an unsafe API request's body (not a form) nests JSON deeper than the limit
    (issue #13, finding 5: a step feed nested 3,000 deep was a RecursionError)."""
    if request.method not in UNSAFE_METHODS or not request.path.startswith("/api/"):
        return False
    kind = request.META.get("CONTENT_TYPE", "").lower()
    if kind.startswith(("multipart/", "application/x-www-form-urlencoded")):
        return False
    try:
        body = request.body
    except RequestDataTooBig:  # answered 413 where the body is read again
        return False
    return json_too_deep(body)


class MalformedBodyMiddleware:
    """Refuse a multipart request whose boundary is missing or broken before anything reads the
    body: 400 with the API's JSON error under /api/, the 400 page elsewhere; and an API body
    nested deeper than `core.input.MAX_JSON_DEPTH`: 422 JSON. Runs before the CSRF check (which
    reads request.POST)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if too_deep_json(request):
            return JsonResponse({"code": "request.too_deep", "message": TOO_DEEP}, status=422)
        if malformed_multipart(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "request.malformed", "message": MALFORMED_MULTIPART}, status=400
                )
            raise BadRequest(MALFORMED_MULTIPART)
        return self.get_response(request)


def stamp_login(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """At login (user_logged_in): the session's start and last-seen times, for the timeouts."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session["_auth_at"] = now
        session["_seen_at"] = now


class SessionTimeoutMiddleware:
    """End a signed-in session after its role's idle time or absolute lifetime (ASVS 3.3).

    Citizens: `SESSION_IDLE_TIMEOUT["citizen"]` / `SESSION_ABSOLUTE_TIMEOUT["citizen"]`;
    officials, city managers, partner staff and admin users: the shorter "staff" values. The
    login stamps both times (`stamp_login`); the last-seen time is written again at most once a
    minute, so reading a page is not a session write.
    Runs after the auth and messages middleware; an ended session is flushed and the request goes on as
    anonymous (pages redirect to the login page with a Korean message, the API answers 401).
    """

    TOUCH_EVERY = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def kind(user: object) -> str:
        staff = getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)
        return "citizen" if getattr(user, "role", "") == "citizen" and not staff else "staff"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.contrib import messages
        from django.contrib.auth import logout

        now = int(time.time())
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            kind = self.kind(user)
            session = request.session
            seen = session.get("_seen_at", now)
            started = session.get("_auth_at", now)
            if (
                now - seen > settings.SESSION_IDLE_TIMEOUT[kind]
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT[kind]
            ):
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(
                        request, _("오래 사용하지 않아 로그아웃되었습니다. 다시 로그인해 주세요.")
                    )
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            if "_auth_at" not in session:  # a session from before this middleware
                session["_auth_at"] = now
            if now - session.get("_seen_at", 0) >= self.TOUCH_EVERY:
                session["_seen_at"] = now
        return response
