"""Errors the registry raises on purpose; adapters map them to HTTP, forms and exit codes.

Every error has a stable `code`, a human `message` and optional `details`
(for a refused field: which field and which rule). The API renders them as
`{"error": {"code": ..., "message": ..., "details": ...}}`.
"""

from __future__ import annotations

from typing import Any


class JumelageError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: Any = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if code is not None:
            self.code = code

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class NotFound(JumelageError):
    status = 404
    code = "not_found"


class Invalid(JumelageError):
    """Input that breaks a rule; `field` and `rule` say which."""

    status = 422
    code = "invalid"

    def __init__(self, message: str, field: str | None = None, rule: str | None = None) -> None:
        details = {"field": field, "rule": rule} if field or rule else None
        super().__init__(message, details)
        self.field = field
        self.rule = rule


class Conflict(JumelageError):
    status = 409
    code = "conflict"


class PreconditionFailed(JumelageError):
    status = 412
    code = "precondition_failed"


class PreconditionRequired(JumelageError):
    status = 428
    code = "precondition_required"


class Unauthorized(JumelageError):
    status = 401
    code = "unauthorized"


class Forbidden(JumelageError):
    status = 403
    code = "forbidden"


class RateLimited(JumelageError):
    """Too many attempts; `details.retry_after` says how many seconds to wait."""

    status = 429
    code = "rate_limited"


class Busy(JumelageError):
    """Another write holds the database (a long import, say) and the wait for it ran
    out; nothing was written. `details.retry_after` says how many seconds to wait."""

    status = 503
    code = "busy"
