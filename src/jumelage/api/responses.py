"""JSON rendering with orjson, and the one error shape of the API."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from jumelage.errors import JumelageError

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "too_many_requests",
    503: "busy",
}


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def error_body(status: int, message: str, details: Any = None, code: str | None = None) -> bytes:
    return orjson.dumps(
        {
            "error": {
                "code": code or _HTTP_CODES.get(status, "error"),
                "message": message,
                "details": details,
            }
        }
    )


def error_response(
    status: int,
    message: str,
    details: Any = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        error_body(status, message, details, code),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


async def on_domain_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, JumelageError)
    # A refusal that ends with time (busy, too many attempts) says when to come back.
    wait = exc.details.get("retry_after") if isinstance(exc.details, dict) else None
    headers = {"Retry-After": str(wait)} if wait is not None else None
    return error_response(exc.status, exc.message, exc.details, exc.code, headers)


async def on_validation_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = [
        {
            "field": ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query")),
            "location": (err.get("loc") or ("",))[0],
            "rule": err.get("type"),
            "message": err.get("msg"),
        }
        for err in exc.errors()
    ]
    first = details[0] if details else {"field": "", "message": "invalid request"}
    return error_response(422, f"{first['field'] or 'request'}: {first['message']}", details)


async def on_http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))


async def on_unexpected_error(_request: Request, _exc: Exception) -> Response:
    # The traceback goes to the server log, never to the client.
    return error_response(500, "internal error; the request changed nothing", code="internal")


async def on_out_of_range(_request: Request, _exc: Exception) -> Response:
    # A number larger than the database can hold (an id of 10^20, say): nothing can
    # match it and nothing was written.
    return error_response(422, "a number in the request is out of range", code="out_of_range")
