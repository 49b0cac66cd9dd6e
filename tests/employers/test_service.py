from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from employers import service
from employers.errors import EmployerNotFound, MergeError, VersionConflict
from employers.models import (
    ContactMode,
    ContactStatus,
    Employer,
    EmployerContact,
    Opening,
    OpeningStatus,
    PracticeSlot,
)
from employers.relationship import RelationshipStatus
from employers.schemas import (
    ContactCreate,
    ContactPersonCreate,
    EmployerUpdate,
    OpeningCreate,
    OpeningUpdate,
    SlotCreate,
    WorkplaceCreate,
)
from tests.employers.conftest import ORG_A


def test_create_resolves_nothing_but_validates_municipality(session: Session, make_employer):
    with pytest.raises(ValueError, match="municipality_code"):
        make_employer("Nowhere AB", municipality_code="9999")
    assert session.exec(select(Employer)).all() == []


def test_same_org_number_is_refused_with_the_existing_employer(make_employer):
    first = make_employer("Lagerhuset AB", org_number=ORG_A)
    with pytest.raises(service.DuplicateEmployer) as info:
        make_employer("Lagerhuset i Karlstad", org_number=ORG_A)
    assert info.value.duplicates[0].employer_id == first.id
    assert "org_number" in str(info.value)


def test_stale_update_conflicts_and_changes_nothing(session: Session, make_employer):
    employer = make_employer("Bageriet AB")
    assert employer.version == 1
    first = service.update_employer(
        session, employer_id=employer.id, data=EmployerUpdate(version=1, trade="Bageri")
    )
    assert first.version == 2
    with pytest.raises(VersionConflict) as info:
        service.update_employer(
            session, employer_id=employer.id, data=EmployerUpdate(version=1, trade="Konditori")
        )
    conflict = info.value
    assert (conflict.expected_version, conflict.current_version) == (1, 2)
    assert conflict.current["trade"] == "Bageri"
    assert conflict.submitted["trade"] == "Konditori"
    session.expire_all()
    assert service.get_employer(session, employer_id=employer.id).trade == "Bageri"


def test_update_applies_only_set_fields(session: Session, make_employer):
    employer = make_employer("Café Solen", trade="Café", address="Storgatan 1")
    updated = service.update_employer(
        session, employer_id=employer.id, data=EmployerUpdate(version=1, address="Torget 2")
    )
    assert (updated.trade, updated.address) == ("Café", "Torget 2")


def test_opening_conflict_and_closing_keeps_history(session: Session, make_employer):
    employer = make_employer()
    opening = service.create_opening(
        session, data=OpeningCreate(employer_id=employer.id, title="Lagerarbetare")
    )
    assert opening.occupation_ids, "title resolved to taxonomy occupations"
    assert "4322" in opening.ssyk4_codes
    service.update_opening(
        session, opening_id=opening.id, data=OpeningUpdate(version=1, hours_per_week=30)
    )
    with pytest.raises(VersionConflict):
        service.update_opening(
            session, opening_id=opening.id, data=OpeningUpdate(version=1, hours_per_week=20)
        )
    closed = service.close_opening(
        session, opening_id=opening.id, version=2, status=OpeningStatus.filled
    )
    assert closed.status == OpeningStatus.filled
    assert closed.closed_at is not None
    assert closed.hours_per_week == 30
    assert session.get(Opening, opening.id) is not None
    assert service.list_openings(session, employer_id=employer.id) == [closed]
    assert service.list_openings(session, status=OpeningStatus.open) == []


def test_slot_period_is_checked(session: Session, make_employer):
    employer = make_employer()
    with pytest.raises(ValueError, match="period_end"):
        SlotCreate(
            employer_id=employer.id,
            title="Praktik lager",
            period_start=date(2025, 3, 1),
            period_end=date(2025, 2, 1),
        )
    slot = service.create_slot(
        session,
        data=SlotCreate(employer_id=employer.id, title="Praktik i butik", capacity=2),
    )
    assert slot.capacity == 2 and slot.version == 1


def _add_everything(session: Session, employer: Employer, user_id=None) -> None:
    service.add_workplace(session, employer_id=employer.id, data=WorkplaceCreate(name="Lager Norr"))
    service.add_contact_person(
        session, employer_id=employer.id, data=ContactPersonCreate(name="Kim Testsson")
    )
    service.log_contact(
        session,
        employer_id=employer.id,
        data=ContactCreate(contact_date=date(2025, 1, 10), mode=ContactMode.visit),
        made_by_id=user_id,
    )
    service.create_opening(
        session, data=OpeningCreate(employer_id=employer.id, title="Truckförare")
    )
    service.create_slot(session, data=SlotCreate(employer_id=employer.id, title="Praktik"))


def test_merge_keeps_every_contact_and_opening(session: Session, make_employer):
    keep = make_employer("ICA Maxi Karlstad", trade="Dagligvaror")
    gone = make_employer("ICA Maxi Karlstad AB", org_number=ORG_A, address="Bergvik 1")
    _add_everything(session, keep)
    _add_everything(session, gone)
    merged_before = make_employer("Ica Maxi (gammal post)")
    service.merge_employers(
        session, keep_id=gone.id, merge_id=merged_before.id, keep_version=1, merge_version=1
    )
    dups = service.employer_duplicates(session, employer_id=keep.id)
    assert [d.employer_id for d in dups] == [gone.id]

    result = service.merge_employers(
        session, keep_id=keep.id, merge_id=gone.id, keep_version=1, merge_version=2
    )
    assert result.org_number == ORG_A and result.address == "Bergvik 1"
    assert result.trade == "Dagligvaror"
    contacts = session.exec(select(EmployerContact)).all()
    assert len(contacts) == 2 and {c.employer_id for c in contacts} == {keep.id}
    assert {o.employer_id for o in session.exec(select(Opening))} == {keep.id}
    assert len(session.exec(select(Opening)).all()) == 2
    assert {s.employer_id for s in session.exec(select(PracticeSlot))} == {keep.id}
    assert len(service.list_workplaces(session, employer_id=keep.id)) == 2
    assert len(service.list_contact_persons(session, employer_id=keep.id)) == 2
    gone_row = service.get_employer(session, employer_id=gone.id)
    assert gone_row.merged_into_id == keep.id
    assert service.get_employer(session, employer_id=merged_before.id).merged_into_id == keep.id
    names = [r.employer.name for r in service.list_employers(session)]
    assert names == ["ICA Maxi Karlstad"]
    with pytest.raises(EmployerNotFound, match="merged"):
        service.get_active_employer(session, employer_id=gone.id)


