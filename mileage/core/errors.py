"""Domain errors: a stable code, a Korean message for people, and an HTTP status.

Apps subclass `DomainError` in `<app>/errors.py`:

    class PhotoTooOld(DomainError):
        code = "reading.photo_too_old"      # ECO-4
        message = "사진 촬영일이 너무 오래되었습니다."
        status = 400

Apps only raise them. The API (`mileage.site.api`) turns them into `{"code": ..., "message": ...}`
JSON; on pages `mileage.web.middleware.DomainErrorPagesMiddleware` renders `web/error.html` with
the same status. Citizens never see a traceback.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code: str = "error"
    message: str = "요청을 처리할 수 없습니다."
    status: int = 400  # 400 refused input, 403 not yours, 404 not found, 409 state conflict

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        detail: Any = None,
    ) -> None:
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.detail = detail
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.detail is not None:
            body["detail"] = self.detail
        return body


class NotFound(DomainError):
    code = "not_found"
    message = "찾을 수 없습니다."
    status = 404


class Forbidden(DomainError):
    code = "forbidden"
    message = "이 기능을 사용할 권한이 없습니다."
    status = 403
