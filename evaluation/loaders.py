"""The evaluation's only database access: read the logs of a period into pseudonymised frames.

Participants appear by their pseudonymous code only; coaches by a label made from their user id
(``"H3"``), never by name; free-text notes are not read at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import or_
from sqlmodel import Session, col, select

from employers.models import FACE_TO_FACE_MODES, ContactStatus, EmployerContact
from evaluation.frames import (
    CONTACT_COLUMNS,
    DECISION_COLUMNS,
    FOLLOW_ALONG_COLUMNS,
    PARTICIPANT_COLUMNS,
    PLACEMENT_COLUMNS,
    EvaluationFrames,
)
from profiles.models import (
    FollowAlongContact,
    Participant,
    Placement,
    Role,
    SuggestionDecision,
    User,
)

LOCAL_TZ = ZoneInfo("Europe/Stockholm")

#: Follow-along modes that are not a face-to-face meeting.
REMOTE_MODES = frozenset({"phone", "email", "sms", "text", "video", "letter"})


def coach_label(user_id: int | None) -> str | None:
    """Pseudonymous label of a coach: ``"H<user id>"`` (H for handledare), or None."""
    return None if user_id is None else f"H{user_id}"


def _value(x: Any) -> Any:
    """Enum members as their plain values, so frames hold strings."""
    return getattr(x, "value", x)


def _frame(rows: Iterable[Sequence[Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    data = [[_value(v) for v in row] for row in rows]
    if not data:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.DataFrame(data, columns=list(columns))


def load_participants(session: Session, *, date_from: dt.date, date_to: dt.date) -> pd.DataFrame:
    """Participants active at some time in [date_from, date_to] (entry <= to, exit >= from)."""
    statement = select(Participant).where(
        Participant.entry_date <= date_to,
        or_(col(Participant.exit_date).is_(None), col(Participant.exit_date) >= date_from),
    )
    rows = [
        (
            p.code,
            coach_label(p.coach_id),
            p.municipality_code,
            p.group_label,
            p.status,
            p.entry_date,
            p.exit_date,
        )
        for p in session.exec(statement.order_by(col(Participant.code)))
    ]
    return _frame(rows, PARTICIPANT_COLUMNS)


def _codes(session: Session) -> dict[int, str]:
    return {
        pid: code for pid, code in session.exec(select(Participant.id, Participant.code)) if pid
    }


def load_contacts(
    session: Session, *, date_to: dt.date, since: dt.date | None = None
) -> pd.DataFrame:
    """Employer contacts carried out (status done) on or before ``date_to`` (and >= ``since``)."""
    statement = select(EmployerContact).where(
        EmployerContact.contact_date <= date_to, EmployerContact.status == ContactStatus.done
    )
    if since is not None:
        statement = statement.where(EmployerContact.contact_date >= since)
    codes = _codes(session)
    rows = [
        (
            c.id,
            codes.get(c.participant_id) if c.participant_id else None,
            coach_label(c.made_by_id),
            c.employer_id,
            c.contact_date,
            c.mode,
            c.mode in FACE_TO_FACE_MODES,
        )
        for c in session.exec(statement.order_by(col(EmployerContact.contact_date)))
    ]
    return _frame(rows, CONTACT_COLUMNS)


def load_placements(session: Session, *, date_to: dt.date, codes: set[str]) -> pd.DataFrame:
    """Placements of the participants ``codes`` that started on or before ``date_to``."""
    by_id = _codes(session)
    statement = select(Placement).where(Placement.start_date <= date_to)
    rows = [
        (
            p.id,
            by_id.get(p.participant_id),
            p.kind,
            p.employer_id,
            p.occupation_id,
            p.ssyk4_code,
            p.start_date,
            p.end_date,
            p.end_reason,
            p.hours_per_week,
            p.suggestion_decision_id,
        )
        for p in session.exec(statement.order_by(col(Placement.start_date), col(Placement.id)))
        if by_id.get(p.participant_id) in codes
    ]
    return _frame(rows, PLACEMENT_COLUMNS)


def load_decisions(session: Session, *, date_from: dt.date, date_to: dt.date) -> pd.DataFrame:
    """Suggestion decisions taken in [date_from, date_to], with whether a placement followed."""
    # Decisions are stamped in UTC; the period is in Swedish local days.
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=LOCAL_TZ)
    end = dt.datetime.combine(date_to, dt.time.max, tzinfo=LOCAL_TZ)
    linked = select(Placement.suggestion_decision_id).where(
        col(Placement.suggestion_decision_id).is_not(None)
    )
    placed = set(session.exec(linked))
    codes = _codes(session)
    statement = select(SuggestionDecision).where(
        SuggestionDecision.decided_at >= start, SuggestionDecision.decided_at <= end
    )
    rows = [
        (
            d.id,
            codes.get(d.participant_id),
            d.kind,
            d.offer_ref,
            d.employer_id,
            d.rank_shown,
            d.score,
            d.decision,
            d.reason_code,
            d.engine_settings,
            d.decided_at.astimezone(LOCAL_TZ).date(),
            d.id in placed,
        )
        for d in session.exec(statement.order_by(col(SuggestionDecision.id)))
    ]
    return _frame(rows, DECISION_COLUMNS)


def load_follow_along(session: Session, *, date_to: dt.date, codes: set[str]) -> pd.DataFrame:
    """Follow-along contacts carried out (not merely planned) on or before ``date_to``."""
    by_id = _codes(session)
    statement = select(FollowAlongContact).where(
        FollowAlongContact.contact_date <= date_to, col(FollowAlongContact.planned).is_(False)
    )
    rows = [
        (
            by_id.get(f.participant_id),
            f.placement_id,
            f.contact_date,
            f.mode,
            f.mode not in REMOTE_MODES,
        )
        for f in session.exec(statement.order_by(col(FollowAlongContact.contact_date)))
        if by_id.get(f.participant_id) in codes
    ]
    return _frame(rows, FOLLOW_ALONG_COLUMNS)


def load_coaches(session: Session) -> list[str]:
    """Pseudonymous labels of the active coach accounts."""
    statement = select(User.id).where(User.role == Role.coach, col(User.active).is_(True))
    return [label for uid in session.exec(statement) if (label := coach_label(uid))]


def load_frames(session: Session, *, date_from: dt.date, date_to: dt.date) -> EvaluationFrames:
    """Read everything an evaluation of [date_from, date_to] needs, pseudonymised.

    Raises
    ------
    ValueError
        If ``date_to`` is before ``date_from``.
    """
    if date_to < date_from:
        raise ValueError(f"date_to {date_to} is before date_from {date_from}")
    participants = load_participants(session, date_from=date_from, date_to=date_to)
    codes = set(participants["participant_code"])
    earliest = min(participants["entry_date"], default=date_from)
    return EvaluationFrames(
        date_from=date_from,
        date_to=date_to,
        participants=participants,
        contacts=load_contacts(session, date_to=date_to, since=min(earliest, date_from)),
        placements=load_placements(session, date_to=date_to, codes=codes),
        decisions=load_decisions(session, date_from=date_from, date_to=date_to),
        follow_along=load_follow_along(session, date_to=date_to, codes=codes),
        coaches=load_coaches(session),
    )
