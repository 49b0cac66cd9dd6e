"""Request and response shapes of the participant side (never a table class as input)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from employers.models import MAX_INTEGER
from matching.dates import in_range, parse_iso_date
from matching.types import CONDITION_TAGS, Schedule, Transport
from profiles.errors import FieldErrors
from profiles.models import (
    BenefitsCounselling,
    Decision,
    Disclosure,
    ParticipantStatus,
    PlacementKind,
    Role,
)

#: Swedish driving licence classes (Transportstyrelsen), as stored on a profile.
LICENCE_CLASSES: tuple[str, ...] = (
    "AM", "A1", "A2", "A", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE",
)  # fmt: skip
PHYSICAL_DEMANDS: tuple[str, ...] = ("light", "medium", "heavy")

#: Why a suggestion was declined (the list the coach picks from; free text adds detail).
DECLINE_REASONS: tuple[str, ...] = (
    "not_interested",
    "wrong_occupation",
    "too_far",
    "wrong_hours",
    "conditions",
    "requirements",
    "already_applied",
    "employer_known_bad",
    "other",
)

#: Why a placement ended (the list the coach picks from; free text adds detail). Codes, so the
#: evaluation can count them.
PLACEMENT_END_REASONS: tuple[str, ...] = (
    "contract_ended",
    "practice_ended",
    "new_job",
    "quit",
    "dismissed",
    "health",
    "studies",
    "other",
)

CONTACT_MODES: tuple[str, ...] = ("visit", "meeting", "phone", "email")
FOLLOW_ALONG_MODES: tuple[str, ...] = ("meeting", "phone", "visit", "digital")

_M = TypeVar("_M", bound=BaseModel)

_OCCUPATION_ID = re.compile(r"^[A-Za-z0-9_\-]{1,20}$")
_MUNICIPALITY = re.compile(r"^\d{4}$")


def _input_date(value: object) -> object:
    """A date sent as ``YYYY-MM-DD`` text (or a date object) within 1900-01-01 ... 2200-12-31.

    Pydantic alone reads ``0`` and ``"86400"`` as Unix timestamps (1970-01-01, 1970-01-02) and
    the API stored them; ``""`` is not "no date" (JSON says ``null``; the forms leave an empty
    field out before they validate). ``None`` goes on to the field's own check."""
    if value is None:
        return None
    try:
        day = parse_iso_date(value)
    except ValueError:
        raise ValueError("err_date") from None
    try:
        return in_range(day)
    except ValueError:
        raise ValueError("err_date_range") from None


IsoDate = Annotated[date, BeforeValidator(_input_date)]
"""An input date: ``YYYY-MM-DD`` only (no timestamps, no ``20240101``, no empty text), within
1900-01-01 ... 2200-12-31; errors are the message keys ``err_date`` and ``err_date_range``."""


def _entry_date(day: date) -> date:
    """A programme entry date: not more than a year after today (2030 typed for 2025 would
    show a 30-day clock that has not started); past dates stay allowed (from 1900)."""
    today = date.today()
    try:
        latest = today.replace(year=today.year + 1)
    except ValueError:  # 29 February: a year on is 1 March
        latest = date(today.year + 1, 3, 1)
    if day > latest:
        raise ValueError("err_entry_date_future")
    return day


EntryDate = Annotated[IsoDate, AfterValidator(_entry_date)]
"""An input programme entry date: ``IsoDate``, at most one year after today."""


def _clean_list(values: list[str], *, max_items: int, max_len: int) -> list[str]:
    out: list[str] = []
    for v in values:
        v = v.strip()
        if not v or v in out:
            continue
        if len(v) > max_len:
            raise ValueError("err_too_long")
        out.append(v)
    if len(out) > max_items:
        raise ValueError("err_too_many")
    return out


def _subset(values: list[str], allowed: set[str] | tuple[str, ...]) -> list[str]:
    out = []
    for v in values:
        v = v.strip()
        if not v:
            continue
        if v not in allowed:
            raise ValueError("err_choice")
        if v not in out:
            out.append(v)
    return out


