"""A participant's dealings with the employer register: decisions on suggestions, the employer
contacts made or planned for them, and what those mean for the register (places promised, the
first face-to-face contact that stops the 30-day clock).

Only the register's tables are used here (foreign keys cross anyway); building matcher offers
from the register is employers/adapters.py's job, and service/ joins the two.
"""

from __future__ import annotations

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
from profiles import audit
from profiles import service as profiles_service
from profiles.errors import ContactNotFound, FieldErrors, OfferNotFound, VersionConflict
from profiles.models import Decision, Placement, SuggestionDecision, User
from profiles.schemas import DecisionCreate, EmployerContactIn


# ------------------------------------------------------------------ the register as offers
def taken_places(session: Session) -> dict[str, int]:
    """Offer id -> participants it is promised to (their newest decision on it is an accept)."""
    # A practice slot or opening accepted for one participant is not offered to more
    # participants than it has places; employers have no places to run out of.
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
    """A value that changes whenever anything the offers are built from changes."""
    # Cheap aggregate queries, so a cached matcher can be checked on every page.
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
    """The employer behind a suggestion and a title for it; OfferNotFound if it is gone."""
    if kind == "opening":
        opening = session.get(Opening, ref_id)
        if opening is None:
            raise OfferNotFound(f"opening {ref_id} not found")
        employer, title = session.get(Employer, opening.employer_id), opening.title
    elif kind == "practice":
        slot = session.get(PracticeSlot, ref_id)
        if slot is None:
            raise OfferNotFound(f"practice slot {ref_id} not found")
        employer, title = session.get(Employer, slot.employer_id), slot.title
    else:
        employer = session.get(Employer, ref_id)
        title = employer.name if employer else ""
    if employer is None:
        raise OfferNotFound(f"employer of {kind}:{ref_id} not found")
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
    """Log an employer contact made or planned for a participant (the register's contact log)."""
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
        raise ContactNotFound(f"contact {contact_id} not found")
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
