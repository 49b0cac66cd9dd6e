"""Admin pages: users and the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from sqlmodel import col, func, select

from employers.models import MAX_INTEGER, RecordId
from profiles import audit
from profiles import service as profiles_service
from profiles.errors import FieldErrors, VersionConflict
from profiles.models import Participant, Role
from profiles.schemas import UserCreate, UserUpdate, parse
from service.deps import AdminUser, SessionDep, render
from service.i18n import MESSAGES, request_language, translate
from service.security import hash_password

router = APIRouter(prefix="/admin", include_in_schema=False)


async def _values(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {
        k: v.strip()
        for k, v in form.items()
        if k != "csrf_token" and isinstance(v, str) and v.strip() != ""
    }


def _users_page(request, session, user, *, errors=None, values=None, status_code=200):
    return render(
        request,
        "admin/users.html",
        {
            "users": profiles_service.list_users(session, user=user),
            "caseload_sizes": dict(
                session.exec(
                    select(Participant.coach_id, func.count())
                    .where(Participant.exit_date == None)  # noqa: E711
                    .group_by(Participant.coach_id)
                ).all()
            ),
            "roles": [r.value for r in Role],
            "fingerprint": profiles_service.user_fingerprint,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/users")
def users(request: Request, session: SessionDep, user: AdminUser):
    """Every user with role and status; a form to add one."""
    return _users_page(request, session, user)


@router.post("/users")
async def create_user(request: Request, session: SessionDep, user: AdminUser):
    values = await _values(request)
    try:
        data = parse(UserCreate, values)
        profiles_service.create_user(
            session, user=user, data=data, password_hash=hash_password(data.password)
        )
    except FieldErrors as exc:
        values.pop("password", None)
        return _users_page(
            request, session, user, errors={"new": exc.errors}, values=values, status_code=422
        )
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{user_id}")
async def update_user(request: Request, session: SessionDep, user: AdminUser, user_id: RecordId):
    values = await _values(request)
    values["active"] = values.get("active") in ("on", "true", "1")
    seen = values.pop("seen", None)
    try:
        data = parse(UserUpdate, values)
        profiles_service.update_user(
            session,
            user=user,
            user_id=user_id,
            data=data,
            password_hash=hash_password(data.password) if data.password else None,
            seen=seen,
        )
    except FieldErrors as exc:
        return _users_page(request, session, user, errors={user_id: exc.errors}, status_code=422)
    except VersionConflict:
        # Another admin saved this user after the page was drawn: nothing is written; the row
        # shows what was typed, and carries the stored state so that saving again writes it.
        session.rollback()
        values.pop("password", None)
        return _users_page(
            request, session, user, errors={user_id: {"seen": "conflict_not_saved"}},
            values={user_id: values}, status_code=409,
        )  # fmt: skip
    return RedirectResponse("/admin/users", status_code=303)


#: Actions the audit log records (the filter offers these).
AUDIT_ACTIONS = ("read", "list", "create", "update", "accepted", "declined", "saved", "denied",
                 "rank")  # fmt: skip


def _audit_word(kind: str, value: str, lang: str) -> str:
    """An audit action or record name in words; unknown ones as stored."""
    key = f"audit_{kind}_{value}"
    return translate(key, lang) if key in MESSAGES[lang] else value


@router.get("/audit")
def audit_log(
    request: Request,
    session: SessionDep,
    user: AdminUser,
    user_id: RecordId | None = None,
    participant_id: RecordId | None = None,
    action: str | None = None,
    page: Annotated[int, Query(le=MAX_INTEGER // 100)] = 1,
):
    """The audit log, newest first, filtered by user, participant or action."""
    page = max(1, page)
    size = 100
    entries, total = audit.list_entries(
        session,
        user_id=user_id,
        participant_id=participant_id,
        action=action or None,
        offset=(page - 1) * size,
        limit=size,
    )
    names = {u.id: u.username for u in profiles_service.list_users(session, user=user)}
    lang = request_language(request)
    shown = {e.participant_id for e in entries if e.participant_id is not None}
    query = select(Participant.id, Participant.code).where(col(Participant.id).in_(sorted(shown)))
    codes = dict(session.exec(query).all())
    return render(
        request,
        "admin/audit.html",
        {
            "entries": entries,
            "codes": codes,
            "actions": AUDIT_ACTIONS,
            "word": lambda kind, value: _audit_word(kind, value, lang),
            "total": total,
            "page": page,
            "pages": max(1, (total + size - 1) // size),
            "names": names,
            "filters": {"user_id": user_id, "participant_id": participant_id, "action": action},
        },
    )
