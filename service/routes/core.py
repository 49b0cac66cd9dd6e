"""Health check, login, logout, language and the role-based start page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import text

from profiles.models import Role
from service.deps import CurrentUser, SessionDep, render
from service.security import authenticate

router = APIRouter()

START_PAGES = {
    Role.coach: "/caseload",
    Role.liaison: "/employers",
    Role.evaluator: "/evaluation",
    Role.admin: "/admin/users",
}


@router.get("/healthz", tags=["health"])
def healthz(session: SessionDep) -> dict[str, str]:
    """Liveness and database check."""
    session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    return {"status": "ok"}


@router.get("/", include_in_schema=False)
def home(user: CurrentUser):
    return RedirectResponse(START_PAGES.get(user.role, "/login"), status_code=303)


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/"):
    return render(request, "login.html", {"next": next, "error": None})


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
):
    user = authenticate(session, username=username.strip(), password=password)
    if user is None:
        return render(
            request, "login.html", {"next": next, "error": "login_failed"}, status_code=401
        )
    csrf = request.session.get("csrf")
    request.session.clear()
    request.session["user_id"] = user.id
    if csrf:
        request.session["csrf"] = csrf
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
