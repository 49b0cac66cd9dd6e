"""Employer-contact register tables: employers, workplaces, contacts, contact log, offers."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Annotated

from annotated_types import Interval
from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

# The largest value an INTEGER column (ids, versions) holds on PostgreSQL; SQLite cannot even
# bind an int past 2**63. Input beyond it is invalid, not a server error.
MAX_INTEGER = 2**31 - 1
RecordId = Annotated[int, Interval(ge=1, le=MAX_INTEGER)]
"""A record id as input (path, query or body): 1 ... MAX_INTEGER."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class ContactMode(enum.StrEnum):
    visit = "visit"
    meeting = "meeting"
    phone = "phone"
    email = "email"


FACE_TO_FACE_MODES = frozenset({ContactMode.visit, ContactMode.meeting})


class ContactStatus(enum.StrEnum):
    planned = "planned"
    done = "done"
    cancelled = "cancelled"


class EmploymentForm(enum.StrEnum):
    competitive = "competitive"
    subsidised = "subsidised"


class OpeningStatus(enum.StrEnum):
    open = "open"
    filled = "filled"
    closed = "closed"


class EmployerBase(SQLModel):
    name: str = Field(index=True, max_length=200)
    org_number: str | None = Field(default=None, index=True, max_length=11)
    municipality_code: str | None = Field(default=None, index=True, max_length=4)
    address: str | None = Field(default=None, max_length=300)
    size_class: str | None = Field(default=None, max_length=20)
    trade: str | None = Field(default=None, max_length=200)
    needs: str | None = Field(default=None, max_length=4000)
    occupation_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    ssyk4_codes: list[str] = Field(default_factory=list, sa_type=JSON)


class Employer(EmployerBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    lat: float | None = None
    lon: float | None = None
    merged_into_id: int | None = Field(default=None, foreign_key="employer.id", index=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Workplace(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    name: str = Field(max_length=200)
    address: str | None = Field(default=None, max_length=300)
    municipality_code: str | None = Field(default=None, max_length=4)
    lat: float | None = None
    lon: float | None = None


class ContactPerson(SQLModel, table=True):
    __tablename__ = "contact_person"
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    name: str = Field(max_length=200)
    role: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=200)
    version: int = Field(default=1)


class EmployerContact(SQLModel, table=True):
    """One entry of the contact log: a contact made (or planned) with an employer."""

    __tablename__ = "employer_contact"
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    contact_person_id: int | None = Field(default=None, foreign_key="contact_person.id")
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    made_by_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    contact_date: date = Field(index=True)
    mode: ContactMode = Field(default=ContactMode.visit)
    status: ContactStatus = Field(default=ContactStatus.done)
    purpose: str | None = Field(default=None, max_length=1000)
    needs_learned: str | None = Field(default=None, max_length=4000)
    outcome: str | None = Field(default=None, max_length=2000)
    next_step: str | None = Field(default=None, max_length=1000)
    next_step_date: date | None = None
    disclosure_shown: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class OfferFields(SQLModel):
    """Fields shared by openings and practice slots."""

    title: str = Field(max_length=300)
    occupation_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    ssyk4_codes: list[str] = Field(default_factory=list, sa_type=JSON)
    hours_per_week: float | None = None
    schedules: list[str] = Field(default_factory=list, sa_type=JSON)
    conditions: list[str] = Field(default_factory=list, sa_type=JSON)
    required_licences: list[str] = Field(default_factory=list, sa_type=JSON)
    required_languages: list[str] = Field(default_factory=list, sa_type=JSON)
    physical_demand: str | None = Field(default=None, max_length=20)
    description: str | None = Field(default=None, max_length=20000)
    municipality_code: str | None = Field(default=None, max_length=4)
    lat: float | None = None
    lon: float | None = None


class Opening(OfferFields, table=True):
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    workplace_id: int | None = Field(default=None, foreign_key="workplace.id")
    employment_form: EmploymentForm = Field(default=EmploymentForm.competitive)
    subsidy_type: str | None = Field(default=None, max_length=50)
    vacancies: int = Field(default=1)
    deadline: date | None = None
    published_date: date | None = None
    status: OpeningStatus = Field(default=OpeningStatus.open, index=True)
    closed_at: datetime | None = None
    source: str = Field(default="manual", max_length=20)
    external_id: str | None = Field(default=None, max_length=100, unique=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PracticeSlot(OfferFields, table=True):
    """A practice or work-trial slot with a capacity and a period."""

    __tablename__ = "practice_slot"
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    workplace_id: int | None = Field(default=None, foreign_key="workplace.id")
    capacity: int = Field(default=1)
    period_start: date | None = None
    period_end: date | None = None
    status: OpeningStatus = Field(default=OpeningStatus.open, index=True)
    closed_at: datetime | None = None
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ImportBatch(SQLModel, table=True):
    """A file import, kept so that re-importing the same file is recognised."""

    __tablename__ = "import_batch"
    __table_args__ = (UniqueConstraint("kind", "sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    filename: str = Field(max_length=300)
    sha256: str = Field(max_length=64)
    rows_total: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    imported_at: datetime = Field(default_factory=utcnow)
    imported_by_id: int | None = Field(default=None, foreign_key="user.id")
