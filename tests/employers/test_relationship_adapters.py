from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from employers import service
from employers.adapters import load_offers, opening_to_offer, slot_to_offer
from employers.models import ContactMode, ContactStatus, Employer, Opening, PracticeSlot
from employers.relationship import ContactFact, RelationshipStatus, assess
from employers.schemas import ContactCreate, OpeningCreate, SlotCreate
from matching.types import EmploymentForm, PhysicalDemand, Schedule, SuggestionKind

TODAY = date(2025, 6, 1)


def fact(days_ago: int, mode=ContactMode.visit, status=ContactStatus.done) -> ContactFact:
    return ContactFact(TODAY - timedelta(days=days_ago), mode, status)


def test_status_rules_known_answers():
    assert assess([], today=TODAY).status == RelationshipStatus.new
    assert assess([fact(1, status=ContactStatus.planned)], today=TODAY).status == "new"
    assert assess([fact(10, ContactMode.phone)], today=TODAY).status == RelationshipStatus.warm
    assert assess([fact(200)], today=TODAY).status == RelationshipStatus.dormant
    three = [fact(5), fact(40, ContactMode.meeting), fact(90)]
    assert assess(three, today=TODAY).status == RelationshipStatus.active_partner
    hired = assess([fact(20, ContactMode.email)], today=TODAY, hire_dates=[TODAY - timedelta(50)])
    assert hired.status == RelationshipStatus.active_partner


def test_warmth_known_answer():
    # One visit today: recency 1 -> 0.5, frequency 1/4 -> 0.075, no hires.
    assert assess([fact(0)], today=TODAY).warmth == pytest.approx(0.575)
    assert assess([], today=TODAY).warmth == 0.0


@given(
    days=st.lists(st.integers(0, 800), max_size=8),
    extra=st.integers(0, 800),
    hires=st.lists(st.integers(0, 800), max_size=3),
)
def test_warmth_in_range_and_never_lowered_by_another_contact(days, extra, hires):
    hire_dates = [TODAY - timedelta(d) for d in hires]
    before = assess([fact(d) for d in days], today=TODAY, hire_dates=hire_dates)
    after = assess([fact(d) for d in [*days, extra]], today=TODAY, hire_dates=hire_dates)
    assert 0.0 <= before.warmth <= 1.0
    assert after.warmth >= before.warmth


def test_opening_and_slot_to_offer():
    employer = Employer(id=3, name="Lagret", municipality_code="1780")
    opening = Opening(
        id=9,
        employer_id=3,
        title="Lagerarbetare",
        occupation_ids=["x1"],
        ssyk4_codes=["4322"],
        schedules=["day", "night"],
        required_licences=["B"],
        required_languages=["Svenska:4", "Engelska"],
        physical_demand="heavy",
        conditions=["heavy_lifting"],
        employment_form="subsidised",
        subsidy_type="lönebidrag",
        vacancies=2,
    )
    offer = opening_to_offer(opening, employer, warmth=0.4, taken=1)
    assert offer.offer_id == "opening:9" and offer.kind is SuggestionKind.OPENING
    assert offer.employment_form is EmploymentForm.SUBSIDISED
    assert offer.subsidy_label == "lönebidrag"
    assert offer.schedules == {Schedule.DAY, Schedule.NIGHT}
    assert "night_work" in offer.all_conditions
    assert offer.physical_demand is PhysicalDemand.HEAVY
    assert [(lang.name, lang.level) for lang in offer.required_languages] == [
        ("Svenska", 4),
        ("Engelska", 3),
    ]
    assert offer.free_capacity == 1 and offer.relationship_warmth == 0.4
    # No coordinates anywhere: the municipality's representative point stands in.
    assert offer.place is not None and offer.place.municipality_code == "1780"
    slot = PracticeSlot(id=4, employer_id=3, title="Praktik", capacity=2, status="closed")
    practice = slot_to_offer(slot, employer)
    assert practice.kind is SuggestionKind.PRACTICE and not practice.is_open
    assert practice.employment_form is EmploymentForm.PRACTICE


def test_load_offers_from_register(session: Session, make_employer):
    employer = make_employer("Lagret i Karlstad", ssyk4_codes=["4322"], lat=59.38, lon=13.5)
    service.create_opening(
        session, data=OpeningCreate(employer_id=employer.id, title="Truckförare")
    )
    closed = service.create_opening(
        session, data=OpeningCreate(employer_id=employer.id, title="Lagerarbetare")
    )
    service.close_opening(session, opening_id=closed.id, version=1, status="closed")
    slot = service.create_slot(
        session, data=SlotCreate(employer_id=employer.id, title="Praktik lager", capacity=2)
    )
    service.log_contact(
        session,
        employer_id=employer.id,
        data=ContactCreate(contact_date=date.today(), mode=ContactMode.visit),
        made_by_id=None,
    )
    gone = make_employer("Gammal post")
    service.merge_employers(
        session, keep_id=employer.id, merge_id=gone.id, keep_version=1, merge_version=1
    )
    offers = load_offers(session, taken={f"practice:{slot.id}": 2})
    kinds = sorted(o.offer_id.split(":")[0] for o in offers)
    assert kinds == ["employer", "opening", "practice"]
    by_kind = {o.kind: o for o in offers}
    assert by_kind[SuggestionKind.PRACTICE].free_capacity == 0
    hidden = by_kind[SuggestionKind.EMPLOYER]
    assert hidden.relationship_warmth > 0.5
    assert hidden.demand_2024 is not None and hidden.demand_2024 > 0  # real 2024 ads, Karlstad
    assert hidden.place is not None and hidden.place.lat == pytest.approx(59.38)
