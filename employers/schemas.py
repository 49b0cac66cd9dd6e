"""Request and response schemas of the register (STYLE rule 5: Create, Update, Public)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, field_validator, model_validator
from sqlmodel import Field, SQLModel

from employers.errors import InvalidOrgNumber
from employers.models import (
    MAX_INTEGER,
    ContactMode,
    ContactStatus,
    EmploymentForm,
    OpeningStatus,
    RecordId,
)
from employers.orgnr import normalize_org_number
from matching.dates import in_range, parse_iso_date

SCHEDULES = ("day", "evening", "night", "weekend")
PHYSICAL_DEMANDS = ("light", "medium", "heavy")
SIZE_CLASSES = ("1-9", "10-49", "50-249", "250+")

Schedule = Literal["day", "evening", "night", "weekend"]
PhysicalDemand = Literal["light", "medium", "heavy"]
SizeClass = Literal["1-9", "10-49", "50-249", "250+"]

_MUNICIPALITY = re.compile(r"^\d{4}$")
_SSYK4 = re.compile(r"^\d{4}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LANGUAGE = re.compile(r"^[^\W\d_][^:]*?(:[1-5])?$")


class InvalidField(ValueError):
    """Input the register refuses: the field, an English message (what the JSON API says) and
    a message key the pages show in their language (``err_*`` in service/i18n.py; ``params``
    fill its ``{placeholders}``).

    Raised in a model check or a service function, ``str()`` is ``"field: message"`` so every
    answer names the field; raised in a field's own check, the field is pydantic's."""

    def __init__(self, field: str | None, message: str, *, key: str, **params: object) -> None:
        self.field = field
        self.message = message
        self.key = key
        self.params = params
        super().__init__(f"{field}: {message}" if field else message)


def _iso_date(value: object) -> object:
    """A date given as ``YYYY-MM-DD`` text (or a date object) within 1900-01-01 ... 2200-12-31
    (:func:`matching.dates.read_date`); ``None`` stays ``None``.

    Pydantic alone reads ``0`` and ``"86400"`` as Unix timestamps and ``""`` goes nowhere
    useful: in JSON "no date" is ``null``. The HTML forms map an empty field to ``None``
    before they validate."""
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        raise InvalidField(
            None,
            "an empty text is not a date: send null for no date, or YYYY-MM-DD",
            key="err_date",
        )
    try:
        day = parse_iso_date(value)
    except ValueError as exc:
        raise InvalidField(None, str(exc), key="err_date") from None
    try:
        return in_range(day)
    except ValueError as exc:
        raise InvalidField(None, str(exc), key="err_date_range") from None


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""An input date: ``YYYY-MM-DD`` only (no timestamps, no ``20240101``, no empty text), within
1900-01-01 ... 2200-12-31."""


