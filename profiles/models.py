"""Participant-side tables: users, participants, career profiles, decisions, placements, audit."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(enum.StrEnum):
    coach = "coach"
    liaison = "liaison"
    evaluator = "evaluator"
    admin = "admin"


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=100)
    display_name: str = Field(max_length=200)
    role: Role = Field(default=Role.coach)
    password_hash: str = Field(max_length=300)
    language: str = Field(default="sv", max_length=2)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)


class ParticipantStatus(enum.StrEnum):
    searching = "searching"
    working = "working"
    studying = "studying"
    paused = "paused"
    ended = "ended"


class ParticipantBase(SQLModel):
    code: str = Field(index=True, unique=True, max_length=20)
    entry_date: date
    municipality_code: str | None = Field(default=None, max_length=4)
    status: ParticipantStatus = Field(default=ParticipantStatus.searching)
    group_label: str | None = Field(default=None, max_length=100)
    next_step: str | None = Field(default=None, max_length=500)
    next_step_date: date | None = None


class Participant(ParticipantBase, table=True):
    """A person in the IPS programme, known by a pseudonymous code only."""

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    exit_date: date | None = None
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Disclosure(enum.StrEnum):
    yes = "yes"
    no = "no"
    undecided = "undecided"


class BenefitsCounselling(enum.StrEnum):
    not_started = "not_started"
    planned = "planned"
    done = "done"


class CareerProfileBase(SQLModel):
    wished_texts: list[str] = Field(default_factory=list, sa_type=JSON)
    occupation_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    enjoys: str | None = Field(default=None, max_length=2000)
    refusals: list[str] = Field(default_factory=list, sa_type=JSON)
    refusals_text: str | None = Field(default=None, max_length=2000)
    hours_min: float | None = None
    hours_max: float | None = None
    schedules: list[str] = Field(default_factory=list, sa_type=JSON)
    home_municipality_code: str | None = Field(default=None, max_length=4)
    home_place: str | None = Field(default=None, max_length=200)
    home_lat: float | None = None
    home_lon: float | None = None
    commute_limit_km: float | None = None
    transports: list[str] = Field(default_factory=list, sa_type=JSON)
    driving_licences: list[str] = Field(default_factory=list, sa_type=JSON)
    languages: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    max_physical_demand: str | None = Field(default=None, max_length=20)
    work_history: str | None = Field(default=None, max_length=4000)
    education: str | None = Field(default=None, max_length=2000)
    strengths: str | None = Field(default=None, max_length=2000)
    accommodations: str | None = Field(default=None, max_length=2000)
    wants_practice: bool = Field(default=False)
    disclosure: Disclosure = Field(default=Disclosure.undecided)
    benefits_counselling: BenefitsCounselling = Field(default=BenefitsCounselling.not_started)
    available_from: date | None = None


class CareerProfile(CareerProfileBase, table=True):
    """The IPS career profile: what the participant wants, refuses and can do."""

    __tablename__ = "career_profile"
    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", unique=True, index=True)
    version: int = Field(default=1)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")


class ProfileRevision(SQLModel, table=True):
    """A snapshot of a career profile after each change (history of changes)."""

    __tablename__ = "profile_revision"
    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    version: int
    changed_at: datetime = Field(default_factory=utcnow)
    changed_by_id: int | None = Field(default=None, foreign_key="user.id")
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class Decision(enum.StrEnum):
    accepted = "accepted"
    declined = "declined"
    saved = "saved"


class SuggestionDecision(SQLModel, table=True):
    """What the coach and participant decided about one suggestion, with the rank it had."""

    __tablename__ = "suggestion_decision"
    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    kind: str = Field(max_length=20)
    offer_ref: str = Field(max_length=50, index=True)
    employer_id: int | None = Field(default=None, foreign_key="employer.id")
    rank_shown: int | None = None
    score: float | None = None
    decision: Decision
    reason_code: str | None = Field(default=None, max_length=50)
    reason_text: str | None = Field(default=None, max_length=2000)
    engine_settings: str | None = Field(default=None, max_length=100)
    employer_contact_id: int | None = Field(default=None, foreign_key="employer_contact.id")
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime = Field(default_factory=utcnow)

    @property
    def ref_id(self) -> int:
        """The numeric id in ``offer_ref`` ("opening:12" -> 12)."""
        return int(self.offer_ref.split(":", 1)[1])


class PlacementKind(enum.StrEnum):
    competitive = "competitive"
    subsidised = "subsidised"
    practice = "practice"
    studies = "studies"


class Placement(SQLModel, table=True):
    """A job start (or practice / studies) with its end and reason."""

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    employer_id: int | None = Field(default=None, foreign_key="employer.id", index=True)
    opening_id: int | None = Field(default=None, foreign_key="opening.id")
    practice_slot_id: int | None = Field(default=None, foreign_key="practice_slot.id")
    suggestion_decision_id: int | None = Field(default=None, foreign_key="suggestion_decision.id")
    kind: PlacementKind = Field(default=PlacementKind.competitive)
    title: str = Field(max_length=300)
    occupation_id: str | None = Field(default=None, max_length=20)
    ssyk4_code: str | None = Field(default=None, max_length=4)
    start_date: date
    end_date: date | None = None
    end_reason: str | None = Field(default=None, max_length=200)
    end_reason_text: str | None = Field(default=None, max_length=1000)
    hours_per_week: float | None = None
    wage_at_least_normal: bool = Field(default=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)


class FollowAlongContact(SQLModel, table=True):
    """Follow-along support after a job start (time-unlimited support)."""

    __tablename__ = "follow_along_contact"
    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    placement_id: int | None = Field(default=None, foreign_key="placement.id")
    contact_date: date
    planned: bool = Field(default=False)
    mode: str = Field(default="meeting", max_length=20)
    with_employer: bool = Field(default=False)
    notes: str | None = Field(default=None, max_length=2000)
    made_by_id: int | None = Field(default=None, foreign_key="user.id")


class AuditLogEntry(SQLModel, table=True):
    """Every read and change of a participant record."""

    __tablename__ = "audit_log_entry"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(max_length=20)
    entity: str = Field(max_length=50)
    entity_id: str | None = Field(default=None, max_length=50)
    participant_id: int | None = Field(default=None, index=True)
    detail: str | None = Field(default=None, max_length=1000)
