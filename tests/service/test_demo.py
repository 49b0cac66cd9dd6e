"""The demo municipality: deterministic, complete, plausible and free of protected attributes."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from rich.console import Console
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from employers.models import (
    FACE_TO_FACE_MODES,
    ContactStatus,
    Employer,
    EmployerContact,
    Opening,
    PracticeSlot,
    Workplace,
)
from matching import places
from matching.geo import haversine_km
from matching.types import CONDITION_TAGS, Schedule, Transport
from matching.vocabulary import load_vocabulary
from profiles.models import (
    CareerProfile,
    Decision,
    Participant,
    Placement,
    PlacementKind,
    Role,
    SuggestionDecision,
    User,
)
from service import db
from service.demo import (
    DEMO_PASSWORD,
    RADIUS_KM,
    WISHES,
    fill_demo_if_empty,
    generate_demo,
    resolve_wish,
)
from service.security import verify_password

TODAY = date(2025, 3, 14)
QUIET = Console(file=io.StringIO())


def _fresh_engine() -> Engine:
    engine = db.make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    return engine


@pytest.fixture(scope="module")
def demo() -> Iterator[Session]:
    engine = _fresh_engine()
    with Session(engine) as session:
        generate_demo(session, seed=7, town="Karlstad", today=TODAY, console=QUIET)
        yield session
    engine.dispose()


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(digits):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def test_same_seed_same_municipality_on_any_database(session: Session, demo: Session) -> None:
    summary = generate_demo(session, seed=7, town="Karlstad", today=TODAY, console=QUIET)
    codes = [p.code for p in session.exec(select(Participant).order_by(Participant.code))]
    assert codes == [p.code for p in demo.exec(select(Participant).order_by(Participant.code))]
    assert codes == [f"K-{i:04d}" for i in range(1, 41)]
    for table in (Employer, Opening, PracticeSlot, EmployerContact, Placement, SuggestionDecision):
        assert len(session.exec(select(table)).all()) == len(demo.exec(select(table)).all())
    names = sorted((e.name, e.org_number) for e in session.exec(select(Employer)))
    assert names == sorted((e.name, e.org_number) for e in demo.exec(select(Employer)))
    assert summary["participants"] == 40
    assert summary["employers"] == 200


def test_another_seed_gives_another_municipality(demo: Session) -> None:
    engine = _fresh_engine()
    with Session(engine) as other:
        generate_demo(other, seed=8, town="Karlstad", today=TODAY, console=QUIET)
        mine = {e.name for e in demo.exec(select(Employer))}
        theirs = {e.name for e in other.exec(select(Employer))}
    engine.dispose()
    assert mine != theirs


def test_one_user_per_role_with_the_demo_password(demo: Session) -> None:
    users = demo.exec(select(User)).all()
    roles = Counter(u.role for u in users)
    assert roles == {Role.coach: 3, Role.liaison: 1, Role.evaluator: 1, Role.admin: 1}
    assert all(verify_password(h, DEMO_PASSWORD) for h in {u.password_hash for u in users})


def test_every_wish_resolves_to_taxonomy_occupations() -> None:
    vocabulary = load_vocabulary()
    for wish in WISHES:
        found = resolve_wish(vocabulary, wish)
        assert len(found) == len(wish.labels), wish.text
        assert all(o.label in wish.labels for o in found)


def test_every_participant_has_a_resolved_profile(demo: Session) -> None:
    vocabulary = load_vocabulary()
    participants = demo.exec(select(Participant)).all()
    coaches = {u.id for u in demo.exec(select(User).where(User.role == Role.coach))}
    caseloads = Counter(p.coach_id for p in participants)
    assert set(caseloads) == coaches and min(caseloads.values()) >= 10
    for participant in participants:
        profile = demo.exec(
            select(CareerProfile).where(CareerProfile.participant_id == participant.id)
        ).one()
        assert profile.wished_texts and profile.occupation_ids
        assert all(o in vocabulary for o in profile.occupation_ids)
        assert set(profile.refusals) <= set(CONDITION_TAGS)
        assert set(profile.schedules) <= {s.value for s in Schedule} and profile.schedules
        assert set(profile.transports) <= {t.value for t in Transport}
        assert profile.hours_min is not None and profile.hours_max is not None
        assert 0 < profile.hours_min <= profile.hours_max <= 40
        assert profile.home_lat is not None and profile.home_lon is not None
        town = places.municipality("1780")
        assert haversine_km(town.lat, town.lon, profile.home_lat, profile.home_lon) < RADIUS_KM
        assert any(lang["name"] == "Svenska" for lang in profile.languages)
    texts = {t for p in demo.exec(select(CareerProfile)) for t in p.wished_texts}
    assert len(texts) >= 15  # the caseload wants many different things


def test_the_thirty_day_clock_has_every_state(demo: Session) -> None:
    first_contact: dict[int, date] = {}
    for contact in demo.exec(select(EmployerContact)):
        if (
            contact.participant_id is not None
            and contact.mode in FACE_TO_FACE_MODES
            and contact.status is ContactStatus.done
        ):
            pid = contact.participant_id
            first_contact[pid] = min(
                first_contact.get(pid, contact.contact_date), contact.contact_date
            )
    participants = demo.exec(select(Participant)).all()
    entries = [p.entry_date for p in participants]
    assert min(entries) >= TODAY - timedelta(days=14 * 31)
    assert max(entries) <= TODAY
    recent = [p for p in participants if (TODAY - p.entry_date).days < 30]
    overdue = [
        p for p in participants if (TODAY - p.entry_date).days > 30 and p.id not in first_contact
    ]
    in_time = [
        p
        for p in participants
        if p.id in first_contact and (first_contact[p.id] - p.entry_date).days <= 30
    ]
    assert len(recent) >= 3
    assert 1 <= len(overdue) <= 10
    assert len(in_time) >= 20
    for pid, day in first_contact.items():
        entry = next(p.entry_date for p in participants if p.id == pid)
        assert entry <= day <= TODAY


def test_employers_are_real_trades_near_the_town_with_valid_org_numbers(demo: Session) -> None:
    vocabulary = load_vocabulary()
    employers = demo.exec(select(Employer)).all()
    assert len(employers) == 200
    near = {m.code for m, _ in places.municipalities_near("1780", RADIUS_KM)}
    numbers = [e.org_number for e in employers]
    assert len(set(numbers)) == len(numbers)
    assert len({e.name for e in employers}) == len(employers)
    for employer in employers:
        assert employer.org_number is not None
        assert re.fullmatch(r"\d{6}-\d{4}", employer.org_number)
        digits = employer.org_number.replace("-", "")
        assert _luhn_ok(digits), employer.org_number
        assert int(digits[2]) >= 2  # a legal entity, never a personal identity number
        assert employer.municipality_code in near
        assert employer.occupation_ids and all(o in vocabulary for o in employer.occupation_ids)
        for ssyk4 in employer.ssyk4_codes:
            assert ssyk4 in vocabulary.groups
        # drawn from the 2024 ad counts: the main group had ads in that municipality
        assert any(
            places.ad_count_2024(s, employer.municipality_code) for s in employer.ssyk4_codes
        )
    for workplace in demo.exec(select(Workplace)):
        home = places.municipality(workplace.municipality_code)
        assert haversine_km(home.lat, home.lon, workplace.lat, workplace.lon) < 45


def test_florists_work_in_flower_shops(demo: Session) -> None:
    """A florist's workplace is a flower shop, never the sports or hardware shop that the
    general trade of its group (5223, specialised shops) would make of it."""
    vocabulary = load_vocabulary()
    florist = {o.occupation_id for o in vocabulary.in_group("5223") if o.label == "Florist"}
    employers = demo.exec(select(Employer)).all()
    with_florists = [e for e in employers if florist & set(e.occupation_ids)]
    assert with_florists  # the demo caseload has a wish "blommor"
    for employer in with_florists:
        assert employer.trade == "Blomsterhandel", (employer.name, employer.trade)
    for employer in employers:
        if employer.trade == "Blomsterhandel":
            assert set(employer.occupation_ids) <= florist


def test_openings_and_slots_are_well_formed(demo: Session) -> None:
    vocabulary = load_vocabulary()
    openings = demo.exec(select(Opening)).all()
    assert len(openings) >= 150
    forms = Counter(o.employment_form.value for o in openings)
    assert forms["competitive"] > forms["subsidised"] > 0
    for opening in openings:
        assert opening.title and opening.occupation_ids[0] in vocabulary
        assert set(opening.conditions) <= set(CONDITION_TAGS)
        assert set(opening.schedules) <= {s.value for s in Schedule}
        assert (opening.subsidy_type is not None) == (opening.employment_form.value == "subsidised")
        assert opening.deadline and opening.published_date and opening.published_date <= TODAY
    open_now = [o for o in openings if o.status.value == "open" and o.deadline >= TODAY]
    assert len(open_now) >= 50
    slots = demo.exec(select(PracticeSlot)).all()
    assert len(slots) >= 20
    for slot in slots:
        assert slot.capacity >= 1 and slot.period_start < slot.period_end


def test_practice_capacity_is_never_exceeded(demo: Session) -> None:
    taken: Counter[int] = Counter()
    for placement in demo.exec(select(Placement).where(Placement.practice_slot_id.is_not(None))):
        taken[placement.practice_slot_id] += 1
    for decision in demo.exec(
        select(SuggestionDecision).where(
            SuggestionDecision.kind == "practice", SuggestionDecision.decision == Decision.accepted
        )
    ):
        taken[int(decision.offer_ref.split(":")[1])] += 1
    for slot in demo.exec(select(PracticeSlot)):
        assert taken[slot.id] <= slot.capacity


def test_openings_are_not_promised_beyond_their_vacancies(demo: Session) -> None:
    from profiles.coaching import taken_places

    vacancies = {f"opening:{o.id}": o.vacancies for o in demo.exec(select(Opening))}
    capacity = {f"practice:{s.id}": s.capacity for s in demo.exec(select(PracticeSlot))}
    taken = taken_places(demo)
    assert taken  # some offers are promised
    for ref, count in taken.items():
        assert count <= {**vacancies, **capacity}[ref], ref


def test_the_engine_finds_suggestions_for_the_demo_caseload(demo: Session) -> None:
    from employers.adapters import load_offers
    from matching.ranking import Matcher
    from matching.vocabulary import default_matcher
    from profiles.adapters import to_preferences

    offers = load_offers(demo, today=TODAY)
    assert len(offers) >= 300
    matcher = Matcher(top_k=5).fit(offers, vocabulary=default_matcher())
    with_openings = with_employers = 0
    for participant in demo.exec(select(Participant)):
        profile = demo.exec(
            select(CareerProfile).where(CareerProfile.participant_id == participant.id)
        ).one()
        result = matcher.rank(to_preferences(profile, participant_id=participant.code), today=TODAY)
        with_employers += bool(result.employers)
        with_openings += bool(result.openings)
    assert with_openings >= 30 and with_employers >= 36


def test_history_has_placements_endings_and_follow_along(demo: Session) -> None:
    placements = demo.exec(select(Placement)).all()
    kinds = Counter(p.kind for p in placements)
    assert (
        kinds[PlacementKind.competitive] >= max(kinds.values())
        and kinds[PlacementKind.competitive] >= 8
    )
    assert any(p.end_date and p.end_reason for p in placements)
    participants = {p.id: p for p in demo.exec(select(Participant))}
    for placement in placements:
        assert participants[placement.participant_id].entry_date < placement.start_date <= TODAY
        assert placement.end_date is None or placement.start_date <= placement.end_date <= TODAY
    contacts = demo.exec(select(EmployerContact)).all()
    assert len(contacts) >= 400
    days = [c.contact_date for c in contacts]
    assert min(days) <= TODAY - timedelta(days=330)
    general = sum(c.participant_id is None for c in contacts)
    assert general > len(contacts) / 2  # most contacts are general job development
    makers = Counter(c.made_by_id for c in contacts)
    assert len(makers) == 4  # three coaches and the liaison
    assert any(c.status is ContactStatus.planned and c.contact_date > TODAY for c in contacts)
    decisions = demo.exec(select(SuggestionDecision)).all()
    assert {d.decision for d in decisions} == set(Decision)
    assert all(d.reason_code for d in decisions if d.decision is Decision.declined)


def test_no_protected_attributes_anywhere(demo: Session) -> None:
    protected = re.compile(
        r"\b(age|ålder|sex|kön|gender|ethnic|etnicitet|religion|diagnos\w*|personnummer|"
        r"schizofreni|bipolär|depression|psykos|adhd|autism)\b",
        re.IGNORECASE,
    )
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            assert not protected.search(column.name.replace("_", " ")), (table.name, column.name)
    for profile in demo.exec(select(CareerProfile)):
        text = " ".join(
            str(v)
            for v in (
                profile.enjoys,
                profile.refusals_text,
                profile.work_history,
                profile.education,
                profile.strengths,
                profile.accommodations,
                *profile.wished_texts,
            )
            if v
        )
        assert not protected.search(text), text


def test_fill_demo_if_empty_prints_log_ins_and_refuses_a_filled_database() -> None:
    engine = _fresh_engine()
    out = io.StringIO()
    summary = fill_demo_if_empty(engine, seed=3, town="Karlstad", console=Console(file=out))
    assert summary is not None and summary["participants"] == 40
    printed = out.getvalue()
    assert "coach1" in printed and "liaison" in printed and DEMO_PASSWORD in printed
    again = fill_demo_if_empty(engine, seed=3, town="Karlstad", console=QUIET)
    assert again is None
    with Session(engine) as session:
        assert len(session.exec(select(Participant)).all()) == 40
    engine.dispose()


def test_an_unknown_town_is_refused(session: Session) -> None:
    with pytest.raises(places.UnknownMunicipality):
        generate_demo(session, seed=1, town="Atlantis", today=TODAY, console=QUIET)
