"""Domain errors become HTTP answers here, and only here."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse

from service.i18n import request_language, translate
from service.security import CsrfFailed, NotAuthenticated


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
        return _answer(request, 422, "invalid_input", str(exc))

    app.add_exception_handler(NotAuthenticated, not_authenticated)
    app.add_exception_handler(CsrfFailed, csrf_failed)
    app.add_exception_handler(PermissionError, forbidden)
    app.add_exception_handler(LookupError, not_found)
    for cls in conflict_classes():
        app.add_exception_handler(cls, conflict)
    app.add_exception_handler(ValueError, invalid)

    async def request_validation(request: Request, exc: RequestValidationError):
        errors = [
            {
                "field": ".".join(str(p) for p in e["loc"] if p not in ("body", "form", "query")),
                "message": e["msg"],
            }
            for e in exc.errors()
        ]
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