class LanguageIn(BaseModel):
    """A language the participant speaks, level 1 (a few words) to 5 (fluent)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=50)
    level: int = Field(default=3, ge=1, le=5)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("err_required")
        return v[:1].upper() + v[1:]


class CareerProfileIn(BaseModel):
    """A whole career profile: the JSON profile format (docs/profile.md) and the edit form."""

    model_config = ConfigDict(extra="forbid")

    wished_texts: list[str] = Field(default_factory=list)
    occupation_ids: list[str] = Field(default_factory=list)
    enjoys: str | None = Field(default=None, max_length=2000)
    refusals: list[str] = Field(default_factory=list)
    refusals_text: str | None = Field(default=None, max_length=2000)
    hours_min: float | None = Field(default=None, ge=0, le=80)
    hours_max: float | None = Field(default=None, gt=0, le=80)
    schedules: list[str] = Field(default_factory=list)
    home_municipality_code: str | None = None
    home_place: str | None = Field(default=None, max_length=200)
    home_lat: float | None = Field(default=None, ge=55.0, le=69.5)
    home_lon: float | None = Field(default=None, ge=10.5, le=24.5)
    commute_limit_km: float | None = Field(default=None, gt=0, le=300)
    transports: list[str] = Field(default_factory=list)
    driving_licences: list[str] = Field(default_factory=list)
    languages: list[LanguageIn] = Field(default_factory=list, max_length=20)
    max_physical_demand: Literal["light", "medium", "heavy"] | None = None
    work_history: str | None = Field(default=None, max_length=4000)
    education: str | None = Field(default=None, max_length=2000)
    strengths: str | None = Field(default=None, max_length=2000)
    accommodations: str | None = Field(default=None, max_length=2000)
    wants_practice: bool = False
    disclosure: Disclosure = Disclosure.undecided
    benefits_counselling: BenefitsCounselling = BenefitsCounselling.not_started
    available_from: IsoDate | None = None

    @field_validator(
        "enjoys",
        "refusals_text",
        "home_place",
        "work_history",
        "education",
        "strengths",
        "accommodations",
        "home_municipality_code",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = v.strip()
            return v or None
        return v

    @field_validator("wished_texts")
    @classmethod
    def _wishes(cls, v: list[str]) -> list[str]:
        return _clean_list(v, max_items=20, max_len=200)

    @field_validator("occupation_ids")
    @classmethod
    def _occupations(cls, v: list[str]) -> list[str]:
        out = _clean_list(v, max_items=30, max_len=20)
        for oid in out:
            if not _OCCUPATION_ID.match(oid):
                raise ValueError("err_occupation_id")
        return out

    @field_validator("refusals")
    @classmethod
    def _refusals(cls, v: list[str]) -> list[str]:
        return _subset(v, set(CONDITION_TAGS))

    @field_validator("schedules")
    @classmethod
    def _schedules(cls, v: list[str]) -> list[str]:
        return _subset(v, {s.value for s in Schedule})

    @field_validator("transports")
    @classmethod
    def _transports(cls, v: list[str]) -> list[str]:
        return _subset(v, {t.value for t in Transport})

    @field_validator("driving_licences")
    @classmethod
    def _licences(cls, v: list[str]) -> list[str]:
        return _subset([x.strip().upper() for x in v], LICENCE_CLASSES)

    @field_validator("home_municipality_code")
    @classmethod
    def _municipality(cls, v: str | None) -> str | None:
        if v is not None and not _MUNICIPALITY.match(v):
            raise ValueError("err_municipality_code")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> CareerProfileIn:
        errors: dict[str, str] = {}
        if (
            self.hours_min is not None
            and self.hours_max is not None
            and self.hours_min > self.hours_max
        ):
            errors["hours_max"] = "err_hours_order"
        if (self.home_lat is None) != (self.home_lon is None):
            errors["home_lon" if self.home_lon is None else "home_lat"] = "err_lat_lon_pair"
        names = [lang.name.casefold() for lang in self.languages]
        if len(names) != len(set(names)):
            errors["languages"] = "err_duplicate_language"
        if errors:
            raise FieldErrors(errors)
        return self


class CareerProfileUpdate(CareerProfileIn):
    """A change of a stored profile: the fields sent replace the stored ones.

    ``version`` is the profile version the editor started from (optimistic concurrency);
    ``entry_date`` changes the participant's programme entry date.
    """

    version: int = Field(ge=0, le=MAX_INTEGER)
    entry_date: EntryDate | None = None


class ParticipantCreate(BaseModel):
    """A new participant on a coach's caseload, known by a pseudonymous code."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=2, max_length=20, pattern=r"^[A-Za-z0-9\-_]+$")
    entry_date: EntryDate
    municipality_code: str | None = Field(default=None, pattern=r"^\d{4}$")
    group_label: str | None = Field(default=None, max_length=100)
    coach_id: int | None = Field(default=None, ge=1, le=MAX_INTEGER)


