"""profiles.coaching: decisions on suggestions, a participant's employer contacts and what they
mean for the register (places promised, the first face-to-face contact)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from employers.models import ContactMode, ContactStatus, Employer, EmployerContact, Opening
from profiles import coaching
from profiles.errors import (
    ContactNotFound,
    FieldErrors,
    OfferNotFound,
    ParticipantAccessDenied,
    VersionConflict,
)
from profiles.models import AuditLogEntry, Decision, Role, SuggestionDecision, User
from profiles.schemas import DecisionCreate, EmployerContactIn
from tests.profiles.factories import make_participant, make_register

TODAY = date.today()


@pytest.fixture
def coach(session: Session) -> User:
    user = User(username="coach", display_name="Coach", role=Role.coach, password_hash="x")
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def _contact(
    session: Session, employer: Employer, participant_id: int, **fields
) -> EmployerContact:
    contact = EmployerContact(employer_id=employer.id, participant_id=participant_id, **fields)
    session.add(contact)
    session.commit()
    session.refresh(contact)
    return contact


def _decide(
    session: Session,
    user: User,
    participant_id: int,
    ref: str,
    decision: Decision,
    today: date | None = None,
):
    reason = {"reason_code": "other", "reason_text": "nej"} if decision is Decision.declined else {}
    data = DecisionCreate(offer_ref=ref, decision=decision, **reason)
    return coaching.decide(
        session, user=user, participant_id=participant_id, data=data, today=today
    )


# ------------------------------------------------------------------ places taken
def test_taken_places_counts_participants_whose_newest_decision_is_an_accept(session, coach):
    reg = make_register(session)
    a = make_participant(session, coach, code="P-A")
    b = make_participant(session, coach, code="P-B")
    slot, day, krog = f"practice:{reg['slot'].id}", f"opening:{reg['day'].id}", reg["krog"].id
    _decide(session, coach, a.id, slot, Decision.accepted)
    _decide(session, coach, b.id, slot, Decision.accepted)
    _decide(session, coach, a.id, day, Decision.accepted)
    _decide(session, coach, a.id, day, Decision.declined)  # changed their mind: the place is free
    _decide(session, coach, b.id, f"employer:{krog}", Decision.accepted)  # employers have no places
    assert coaching.taken_places(session) == {slot: 2}


def test_taken_places_of_an_empty_register_is_empty(session):
    assert coaching.taken_places(session) == {}


def test_register_signature_changes_with_the_register_only(session, coach):
    reg = make_register(session)
    p = make_participant(session, coach)
    before = coaching.register_signature(session)
    assert coaching.register_signature(session) == before
    session.add(Opening(employer_id=reg["lager"].id, title="Truckförare", municipality_code="1780"))
    session.commit()
    added = coaching.register_signature(session)
    assert added != before
    contact = _contact(session, reg["krog"], p.id, contact_date=TODAY, status=ContactStatus.planned)
    assert coaching.register_signature(session) != added
    planned = coaching.register_signature(session)
    coaching.complete_contact(
        session, user=coach, participant_id=p.id, contact_id=contact.id, version=contact.version
    )
    assert coaching.register_signature(session) != planned


# ------------------------------------------------------------------ 30-day clock
def test_first_contact_dates_are_the_earliest_face_to_face_contacts_made(session, coach):
    reg = make_register(session)
    a = make_participant(session, coach, code="P-A")
    b = make_participant(session, coach, code="P-B")
    c = make_participant(session, coach, code="P-C")
    lager = reg["lager"]
    _contact(session, lager, a.id, contact_date=TODAY - timedelta(days=3), mode=ContactMode.visit)
    _contact(session, lager, a.id, contact_date=TODAY - timedelta(days=5), mode=ContactMode.meeting)
    _contact(session, lager, a.id, contact_date=TODAY - timedelta(days=9), mode=ContactMode.phone)
    _contact(session, lager, b.id, contact_date=TODAY - timedelta(days=2), mode=ContactMode.email)
    _contact(
        session, lager, c.id, contact_date=TODAY - timedelta(days=1), status=ContactStatus.planned
    )
    _contact(session, lager, None, contact_date=TODAY - timedelta(days=8))  # no participant
    assert coaching.first_contact_dates(session) == {a.id: TODAY - timedelta(days=5)}


# ------------------------------------------------------------------ decisions
def test_offer_employer_names_the_employer_and_title_of_each_kind(session):
    reg = make_register(session)
    lager, stad, krog = reg["lager"], reg["stad"], reg["krog"]
    assert coaching.offer_employer(session, kind="opening", ref_id=reg["day"].id) == (
        lager,
        "Lagerarbetare dagtid",
    )
    assert coaching.offer_employer(session, kind="practice", ref_id=reg["slot"].id) == (
        stad,
        "Praktik städ",
    )
    assert coaching.offer_employer(session, kind="employer", ref_id=krog.id) == (
        krog,
        "Restaurang Sandgrund",
    )


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("opening", "opening 999 not found"),
        ("practice", "practice slot 999 not found"),
        ("employer", "employer of employer:999 not found"),
    ],
)
def test_offer_employer_of_a_vanished_offer_is_not_found(session, kind, message):
    make_register(session)
    with pytest.raises(OfferNotFound, match=message) as caught:
        coaching.offer_employer(session, kind=kind, ref_id=999)
    assert isinstance(caught.value, LookupError)  # answered with 404


def test_accepting_plans_an_employer_contact_in_two_days(session, coach):
    reg = make_register(session)
    p = make_participant(session, coach)
    decision = _decide(
        session, coach, p.id, f"opening:{reg['day'].id}", Decision.accepted, today=TODAY
    )
    assert decision.id is not None and decision.employer_id == reg["lager"].id
    contact = session.get(EmployerContact, decision.employer_contact_id)
    assert contact is not None
    assert (contact.employer_id, contact.participant_id, contact.made_by_id) == (
        reg["lager"].id,
        p.id,
        coach.id,
    )
    assert contact.status is ContactStatus.planned
    assert contact.contact_date == TODAY + timedelta(days=2)
    assert contact.purpose == "Förslag: Lagerarbetare dagtid"
    assert contact.disclosure_shown is True


def test_accepting_keeps_a_chosen_contact_date(session, coach):
    reg = make_register(session)
    p = make_participant(session, coach)
    data = DecisionCreate(
        offer_ref=f"employer:{reg['krog'].id}",
        decision=Decision.accepted,
        contact_date=date(2026, 3, 10),
    )
    decision = coaching.decide(
        session, user=coach, participant_id=p.id, data=data, today=date(2026, 3, 1)
    )
    contact = session.get(EmployerContact, decision.employer_contact_id)
    assert contact is not None and contact.contact_date == date(2026, 3, 10)


def test_a_contact_planned_in_the_past_writes_nothing(session, coach):
    reg = make_register(session)
    p = make_participant(session, coach)
    data = DecisionCreate(
        offer_ref=f"opening:{reg['day'].id}",
        decision=Decision.accepted,
        contact_date=TODAY - timedelta(days=1),
    )
    with pytest.raises(FieldErrors) as caught:
        coaching.decide(session, user=coach, participant_id=p.id, data=data)
    assert caught.value.errors == {"contact_date": "err_planned_in_past"}
    assert session.exec(select(EmployerContact)).all() == []
    assert session.exec(select(SuggestionDecision)).all() == []


def test_declining_plans_no_contact(session, coach):
    reg = make_register(session)
    p = make_participant(session, coach)
    decision = _decide(session, coach, p.id, f"opening:{reg['night'].id}", Decision.declined)
    assert decision.decision is Decision.declined and decision.employer_contact_id is None
    assert decision.employer_id == reg["lager"].id
    assert session.exec(select(EmployerContact)).all() == []


def test_deciding_on_a_vanished_offer_or_someone_elses_participant_fails(session, coach):
    make_register(session)
    p = make_participant(session, coach)
    with pytest.raises(OfferNotFound):
        _decide(session, coach, p.id, "opening:999", Decision.saved)
    other = User(username="other", display_name="Other", role=Role.coach, password_hash="x")
    session.add(other)
    session.commit()
    session.refresh(other)
    with pytest.raises(ParticipantAccessDenied):
        _decide(session, other, p.id, "opening:999", Decision.saved)
    assert session.exec(select(SuggestionDecision)).all() == []


# ------------------------------------------------------------------ employer contacts
def test_logging_a_contact_is_audited(session, coach):
    reg = make_register(session)
    p = make_participant(session, coach)
    data = EmployerContactIn(employer_id=reg["stad"].id, contact_date=TODAY, mode="phone")
    contact = coaching.log_employer_contact(session, user=coach, participant_id=p.id, data=data)
    assert contact.id is not None
    assert (contact.participant_id, contact.made_by_id, contact.mode) == (p.id, coach.id, "phone")
    entry = session.exec(
        select(AuditLogEntry).where(AuditLogEntry.entity == "employer_contact")
    ).one()
    assert (entry.action, entry.entity_id, entry.participant_id) == (
        "create",
        str(contact.id),
        p.id,
    )
    assert entry.detail == f"phone done {TODAY.isoformat()}"


def test_logging_a_contact_with_an_unknown_employer_is_a_field_error(session, coach):
    p = make_participant(session, coach)
    data = EmployerContactIn(employer_id=999, contact_date=TODAY)
    with pytest.raises(FieldErrors) as caught:
        coaching.log_employer_contact(session, user=coach, participant_id=p.id, data=data)
    assert caught.value.errors == {"employer_id": "err_not_found"}


def test_completing_a_contact_marks_it_done_today_at_the_latest(session, coach):
    reg = make_register(session)
    p = make_participant(session, coach)
    later = _contact(
        session,
        reg["lager"],
        p.id,
        contact_date=TODAY + timedelta(days=4),
        status=ContactStatus.planned,
    )
    before = date.today()
    done = coaching.complete_contact(
        session, user=coach, participant_id=p.id, contact_id=later.id, version=1
    )
    after = date.today()  # the same day, unless the test ran across midnight
    assert (done.status, done.version) == (ContactStatus.done, 2)
    assert done.contact_date in {before, after}
    earlier = _contact(
        session,
        reg["lager"],
        p.id,
        contact_date=TODAY - timedelta(days=4),
        status=ContactStatus.planned,
    )
    done = coaching.complete_contact(
        session, user=coach, participant_id=p.id, contact_id=earlier.id, version=1
    )
    assert done.contact_date == TODAY - timedelta(days=4)
    assert coaching.first_contact_dates(session) == {p.id: TODAY - timedelta(days=4)}


def test_completing_a_stale_or_foreign_contact_fails(session, coach):
    reg = make_register(session)
    p = make_participant(session, coach, code="P-A")
    q = make_participant(session, coach, code="P-B")
    contact = _contact(session, reg["lager"], p.id, contact_date=TODAY, status="planned")
    with pytest.raises(ContactNotFound, match=f"contact {contact.id} not found"):
        coaching.complete_contact(
            session, user=coach, participant_id=q.id, contact_id=contact.id, version=1
        )
    with pytest.raises(ContactNotFound):
        coaching.complete_contact(
            session, user=coach, participant_id=p.id, contact_id=999, version=1
        )
    with pytest.raises(VersionConflict) as caught:
        coaching.complete_contact(
            session, user=coach, participant_id=p.id, contact_id=contact.id, version=0
        )
    assert (caught.value.expected, caught.value.actual) == (0, 1)
    session.refresh(contact)
    assert contact.status is ContactStatus.planned


def test_participant_contacts_are_newest_first_with_the_employer_name(session, coach):
    reg = make_register(session)
    p = make_participant(session, coach, code="P-A")
    q = make_participant(session, coach, code="P-B")
    old = _contact(session, reg["stad"], p.id, contact_date=TODAY - timedelta(days=9))
    new = _contact(session, reg["lager"], p.id, contact_date=TODAY)
    same_day = _contact(session, reg["krog"], p.id, contact_date=TODAY)
    _contact(session, reg["krog"], q.id, contact_date=TODAY)
    rows = coaching.participant_contacts(session, participant_id=p.id)
    assert [(c.id, name) for c, name in rows] == [
        (same_day.id, "Restaurang Sandgrund"),
        (new.id, "Värmlands Lager AB"),
        (old.id, "Klarälvens Städ AB"),
    ]
