"""Dependencies shared by the routes: session, settings, current user, role checks, rendering."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from profiles.models import Role, User
from service.config import Settings
from service.db import get_session
from service.i18n import request_language, translate
from service.security import NotAuthenticated, csrf_token

SessionDep = Annotated[Session, Depends(get_session)]


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def current_user(request: Request, session: SessionDep) -> User:
    """The logged-in user; raises NotAuthenticated (login redirect or 401) otherwise."""
    user_id = request.session.get("user_id")
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active:
        raise NotAuthenticated()
    request.state.user = user
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[..., User]:
    """A dependency that lets only the given roles through (403 for the others)."""

    def dependency(user: CurrentUser) -> User:
        if user.role not in roles:
            raise PermissionError(f"role {user.role} may not use this")
        return user

    return dependency


CoachUser = Annotated[User, Depends(require_roles(Role.coach, Role.admin))]
LiaisonUser = Annotated[User, Depends(require_roles(Role.liaison, Role.coach, Role.admin))]
EvaluatorUser = Annotated[User, Depends(require_roles(Role.evaluator, Role.admin))]
AdminUser = Annotated[User, Depends(require_roles(Role.admin))]


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
):
    """Render a page (or a fragment for htmx) with language, user and CSRF token in context."""
    templates: Jinja2Templates = request.app.state.templates
    lang = request_language(request)
    ctx: dict[str, Any] = {
        "lang": lang,
        "_": lambda key: translate(key, lang),
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "htmx": is_htmx(request),
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    if request.query_params.get("lang") in ("sv", "en"):
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
    return response