class ParticipantUpdate(BaseModel):
    """Status and next step, changed from the participant page."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=0, le=MAX_INTEGER)
    status: ParticipantStatus | None = None
    next_step: str | None = Field(default=None, max_length=500)
    next_step_date: IsoDate | None = None
    group_label: str | None = Field(default=None, max_length=100)


class ParticipantReassign(BaseModel):
    """Move a participant to another coach's caseload (admin only)."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=0, le=MAX_INTEGER)
    coach_id: int = Field(ge=1, le=MAX_INTEGER)


class ParticipantPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    coach_id: int | None
    entry_date: date
    exit_date: date | None
    municipality_code: str | None
    status: ParticipantStatus
    group_label: str | None
    next_step: str | None
    next_step_date: date | None
    version: int


class CaseloadRow(ParticipantPublic):
    days_since_entry: int
    clock_state: str
    clock_days_left: int
    first_contact_date: date | None


class CareerProfileStored(CareerProfileIn):
    """A stored profile's preference fields read back (``profiles.service.profile_snapshot``):
    a day stored before the range check (a typo such as 0202-05-01) is shown as it is, so the
    profile page and API where it would be corrected do not refuse to open."""

    available_from: date | None = None


class CareerProfilePublic(CareerProfileIn):
    model_config = ConfigDict(from_attributes=True, extra="ignore")
    participant_id: int
    version: int
    updated_at: datetime | None = None
    languages: list[LanguageIn] = Field(default_factory=list)
    available_from: date | None = None


class DecisionCreate(BaseModel):
    """Accept, decline (with a reason from the list) or save one suggestion."""

    model_config = ConfigDict(extra="forbid")
    offer_ref: str = Field(
        min_length=3, max_length=50, pattern=r"^(opening|practice|employer):\d{1,10}$"
    )
    decision: Decision
    reason_code: str | None = None
    reason_text: str | None = Field(default=None, max_length=2000)
    rank_shown: int | None = Field(default=None, ge=1, le=1000)
    score: float | None = Field(default=None, ge=0, le=1)
    contact_date: IsoDate | None = None

    @field_validator("reason_text", "reason_code", mode="before")
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return (v.strip() or None) if isinstance(v, str) else v

    @model_validator(mode="after")
    def _reason(self) -> DecisionCreate:
        if self.decision is Decision.declined:
            if self.reason_code is None:
                raise FieldErrors({"reason_code": "err_reason_required"})
            if self.reason_code not in DECLINE_REASONS:
                raise FieldErrors({"reason_code": "err_choice"})
            if self.reason_code == "other" and not self.reason_text:
                raise FieldErrors({"reason_text": "err_reason_text_required"})
        elif self.reason_code is not None and self.reason_code not in DECLINE_REASONS:
            raise FieldErrors({"reason_code": "err_choice"})
        return self

    @property
    def kind(self) -> str:
        return self.offer_ref.split(":", 1)[0]

    @property
    def ref_id(self) -> int:
        return int(self.offer_ref.split(":", 1)[1])


class DecisionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    participant_id: int
    kind: str
    offer_ref: str
    employer_id: int | None
    rank_shown: int | None
    score: float | None
    decision: Decision
    reason_code: str | None
    reason_text: str | None
    employer_contact_id: int | None
    decided_at: datetime


class EmployerContactIn(BaseModel):
    """An employer contact made (or planned) for a participant, logged from their page."""

    model_config = ConfigDict(extra="forbid")
    employer_id: int = Field(ge=1, le=MAX_INTEGER)
    contact_date: IsoDate
    mode: Literal["visit", "meeting", "phone", "email"] = "visit"
    status: Literal["planned", "done"] = "done"
    purpose: str | None = Field(default=None, max_length=1000)
    outcome: str | None = Field(default=None, max_length=2000)
    next_step: str | None = Field(default=None, max_length=1000)
    next_step_date: IsoDate | None = None
    disclosure_shown: bool = False

    @model_validator(mode="after")
    def _future(self) -> EmployerContactIn:
        if self.status == "done" and self.contact_date > date.today():
            raise FieldErrors({"contact_date": "err_future_done"})
        return self


