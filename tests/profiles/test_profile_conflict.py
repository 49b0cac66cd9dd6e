"""profile_conflict: how a stale save differs from the stored profile, and who stored it."""

from __future__ import annotations

from sqlmodel import select

from profiles import service as profiles_service
from profiles.models import CareerProfile, ProfileRevision, Role, User
from profiles.schemas import CareerProfileUpdate
from tests.profiles.factories import LAGER, make_participant


def _user(session, role: Role, name: str) -> User:
    user = User(username=name, display_name=name.title(), role=role, password_hash="x")
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def test_differing_fields_only_names_sent_fields_with_another_value():
    stored = {
        "enjoys": "a",
        "hours_min": 20.0,
        "refusals": ["night_work"],
        "entry_date": "2026-01-05",
    }
    sent = {"enjoys": "b", "hours_min": 20.0, "refusals": [], "entry_date": "2026-01-05"}
    assert profiles_service.differing_fields(stored, sent) == ("enjoys", "refusals")
    assert profiles_service.differing_fields(stored, {}) == ()
    assert profiles_service.differing_fields(stored, {"entry_date": "2026-02-01"}) == (
        "entry_date",
    )


def test_profile_conflict_reports_the_stored_values_and_the_last_author(session):
    coach = _user(session, Role.coach, "coach")
    admin = _user(session, Role.admin, "admin")
    p = make_participant(session, coach)
    first = CareerProfileUpdate(version=0, occupation_ids=[LAGER], enjoys="Matlagning")
    profiles_service.update_profile(session, user=coach, participant_id=p.id, data=first)
    other = CareerProfileUpdate(version=1, enjoys="Trädgård", hours_max=30)
    profiles_service.update_profile(session, user=admin, participant_id=p.id, data=other)

    stale = CareerProfileUpdate(
        version=1, occupation_ids=[LAGER], enjoys="Lager", hours_max=None, languages=[]
    )
    conflict = profiles_service.profile_conflict(
        session, user=coach, participant_id=p.id, data=stale
    )
    assert conflict.version == 2
    assert conflict.differing == ("enjoys", "hours_max")
    assert conflict.stored == {"enjoys": "Trädgård", "hours_max": 30.0}
    assert conflict.changed_by == "Admin" and conflict.changed_at is not None
    # it only reads: the stored profile and its history are as the admin left them
    profile = session.exec(select(CareerProfile)).one()
    assert profile.version == 2 and profile.enjoys == "Trädgård"
    assert len(session.exec(select(ProfileRevision)).all()) == 2
