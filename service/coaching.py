"""Web-layer glue between the participant side and the employer register.

profiles/ imports nothing of employers/, so what needs both lives here: the fitted matcher over
the register (cached per app while the register is unchanged), the first face-to-face contact
dates for the 30-day clock, and accepting a suggestion (a planned employer contact plus the
decision, in one transaction).
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from employers.models import (
    FACE_TO_FACE_MODES,
    ContactStatus,
    Employer,
    EmployerContact,
    Opening,
    PracticeSlot,
)
from matching.ranking import Matcher
from matching.types import Offer, RankingResult, ScoredSuggestion
from profiles import audit
from profiles import service as profiles_service
from profiles.errors import FieldErrors, VersionConflict
from profiles.models import Decision, Placement, SuggestionDecision, User
from profiles.schemas import DecisionCreate, EmployerContactIn

_lock = threading.Lock()


# ------------------------------------------------------------------ the register as offers
def register_offers(session: Session) -> list[Offer]:
    """Every open opening, practice slot and employer as matcher offers, with places taken."""
    from employers.adapters import load_offers

    return load_offers(session, taken=taken_places(session))


def taken_places(session: Session) -> dict[str, int]:
    """Offer id -> participants it is promised to (their newest decision on it is an accept).

    A practice slot or opening accepted for one participant is not offered to more participants
    than it has places.
    """
    rows = session.exec(
        select(SuggestionDecision).order_by(
            col(SuggestionDecision.decided_at), col(SuggestionDecision.id)
        )
    )
    latest: dict[tuple[int, str], Decision] = {}
    for d in rows:
        latest[(d.participant_id, d.offer_ref)] = d.decision
    taken: dict[str, int] = {}
    for (_pid, ref), decision in latest.items():
        if decision is Decision.accepted and not ref.startswith("employer:"):
            taken[ref] = taken.get(ref, 0) + 1
    return taken


def register_signature(session: Session) -> tuple[Any, ...]:
    """Changes whenever anything the offers are built from changes (cheap aggregate queries)."""
    parts: list[Any] = []
    for table, stamp in (
        (Employer, Employer.updated_at),
        (Opening, Opening.updated_at),
        (PracticeSlot, PracticeSlot.updated_at),
    ):
        parts.extend(session.exec(select(func.count(), func.max(stamp)).select_from(table)).one())
    for table, key in (
        (EmployerContact, EmployerContact.id),
        (Placement, Placement.id),
        (SuggestionDecision, SuggestionDecision.id),
    ):
        parts.extend(session.exec(select(func.count(), func.max(key)).select_from(table)).one())
    parts.extend(session.exec(select(func.count(), func.sum(EmployerContact.version))).one())
    return tuple(str(p) for p in parts)


def fitted_matcher(state: Any, session: Session) -> Matcher:
    """The matcher fitted on the current register, cached on the app state until it changes."""
    from matching.vocabulary import default_matcher

    signature = register_signature(session)
    cached = getattr(state, "coach_matcher", None)
    if cached is not None and cached[0] == signature:
        return cached[1]
    with _lock:
        cached = getattr(state, "coach_matcher", None)
        if cached is not None and cached[0] == signature:
            return cached[1]
        matcher = Matcher(top_k=10).fit(register_offers(session), vocabulary=default_matcher())
        state.coach_matcher = (signature, matcher)
        return matcher


# ------------------------------------------------------------------ 30-day clock
def first_contact_dates(session: Session) -> dict[int, date]:
    """Participant id -> date of the first face-to-face employer contact made."""
    rows = session.exec(
        select(EmployerContact.participant_id, func.min(EmployerContact.contact_date))
        .where(
            col(EmployerContact.participant_id).is_not(None),
            col(EmployerContact.mode).in_([m.value for m in FACE_TO_FACE_MODES]),
            EmployerContact.status == ContactStatus.done,
        )
        .group_by(EmployerContact.participant_id)
    )
    return {int(pid): day for pid, day in rows if pid is not None}


# ------------------------------------------------------------------ decisions
def offer_employer(session: Session, *, kind: str, ref_id: int) -> tuple[Employer, str]:
    """The employer behind a suggestion and a title for it; LookupError if it is gone."""
    if kind == "opening":
        opening = session.get(Opening, ref_id)
        if opening is None:
            raise LookupError(f"opening {ref_id} not found")
        employer, title = session.get(Employer, opening.employer_id), opening.title
    elif kind == "practice":
        slot = session.get(PracticeSlot, ref_id)
        if slot is None:
            raise LookupError(f"practice slot {ref_id} not found")
        employer, title = session.get(Employer, slot.employer_id), slot.title
    else:
        employer = session.get(Employer, ref_id)
        title = employer.name if employer else ""
    if employer is None:
        raise LookupError(f"employer of {kind}:{ref_id} not found")
    return employer, title


def decide(
    session: Session,
    *,
    user: User,
    participant_id: int,
    data: DecisionCreate,
    today: date | None = None,
) -> SuggestionDecision:
    """Accept (with a planned employer contact), decline or save a suggestion, atomically."""
    profiles_service.load_participant(session, user=user, participant_id=participant_id)
    employer, title = offer_employer(session, kind=data.kind, ref_id=data.ref_id)
    contact_id = None
    try:
        if data.decision is Decision.accepted:
            today = today or date.today()
            planned = data.contact_date or today + timedelta(days=2)
            if planned < today:
                raise FieldErrors({"contact_date": "err_planned_in_past"})
            contact = EmployerContact(
                employer_id=employer.id,  # type: ignore[arg-type]
                participant_id=participant_id,
                made_by_id=user.id,
                contact_date=planned,
                status=ContactStatus.planned,
                purpose=f"Förslag: {title}"[:1000],
                disclosure_shown=True,
            )
            session.add(contact)
            session.flush()
            contact_id = contact.id
        return profiles_service.record_decision(
            session,
            user=user,
            participant_id=participant_id,
            data=data,
            employer_id=employer.id,
            employer_contact_id=contact_id,
        )
    except Exception:
        session.rollback()
        raise


# ------------------------------------------------------------------ employer contacts
def log_employer_contact(
    session: Session, *, user: User, participant_id: int, data: EmployerContactIn
) -> EmployerContact:
    """An employer contact made or planned for a participant (the register's contact log)."""
    profiles_service.load_participant(session, user=user, participant_id=participant_id)
    employer = session.get(Employer, data.employer_id)
    if employer is None:
        raise FieldErrors({"employer_id": "err_not_found"})
    contact = EmployerContact(
        participant_id=participant_id, made_by_id=user.id, **data.model_dump()
    )
    session.add(contact)
    session.flush()
    audit.record(
        session,
        user=user,
        action="create",
        entity="employer_contact",
        entity_id=contact.id,
        participant_id=participant_id,
        detail=f"{data.mode} {data.status} {data.contact_date.isoformat()}",
    )
    session.commit()
    session.refresh(contact)
    return contact


def complete_contact(
    session: Session, *, user: User, participant_id: int, contact_id: int, version: int
) -> EmployerContact:
    """Mark a planned contact of this participant as done (today at the latest)."""
    profiles_service.load_participant(session, user=user, participant_id=participant_id)
    contact = session.get(EmployerContact, contact_id)
    if contact is None or contact.participant_id != participant_id:
        raise LookupError(f"contact {contact_id} not found")
    if contact.version != version:
        raise VersionConflict("employer_contact", version, contact.version)
    contact.status = ContactStatus.done
    contact.contact_date = min(contact.contact_date, date.today())
    contact.version += 1
    session.add(contact)
    audit.record(
        session,
        user=user,
        action="update",
        entity="employer_contact",
        entity_id=contact_id,
        participant_id=participant_id,
        detail="done",
    )
    session.commit()
    session.refresh(contact)
    return contact


def participant_contacts(
    session: Session, *, participant_id: int
) -> list[tuple[EmployerContact, str]]:
    """The participant's employer contacts with the employer's name, newest first."""
    rows = session.exec(
        select(EmployerContact, Employer.name)
        .join(Employer, col(Employer.id) == EmployerContact.employer_id)
        .where(EmployerContact.participant_id == participant_id)
        .order_by(col(EmployerContact.contact_date).desc(), col(EmployerContact.id).desc())
    )
    return [(c, name) for c, name in rows]


def employer_choices(session: Session) -> list[Employer]:
    """Employers a contact can be logged with (merged duplicates left out), by name."""
    return list(
        session.exec(
            select(Employer)
            .where(col(Employer.merged_into_id).is_(None))
            .order_by(col(Employer.name), col(Employer.id))
        )
    )


def employer_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Employer id -> name for the given ids."""
    if not ids:
        return {}
    return {
        e.id: e.name  # type: ignore[misc]
        for e in session.exec(select(Employer).where(col(Employer.id).in_(sorted(ids))))
    }


# ------------------------------------------------------------------ JSON
def suggestion_json(s: ScoredSuggestion) -> dict[str, Any]:
    """One ranked suggestion as JSON (also used by `ipsmatch rank --json`)."""
    o = s.offer
    return {
        "rank": s.rank,
        "offer_id": o.offer_id,
        "kind": o.kind.value,
        "title": o.title,
        "employer_id": o.employer_id,
        "employer_name": o.employer_name,
        "employment_form": o.employment_form.value,
        "subsidy_label": o.subsidy_label,
        "score": round(s.score, 4),
        "components": {k: round(float(v), 4) for k, v in s.components.items()},
        "distance_km": None if s.distance_km is None else round(s.distance_km, 2),
        "distance_is_straight_line": True,
        "matched_occupation": s.matched_occupation,
        "reasons_sv": list(s.reasons_sv),
        "reasons_en": list(s.reasons_en),
    }


def result_json(result: RankingResult) -> dict[str, Any]:
    """A whole RankingResult as JSON: three lists and the hard-constraint counts."""
    return {
        "participant_id": result.participant_id,
        "practice_included": result.practice_included,
        "openings": [suggestion_json(s) for s in result.openings],
        "practice": [suggestion_json(s) for s in result.practice],
        "employers": [suggestion_json(s) for s in result.employers],
        "exclusions": [
            {
                "kind": e.kind.value,
                "reason": e.reason.value,
                "detail": e.detail,
                "count": e.count,
                "text_sv": e.text_sv,
                "text_en": e.text_en,
            }  # fmt: skip
            for e in result.exclusions
        ],
    }
