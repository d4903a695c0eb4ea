"""The JSON API at /api/v1/ (django-ninja); OpenAPI 3 at /api/v1/openapi.json, docs at /api/v1/docs.

Apps add their router with one line at the bottom:
    api.add_router("/vehicles/", "mileage.vehicles.api.router")

Every error is JSON `{"code": ..., "message": ...}` (Korean message), never HTML or a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from mileage.core.errors import DomainError
from mileage.core.input import korean_problem
from mileage.web.middleware import MALFORMED_MULTIPART

log = logging.getLogger(__name__)


class KoreanSwagger(Swagger):
    """Swagger UI in a page with lang="ko", a Korean title and contrast fixes (web/api_docs.html,
    web/api-docs.css). Deep links off: with them each operation's path is a link inside the
    operation's toggle button, a control nested in a control (axe nested-interactive)."""

    template = "web/api_docs.html"


api = NinjaAPI(
    title="서울 마일리지 API",
    version="1",
    description=(
        "서울시 시민 마일리지(에코마일리지 승용차, 2014 승용차 마일리지 시범사업, 보행 마일리지) "
        "플랫폼의 JSON API. 사람은 세션(로그인 + CSRF), 협력기관은 `X-API-Key` 헤더로 인증합니다. "
        'Errors are always JSON: `{"code": "...", "message": "..."}`.'
    ),
    urls_namespace="api",
    docs_url="/docs",
    docs=KoreanSwagger(settings={"deepLinking": False}),
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [
        {
            "loc": [str(p) for p in e.get("loc", [])],
            "problem": korean_problem(e),
            "type": e.get("type"),
        }
        for e in exc.errors
    ]
    message = "요청 값이 올바르지 않습니다."
    if fields:  # the first problem named: "요청 값이 올바르지 않습니다 (amount: 정수(숫자)로 …)"
        loc = fields[0]["loc"]
        message = (
            f"요청 값이 올바르지 않습니다 ({loc[-1] if loc else '본문'}: {fields[0]['problem']})"
        )
    return error_response(request, 422, "request.invalid", message, errors=fields)


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request, 401, "auth.required", "로그인하거나 유효한 API 키(X-API-Key)를 보내 주세요."
    )


@api.exception_handler(AuthorizationError)
def _authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return error_response(request, 403, "auth.forbidden", "이 기능을 사용할 권한이 없습니다.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, RequestDataTooBig):
        return _too_big(request, exc.__cause__)
    if exc.status_code == 400 and "parse request body" in exc.message:
        return error_response(
            request, 400, "request.malformed", "요청 본문이 올바른 JSON이 아닙니다."
        )
    if exc.status_code == 403 and "CSRF" in exc.message:
        return error_response(
            request,
            403,
            "auth.csrf_failed",
            "CSRF 검증에 실패했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.",
        )
    return error_response(request, exc.status_code, f"http.{exc.status_code}", exc.message)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", "찾을 수 없습니다.")


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, "auth.forbidden", "이 기능을 사용할 권한이 없습니다.")


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 413, "request.too_large", "요청 본문이 너무 큽니다.")


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return error_response(request, 400, "request.bad", "잘못된 요청입니다.")


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return error_response(request, 400, "request.malformed", MALFORMED_MULTIPART)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API error on %s %s", request.method, request.path)
    return error_response(
        request, 500, "server_error", "서버 오류가 발생했습니다. 잠시 뒤 다시 시도해 주세요."
    )


# Routers: one line per app.
api.add_router("/", "mileage.accounts.api.router")
api.add_router("/", "mileage.partners.me_api.router")
api.add_router("/partners", "mileage.partners.api.router")
api.add_router("/walking/", "mileage.walking.api.router")
api.add_router("/pilot/", "mileage.pilot.api.router")
api.add_router("/vehicles/", "mileage.vehicles.api.router")
api.add_router("/vehicles/", "mileage.readings.vehicle_api.router")
api.add_router("/readings/", "mileage.readings.api.router")
api.add_router("/ledger/", "mileage.ledger.api.router")