def _blank_to_none(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _split_list(value: object) -> object:
    # Forms and spreadsheets give "a; b, c"; JSON gives a list.
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[;,\n]", value) if part.strip()]
    return value


def _check_municipality(value: str | None) -> str | None:
    if value is not None and not _MUNICIPALITY.match(value):
        raise InvalidField(
            None, "municipality code must be four digits, e.g. 1780", key="err_municipality_code"
        )
    return value


def check_ssyk4(code: str, *, field: str | None = None) -> str:
    """An SSYK-4 code is four digits (``5120``); ``field`` names the input outside a schema."""
    if not _SSYK4.match(code):
        raise InvalidField(
            field, f"SSYK-4 code {code!r} must be four digits", key="err_ssyk4", code=code
        )
    return code


# ---------------------------------------------------------------- employers


class EmployerData(SQLModel):
    """The employer's own fields, without input checks (what responses carry)."""

    name: str = Field(min_length=1, max_length=200)
    org_number: str | None = Field(default=None, max_length=13)
    municipality_code: str | None = None
    address: str | None = Field(default=None, max_length=300)
    size_class: SizeClass | None = None
    trade: str | None = Field(default=None, max_length=200)
    needs: str | None = Field(default=None, max_length=4000)
    occupation_ids: list[str] = Field(default_factory=list)
    ssyk4_codes: list[str] = Field(default_factory=list)
    lat: float | None = Field(default=None, ge=55.0, le=69.5)
    lon: float | None = Field(default=None, ge=10.5, le=24.5)


class EmployerFields(EmployerData):
    @field_validator(
        "name",
        "org_number",
        "municipality_code",
        "address",
        "size_class",
        "trade",
        "needs",
        mode="before",
    )
    @classmethod
    def _strip(cls, value: object) -> object:
        return _blank_to_none(value)

    @field_validator("org_number")
    @classmethod
    def _org_number(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return normalize_org_number(value)
        except InvalidOrgNumber as exc:
            key = f"err_org_number_{exc.reason}" if exc.reason else "err_org_number"
            raise InvalidField(None, str(exc), key=key) from None

    @field_validator("municipality_code")
    @classmethod
    def _municipality(cls, value: str | None) -> str | None:
        return _check_municipality(value)

    @field_validator("occupation_ids", "ssyk4_codes", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("ssyk4_codes")
    @classmethod
    def _ssyk4(cls, value: list[str]) -> list[str]:
        for code in value:
            check_ssyk4(code)
        return value


class EmployerCreate(EmployerFields):
    pass


class EmployerUpdate(EmployerFields):
    """Every field optional; ``version`` is the one the change was based on."""

    name: str | None = Field(default=None, min_length=1, max_length=200)  # type: ignore[assignment]
    occupation_ids: list[str] | None = None  # type: ignore[assignment]
    ssyk4_codes: list[str] | None = None  # type: ignore[assignment]
    version: int = Field(ge=1, le=MAX_INTEGER)


class EmployerPublic(EmployerData):
    id: int
    merged_into_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class EmployerSummary(EmployerPublic):
    """An employer with what the list page and /api/employers show beside it."""

    relationship_status: str
    warmth: float
    last_contact_date: date | None
    open_openings: int
    open_slots: int


class DuplicatePublic(SQLModel):
    employer_id: int
    name: str
    municipality_code: str | None
    org_number: str | None
    reason: str
    score: float


# ---------------------------------------------------------------- workplaces, contact persons


class WorkplaceCreate(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    municipality_code: str | None = None
    lat: float | None = Field(default=None, ge=55.0, le=69.5)
    lon: float | None = Field(default=None, ge=10.5, le=24.5)

    @field_validator("name", "address", "municipality_code", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return _blank_to_none(value)

    @field_validator("municipality_code")
    @classmethod
    def _municipality(cls, value: str | None) -> str | None:
        return _check_municipality(value)


class WorkplacePublic(WorkplaceCreate):
    id: int
    employer_id: int


class ContactPersonData(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    role: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=200)


class ContactPersonCreate(ContactPersonData):
    @field_validator("name", "role", "phone", "email", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return _blank_to_none(value)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise InvalidField(None, "not an e-mail address", key="err_email")
        return value


class ContactPersonPublic(ContactPersonData):
    id: int
    employer_id: int
    version: int


# ---------------------------------------------------------------- contact log


class ContactData(SQLModel):
    contact_date: date
    mode: ContactMode = ContactMode.visit
    status: ContactStatus = ContactStatus.done
    contact_person_id: RecordId | None = None
    participant_id: RecordId | None = None
    purpose: str | None = Field(default=None, max_length=1000)
    needs_learned: str | None = Field(default=None, max_length=4000)
    outcome: str | None = Field(default=None, max_length=2000)
    next_step: str | None = Field(default=None, max_length=1000)
    next_step_date: date | None = None
    disclosure_shown: bool = False


def check_contact_made(status: ContactStatus | None, contact_date: date | None) -> None:
    """A contact logged as done has happened: its date cannot lie after today (a planned one
    can). The same rule as the coach's form (profiles.schemas.EmployerContactIn)."""
    if status == ContactStatus.done and contact_date is not None and contact_date > date.today():
        raise InvalidField(
            "contact_date", "a contact made cannot be in the future", key="err_future_done"
        )


class ContactFields(ContactData):
    contact_date: IsoDate
    next_step_date: IsoDate | None = None

    @field_validator(
        "purpose",
        "needs_learned",
        "outcome",
        "next_step",
        mode="before",
    )
    @classmethod
    def _strip(cls, value: object) -> object:
        return _blank_to_none(value)

    @model_validator(mode="after")
    def _next_step_after_contact(self) -> ContactFields:
        if (
            self.next_step_date is not None
            and self.contact_date is not None
            and self.next_step_date < self.contact_date
        ):
            raise InvalidField(
                "next_step_date",
                "the next step cannot be before the contact",
                key="err_next_step_before_contact",
            )
        check_contact_made(self.status, self.contact_date)
        return self


class ContactCreate(ContactFields):
    employer_id: RecordId | None = None


class ContactUpdate(SQLModel):
    contact_date: IsoDate | None = None
    mode: ContactMode | None = None
    status: ContactStatus | None = None
    needs_learned: str | None = Field(default=None, max_length=4000)
    outcome: str | None = Field(default=None, max_length=2000)
    next_step: str | None = Field(default=None, max_length=1000)
    next_step_date: IsoDate | None = None
    version: int = Field(ge=1, le=MAX_INTEGER)


class ContactPublic(ContactData):
    id: int
    employer_id: int
    made_by_id: int | None
    created_at: datetime
    version: int


# ---------------------------------------------------------------- openings and slots


class OfferData(SQLModel):
    title: str = Field(min_length=1, max_length=300)
    occupation_ids: list[str] = Field(default_factory=list)
    ssyk4_codes: list[str] = Field(default_factory=list)
    hours_per_week: float | None = Field(default=None, gt=0, le=60)
    schedules: list[Schedule] = Field(default_factory=list)
    conditions: list[str] = Field(default_factory=list)
    required_licences: list[str] = Field(default_factory=list)
    required_languages: list[str] = Field(default_factory=list)
    physical_demand: PhysicalDemand | None = None
    description: str | None = Field(default=None, max_length=20000)
    municipality_code: str | None = None
    lat: float | None = Field(default=None, ge=55.0, le=69.5)
    lon: float | None = Field(default=None, ge=10.5, le=24.5)
    workplace_id: RecordId | None = None


class OfferInput(OfferData):
    @field_validator(
        "title",
        "physical_demand",
        "description",
        "municipality_code",
        mode="before",
    )
    @classmethod
    def _strip(cls, value: object) -> object:
        return _blank_to_none(value)

    @field_validator(
        "occupation_ids",
        "ssyk4_codes",
        "schedules",
        "conditions",
        "required_licences",
        "required_languages",
        mode="before",
    )
    @classmethod
    def _lists(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("municipality_code")
    @classmethod
    def _municipality(cls, value: str | None) -> str | None:
        return _check_municipality(value)

    @field_validator("required_licences")
    @classmethod
    def _licences(cls, value: list[str]) -> list[str]:
        return [v.upper() for v in value]

    @field_validator("required_languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        for item in value:
            if not _LANGUAGE.match(item):
                raise InvalidField(
                    None,
                    f"language {item!r}: write a name, optionally ':level' 1-5",
                    key="err_required_language",
                    language=item,
                )
        return value


class OpeningCreate(OfferInput):
    employer_id: RecordId
    employment_form: EmploymentForm = EmploymentForm.competitive
    subsidy_type: str | None = Field(default=None, max_length=50)
    vacancies: int = Field(default=1, ge=1, le=1000)
    deadline: IsoDate | None = None
    published_date: IsoDate | None = None

    @field_validator("subsidy_type", mode="before")
    @classmethod
    def _strip_more(cls, value: object) -> object:
        return _blank_to_none(value)

    @model_validator(mode="after")
    def _subsidy(self) -> OpeningCreate:
        if self.employment_form is EmploymentForm.subsidised and not self.subsidy_type:
            raise InvalidField(
                "subsidy_type",
                "say which subsidy (lönebidrag, nystartsjobb, ...)",
                key="err_subsidy_type",
            )
        return self


class OpeningUpdate(SQLModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    occupation_ids: list[str] | None = None
    ssyk4_codes: list[str] | None = None
    hours_per_week: float | None = Field(default=None, gt=0, le=60)
    schedules: list[Schedule] | None = None
    conditions: list[str] | None = None
    required_licences: list[str] | None = None
    required_languages: list[str] | None = None
    physical_demand: PhysicalDemand | None = None
    description: str | None = Field(default=None, max_length=20000)
    employment_form: EmploymentForm | None = None
    subsidy_type: str | None = Field(default=None, max_length=50)
    vacancies: int | None = Field(default=None, ge=1, le=1000)
    deadline: IsoDate | None = None
    status: OpeningStatus | None = None
    version: int = Field(ge=1, le=MAX_INTEGER)

    @field_validator(
        "occupation_ids",
        "ssyk4_codes",
        "schedules",
        "conditions",
        "required_licences",
        "required_languages",
        mode="before",
    )
    @classmethod
    def _lists(cls, value: object) -> object:
        # A blank form field and JSON null both mean "none" (as on creation): the columns
        # are lists that cannot be null. Leaving a field out keeps what is stored.
        return _split_list(value)


class OpeningPublic(OfferData):
    id: int
    employer_id: int
    employment_form: EmploymentForm
    subsidy_type: str | None
    vacancies: int
    deadline: date | None
    published_date: date | None
    status: OpeningStatus
    closed_at: datetime | None
    source: str
    external_id: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class SlotCreate(OfferInput):
    employer_id: RecordId
    capacity: int = Field(default=1, ge=1, le=100)
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None

    @model_validator(mode="after")
    def _period(self) -> SlotCreate:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise InvalidField(
                "period_end", "the period cannot end before it starts", key="err_end_before_start"
            )
        return self


class SlotUpdate(SQLModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    occupation_ids: list[str] | None = None
    ssyk4_codes: list[str] | None = None
    hours_per_week: float | None = Field(default=None, gt=0, le=60)
    schedules: list[Schedule] | None = None
    conditions: list[str] | None = None
    required_licences: list[str] | None = None
    required_languages: list[str] | None = None
    physical_demand: PhysicalDemand | None = None
    description: str | None = Field(default=None, max_length=20000)
    capacity: int | None = Field(default=None, ge=1, le=100)
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None
    status: OpeningStatus | None = None
    version: int = Field(ge=1, le=MAX_INTEGER)

    @field_validator(
        "occupation_ids",
        "ssyk4_codes",
        "schedules",
        "conditions",
        "required_licences",
        "required_languages",
        mode="before",
    )
    @classmethod
    def _lists(cls, value: object) -> object:
        # A blank form field and JSON null both mean "none" (as on creation): the columns
        # are lists that cannot be null. Leaving a field out keeps what is stored.
        return _split_list(value)


class SlotPublic(OfferData):
    id: int
    employer_id: int
    capacity: int
    period_start: date | None
    period_end: date | None
    status: OpeningStatus
    closed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class CloseRequest(SQLModel):
    version: int = Field(ge=1, le=MAX_INTEGER)
    status: Literal["filled", "closed"] = "closed"


class MergeRequest(SQLModel):
    keep_id: RecordId
    merge_id: RecordId
    keep_version: int = Field(ge=1, le=MAX_INTEGER)
    merge_version: int = Field(ge=1, le=MAX_INTEGER)