def test_merge_with_stale_version_changes_nothing(session: Session, make_employer):
    keep = make_employer("A")
    gone = make_employer("B")
    service.log_contact(
        session,
        employer_id=gone.id,
        data=ContactCreate(contact_date=date(2025, 1, 1)),
        made_by_id=None,
    )
    with pytest.raises(VersionConflict):
        service.merge_employers(
            session, keep_id=keep.id, merge_id=gone.id, keep_version=1, merge_version=7
        )
    session.expire_all()
    assert service.get_employer(session, employer_id=keep.id).version == 1
    assert service.get_employer(session, employer_id=gone.id).merged_into_id is None
    assert session.exec(select(EmployerContact)).one().employer_id == gone.id
    with pytest.raises(MergeError):
        service.merge_employers(
            session, keep_id=keep.id, merge_id=keep.id, keep_version=1, merge_version=1
        )


def test_contact_log_and_relationship(session: Session, make_employer):
    today = date(2025, 6, 1)
    employer = make_employer()
    rows = service.list_employers(session, today=today)
    assert rows[0].relationship.status == RelationshipStatus.new
    for days in (5, 30, 60):
        service.log_contact(
            session,
            employer_id=employer.id,
            data=ContactCreate(contact_date=today - timedelta(days=days), mode=ContactMode.visit),
            made_by_id=None,
        )
    service.log_contact(
        session,
        employer_id=employer.id,
        data=ContactCreate(
            contact_date=today + timedelta(days=3), status=ContactStatus.planned, next_step="Möte"
        ),
        made_by_id=None,
    )
    rows = service.list_employers(session, today=today)
    assert rows[0].relationship.status == RelationshipStatus.active_partner
    assert rows[0].relationship.last_contact_date == today - timedelta(days=5)
    timeline = service.list_contacts(session, employer_id=employer.id)
    assert [c.contact_date for c in timeline] == sorted(
        (c.contact_date for c in timeline), reverse=True
    )
    filtered = service.list_employers(session, today=today, status=RelationshipStatus.dormant)
    assert filtered == []


def test_contact_with_unknown_participant_is_refused(session: Session, make_employer):
    employer = make_employer()
    with pytest.raises(ValueError, match="participant_id"):
        service.log_contact(
            session,
            employer_id=employer.id,
            data=ContactCreate(contact_date=date(2025, 1, 1), participant_id=999),
            made_by_id=None,
        )
    assert session.exec(select(EmployerContact)).all() == []


def test_list_search_and_filters(session: Session, make_employer):
    make_employer("Vårdhemmet Solgläntan", trade="Äldreomsorg", ssyk4_codes=["5321"])
    make_employer("Bilverkstan", municipality_code="1761", trade="Bilreparationer")
    assert [r.employer.name for r in service.list_employers(session, q="solg")] == [
        "Vårdhemmet Solgläntan"
    ]
    assert [r.employer.name for r in service.list_employers(session, q="äldre")] == [
        "Vårdhemmet Solgläntan"
    ]
    assert [r.employer.name for r in service.list_employers(session, municipality_code="1761")] == [
        "Bilverkstan"
    ]
    assert [r.employer.name for r in service.list_employers(session, ssyk4_code="5321")] == [
        "Vårdhemmet Solgläntan"
    ]


def test_similar_names_known_answers():
    from employers.duplicates import name_key, similar_names

    assert name_key("ICA Maxi Karlstad AB") == "ica maxi karlstad"
    hits = similar_names(
        "Karlstads Bygg & Måleri AB",
        [
            "Karlstad Bygg och Måleri",
            "Karlstads Bygg AB",
            "Coop Karlstad",
            "Karlstads bygg & måleri",
        ],
    )
    assert [i for i, _ in hits] == [3, 0]
    # Numbered branches are different workplaces, not duplicates.
    assert similar_names("Lager 5 AB", ["Lager 7 AB", "Lager 5"]) == [(1, 100.0)]


def test_employer_choices_leave_out_merged_duplicates_and_are_by_name(session, make_employer):
    lager = make_employer("Värmlands Lager AB")
    make_employer("Restaurang Sandgrund")
    make_employer("Klarälvens Städ AB")
    session.add(Employer(name="Aaa Lager (dubblett)", merged_into_id=lager.id))
    session.commit()
    names = [e.name for e in service.employer_choices(session)]
    assert names == ["Klarälvens Städ AB", "Restaurang Sandgrund", "Värmlands Lager AB"]


def test_employer_names_of_the_given_ids(session, make_employer):
    lager = make_employer("Värmlands Lager AB")
    krog = make_employer("Restaurang Sandgrund")
    make_employer("Klarälvens Städ AB")
    assert service.employer_names(session, employer_ids={lager.id, krog.id, 999}) == {
        lager.id: "Värmlands Lager AB",
        krog.id: "Restaurang Sandgrund",
    }
    assert service.employer_names(session, employer_ids=set()) == {}