class PlacementCreate(BaseModel):
    """A job start (competitive / subsidised), practice or studies."""

    model_config = ConfigDict(extra="forbid")
    kind: PlacementKind = PlacementKind.competitive
    title: str = Field(min_length=1, max_length=300)
    employer_id: int | None = Field(default=None, ge=1, le=MAX_INTEGER)
    start_date: IsoDate
    hours_per_week: float | None = Field(default=None, gt=0, le=80)
    wage_at_least_normal: bool = False
    occupation_id: str | None = Field(default=None, max_length=20)
    suggestion_decision_id: int | None = Field(default=None, ge=1, le=MAX_INTEGER)

    @field_validator("title", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return v.strip() if isinstance(v, str) else v

    @field_validator("occupation_id", mode="before")
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return (v.strip() or None) if isinstance(v, str) else v


class PlacementEnd(BaseModel):
    """When and why a placement ended: a reason from the list, free text for detail."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=0, le=MAX_INTEGER)
    end_date: IsoDate
    end_reason: str | None = None
    end_reason_text: str | None = Field(default=None, max_length=1000)

    @field_validator("end_reason", "end_reason_text", mode="before")
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return (v.strip() or None) if isinstance(v, str) else v

    @model_validator(mode="after")
    def _reason(self) -> PlacementEnd:
        errors: dict[str, str] = {}
        if self.end_reason is None:
            errors["end_reason"] = "err_reason_required"
        elif self.end_reason not in PLACEMENT_END_REASONS:
            errors["end_reason"] = "err_choice"
        elif self.end_reason == "other" and not self.end_reason_text:
            errors["end_reason_text"] = "err_reason_text_required"
        if self.end_date > date.today():
            errors["end_date"] = "err_end_in_future"
        if errors:
            raise FieldErrors(errors)
        return self


class PlacementPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    participant_id: int
    employer_id: int | None
    kind: PlacementKind
    title: str
    start_date: date
    end_date: date | None
    end_reason: str | None
    end_reason_text: str | None
    hours_per_week: float | None
    wage_at_least_normal: bool
    suggestion_decision_id: int | None
    version: int


class FollowAlongIn(BaseModel):
    """A follow-along support contact (done or planned) after a job start."""

    model_config = ConfigDict(extra="forbid")
    contact_date: IsoDate
    planned: bool = False
    mode: Literal["meeting", "phone", "visit", "digital"] = "meeting"
    with_employer: bool = False
    placement_id: int | None = Field(default=None, ge=1, le=MAX_INTEGER)
    notes: str | None = Field(default=None, max_length=2000)


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=2, max_length=100, pattern=r"^[A-Za-z0-9._\-]+$")
    display_name: str = Field(min_length=1, max_length=200)
    role: Role = Role.coach
    password: str = Field(min_length=10, max_length=200)
    language: Literal["sv", "en"] = "sv"


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    role: Role | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200)
    language: Literal["sv", "en"] | None = None

    @field_validator("password", mode="before")
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return (v or None) if isinstance(v, str) else v


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    display_name: str
    role: Role
    language: str
    active: bool


#: Pydantic's error types as message keys of service/i18n.py (one table for the participant
#: and register forms).
PYDANTIC_ERROR_KEYS = {
    "float_parsing": "err_number",
    "float_type": "err_number",
    "int_parsing": "err_integer",
    "int_type": "err_integer",
    "date_parsing": "err_date",
    "date_from_datetime_parsing": "err_date",
    "date_type": "err_date",
    "greater_than": "err_range",
    "greater_than_equal": "err_range",
    "less_than": "err_range",
    "less_than_equal": "err_range",
    "string_too_long": "err_too_long",
    "string_too_short": "err_required",
    "too_long": "err_too_many",
    "missing": "err_required",
    "enum": "err_choice",
    "literal_error": "err_choice",
    "string_pattern_mismatch": "err_format",
    "extra_forbidden": "err_unknown_field",
    "bool_parsing": "err_choice",
}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Pydantic errors as field -> message key (i18n keys ``err_*``; other text passes through)."""
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        field = loc[0] if loc else "__all__"
        ctx = err.get("ctx") or {}
        inner = ctx.get("error")
        if isinstance(inner, FieldErrors):
            for f, m in inner.errors.items():
                errors.setdefault(f, m)
            continue
        if err["type"] == "value_error":
            message = str(inner) if inner is not None else err["msg"]
        else:
            message = PYDANTIC_ERROR_KEYS.get(err["type"], err["msg"])
        errors.setdefault(field, message)
    return errors


def parse(model: type[_M], data: Any) -> _M:
    """Validate ``data`` into ``model``; raise :class:`FieldErrors` (a ValueError) otherwise."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise FieldErrors(field_errors(exc)) from None
