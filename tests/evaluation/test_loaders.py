"""The loaders read a small database into pseudonymised frames (SQLite, and PostgreSQL in CI)."""

import datetime as dt

from sqlmodel import Session

from employers.models import ContactMode, ContactStatus, Employer, EmployerContact
from evaluation.loaders import load_frames
from profiles.models import (
    Decision,
    FollowAlongContact,
    Participant,
    Placement,
    PlacementKind,
    Role,
    SuggestionDecision,
    User,
)

D = dt.date


def _fill(session: Session) -> dict[str, int]:
    coach = User(username="anna", display_name="Anna Coach", role=Role.coach, password_hash="x")
    idle = User(username="bo", display_name="Bo Coach", role=Role.coach, password_hash="x")
    liaison = User(username="cia", display_name="Cia", role=Role.liaison, password_hash="x")
    employer = Employer(name="Bageriet AB", municipality_code="1480")
    session.add_all([coach, idle, liaison, employer])
    session.flush()
    inside = Participant(
        code="P-001",
        entry_date=D(2025, 1, 10),
        coach_id=coach.id,
        municipality_code="1480",
        group_label="young adults",
    )
    left_before = Participant(code="P-002", entry_date=D(2024, 1, 1), exit_date=D(2024, 12, 1))
    later = Participant(code="P-003", entry_date=D(2025, 9, 1), coach_id=coach.id)
    session.add_all([inside, left_before, later])
    session.flush()
    decision = SuggestionDecision(
        participant_id=inside.id,
        kind="opening",
        offer_ref="opening:1",
        employer_id=employer.id,
        rank_shown=2,
        score=0.8,
        decision=Decision.accepted,
        engine_settings="default",
        decided_at=dt.datetime(2025, 2, 1, 9, 0, tzinfo=dt.UTC),
    )
    old_decision = SuggestionDecision(
        participant_id=inside.id,
        kind="opening",
        offer_ref="opening:2",
        rank_shown=1,
        decision=Decision.declined,
        decided_at=dt.datetime(2024, 2, 1, 9, 0, tzinfo=dt.UTC),
    )
    session.add_all([decision, old_decision])
    session.flush()
    job = Placement(
        participant_id=inside.id,
        employer_id=employer.id,
        suggestion_decision_id=decision.id,
        kind=PlacementKind.competitive,
        title="Bagarbiträde",
        occupation_id="abc1",
        start_date=D(2025, 3, 1),
        hours_per_week=20,
    )
    other = Placement(
        participant_id=left_before.id,
        kind=PlacementKind.practice,
        title="Praktik",
        start_date=D(2024, 3, 1),
    )
    session.add_all([job, other])
    session.flush()
    session.add_all(
        [
            EmployerContact(
                employer_id=employer.id,
                participant_id=inside.id,
                made_by_id=coach.id,
                contact_date=D(2025, 1, 20),
                mode=ContactMode.visit,
            ),
            EmployerContact(
                employer_id=employer.id,
                made_by_id=coach.id,
                contact_date=D(2025, 1, 22),
                mode=ContactMode.phone,
            ),
            EmployerContact(
                employer_id=employer.id,
                made_by_id=coach.id,
                contact_date=D(2025, 2, 22),
                mode=ContactMode.visit,
                status=ContactStatus.planned,
            ),
            FollowAlongContact(
                participant_id=inside.id, placement_id=job.id, contact_date=D(2025, 3, 2)
            ),
            FollowAlongContact(
                participant_id=inside.id,
                placement_id=job.id,
                contact_date=D(2025, 3, 9),
                mode="phone",
            ),
            FollowAlongContact(
                participant_id=inside.id,
                placement_id=job.id,
                contact_date=D(2025, 4, 9),
                planned=True,
            ),
        ]
    )
    session.commit()
    return {"coach": coach.id or 0, "idle": idle.id or 0, "decision": decision.id or 0}


def test_load_frames_reads_a_period_pseudonymised(session: Session) -> None:
    ids = _fill(session)
    frames = load_frames(session, date_from=D(2025, 1, 1), date_to=D(2025, 6, 30))

    people = frames.participants
    assert people["participant_code"].tolist() == ["P-001"]
    assert people.loc[0, "coach"] == f"H{ids['coach']}"
    assert people.loc[0, "municipality"] == "1480"
    assert people.loc[0, "status"] == "searching"
    flat = frames.participants.astype(str).to_numpy().ravel().tolist()
    assert not any("Anna" in value for value in flat)  # no names, only codes and labels

    contacts = frames.contacts
    assert contacts["contact_date"].tolist() == [D(2025, 1, 20), D(2025, 1, 22)]  # planned one out
    assert contacts["face_to_face"].tolist() == [True, False]
    assert contacts["participant_code"].tolist()[0] == "P-001"
    assert contacts["participant_code"].isna().tolist() == [False, True]

    placements = frames.placements
    assert placements["participant_code"].tolist() == ["P-001"]
    assert placements.loc[0, "placement_type"] == "competitive"
    assert placements.loc[0, "suggestion_decision_id"] == ids["decision"]

    decisions = frames.decisions
    assert decisions["decision_id"].tolist() == [ids["decision"]]  # the 2024 decision is out
    assert decisions.loc[0, "decision"] == "accepted"
    assert bool(decisions.loc[0, "placed"])
    assert decisions.loc[0, "decided_date"] == D(2025, 2, 1)

    follow = frames.follow_along
    assert follow["contact_date"].tolist() == [D(2025, 3, 2), D(2025, 3, 9)]  # planned one out
    assert follow["face_to_face"].tolist() == [True, False]

    assert sorted(frames.coaches) == sorted([f"H{ids['coach']}", f"H{ids['idle']}"])


def test_load_frames_on_an_empty_database(session: Session) -> None:
    frames = load_frames(session, date_from=D(2025, 1, 1), date_to=D(2025, 3, 31))
    assert frames.participants.empty and frames.placements.empty and frames.decisions.empty
    assert "participant_code" in frames.contacts.columns
