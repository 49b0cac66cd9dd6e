"""Domain errors become HTTP answers here, and only here."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.i18n import request_language, translate
from service.security import CsrfFailed, NotAuthenticated


class FieldError(BaseModel):
    """One problem with the input: the field (or ``__all__``) and what is wrong."""

    field: str
    message: str


class InvalidInput(BaseModel):
    """The body of every 422 answer of the JSON API."""

    detail: list[FieldError]


def field_errors_of(exc: ValueError) -> list[dict[str, str]]:
    """``[{field, message}]`` from a domain ``ValueError``: ``FieldErrors`` carry their fields;
    other messages name theirs as ``"field: message"``."""
    errors = getattr(exc, "errors", None)
    if isinstance(errors, dict):
        return [{"field": str(f), "message": str(m)} for f, m in errors.items()]
    text = str(exc)
    field, sep, rest = text.partition(": ")
    if sep and field and " " not in field:
        return [{"field": field, "message": rest}]
    return [{"field": "__all__", "message": text}]


def document_errors(spec: dict) -> dict:
    """Describe the 422 answers as they are sent: ``{"detail": [{"field", "message"}]}``.

    A route that documents its own 422 body (an import report) keeps it as one alternative.
    """
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    defined = InvalidInput.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(defined.pop("$defs"))
    schemas["InvalidInput"] = defined
    invalid = {"$ref": "#/components/schemas/InvalidInput"}
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            answer = operation.get("responses", {}).get("422")
            if answer is None:
                continue
            own = answer.get("content", {}).get("application/json", {}).get("schema")
            fastapi_default = own == {"$ref": "#/components/schemas/HTTPValidationError"}
            schema = invalid if own is None or fastapi_default else {"anyOf": [own, invalid]}
            answer["content"] = {"application/json": {"schema": schema}}
            if fastapi_default:
                answer["description"] = "Invalid input: one message per field"
    return spec


def _validation_error(error: dict) -> dict[str, str]:
    """One pydantic error as ``{field, message}``; a model check's ``"field: message"`` names
    its field (``period_end: the period cannot end before it starts``)."""
    parts = [str(p) for p in error["loc"] if p not in ("body", "form", "query", "path")]
    field = ".".join(parts)
    message = str(error["msg"]).removeprefix("Value error, ")
    name, sep, rest = message.partition(": ")
    if not field and sep and name and " " not in name:
        field, message = name, rest
    return {"field": field or "__all__", "message": message}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "application/json" in request.headers.get(
        "accept", ""
    )


def _answer(request: Request, status: int, key: str, detail: str):
    from service.deps import render

    if wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status)
    lang = request_language(request)
    return render(
        request,
        "error.html",
        {"status": status, "message": translate(key, lang), "detail": detail},
        status_code=status,
    )


def conflict_classes() -> tuple[type[Exception], ...]:
    """Every domain's optimistic-concurrency error (answered with 409)."""
    found: list[type[Exception]] = []
    try:
        from employers.errors import VersionConflict as EmployerConflict

        found.append(EmployerConflict)
    except ImportError:
        pass
    try:
        from profiles.errors import VersionConflict as ProfileConflict

        found.append(ProfileConflict)
    except ImportError:
        pass
    return tuple(found)


def install_error_handlers(app: FastAPI) -> None:
    async def not_authenticated(request: Request, exc: NotAuthenticated):
        if wants_json(request):
            return JSONResponse({"detail": "not authenticated"}, status_code=401)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    async def csrf_failed(request: Request, exc: CsrfFailed):
        return _answer(request, 403, "csrf_failed", str(exc))

    async def forbidden(request: Request, exc: PermissionError):
        return _answer(request, 403, "forbidden", str(exc) or "forbidden")

    async def not_found(request: Request, exc: LookupError):
        return _answer(request, 404, "not_found", str(exc) or "not found")

    async def conflict(request: Request, exc: Exception):
        if wants_json(request) and hasattr(exc, "current"):  # both versions, to compare
            body = {"detail": str(exc), "current": exc.current, "submitted": exc.submitted}
            return JSONResponse(body, status_code=409)
        return _answer(request, 409, "conflict", str(exc))

    async def invalid(request: Request, exc: ValueError):
        if wants_json(request):
            return JSONResponse({"detail": field_errors_of(exc)}, status_code=422)
        return _answer(request, 422, "invalid_input", str(exc))

    app.add_exception_handler(NotAuthenticated, not_authenticated)
    app.add_exception_handler(CsrfFailed, csrf_failed)
    app.add_exception_handler(PermissionError, forbidden)
    app.add_exception_handler(LookupError, not_found)
    for cls in conflict_classes():
        app.add_exception_handler(cls, conflict)
    app.add_exception_handler(ValueError, invalid)

    async def request_validation(request: Request, exc: RequestValidationError):
        errors = [_validation_error(e) for e in exc.errors()]
        if wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        lang = request_language(request)
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        from service.deps import render

        return render(
            request,
            "error.html",
            {"status": 422, "message": translate("invalid_input", lang), "detail": detail},
            status_code=422,
        )

    app.add_exception_handler(RequestValidationError, request_validation)

    async def http_error(request: Request, exc: StarletteHTTPException):
        # Unknown pages and wrong methods: JSON for the API, a page for people.
        if wants_json(request) or exc.status_code < 400:
            return await http_exception_handler(request, exc)
        from service.deps import render

        key = "not_found" if exc.status_code == 404 else "invalid_input"
        lang = request_language(request)
        return render(
            request,
            "error.html",
            {"status": exc.status_code, "message": translate(key, lang), "detail": str(exc.detail)},
            status_code=exc.status_code,
        )

    app.add_exception_handler(StarletteHTTPException, http_error)
