"""Every read and change of a participant record goes into the audit log."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from profiles.models import AuditLogEntry, User


def record(
    session: Session,
    *,
    user: User | None,
    action: str,
    entity: str,
    entity_id: object = None,
    participant_id: int | None = None,
    detail: str | None = None,
) -> AuditLogEntry:
    """Add an audit entry to the session; it is committed with the change (or read) it records."""
    entry = AuditLogEntry(
        user_id=user.id if user is not None else None,
        action=action[:20],
        entity=entity[:50],
        entity_id=None if entity_id is None else str(entity_id)[:50],
        participant_id=participant_id,
        detail=None if detail is None else detail[:1000],
    )
    session.add(entry)
    return entry


def list_entries(
    session: Session,
    *,
    user_id: int | None = None,
    participant_id: int | None = None,
    action: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[AuditLogEntry], int]:
    """Audit entries newest first, filtered, with the total count of the filter."""
    query = select(AuditLogEntry)
    count = select(func.count()).select_from(AuditLogEntry)
    conditions = []
    if user_id is not None:
        conditions.append(AuditLogEntry.user_id == user_id)
    if participant_id is not None:
        conditions.append(AuditLogEntry.participant_id == participant_id)
    if action:
        conditions.append(AuditLogEntry.action == action)
    for cond in conditions:
        query = query.where(cond)
        count = count.where(cond)
    query = query.order_by(col(AuditLogEntry.at).desc(), col(AuditLogEntry.id).desc())
    entries = list(session.exec(query.offset(max(0, offset)).limit(max(1, min(limit, 500)))))
    return entries, int(session.exec(count).one())
