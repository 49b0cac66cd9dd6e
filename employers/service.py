"""Service functions of the register: keyword-only, session first, commit, raise domain errors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import func, update
from sqlmodel import Session, SQLModel, col, select

from employers.duplicates import DuplicateCandidate, find_duplicates
from employers.errors import EmployerNotFound, MergeError, RecordNotFound, VersionConflict
from employers.models import (
    ContactPerson,
    ContactStatus,
    Employer,
    EmployerContact,
    Opening,
    OpeningStatus,
    PracticeSlot,
    Workplace,
    utcnow,
)
from employers.relationship import ContactFact, Relationship, RelationshipStatus, assess
from employers.schemas import (
    ContactCreate,
    ContactPersonCreate,
    ContactUpdate,
    EmployerCreate,
    EmployerUpdate,
    InvalidField,
    OpeningCreate,
    OpeningUpdate,
    SlotCreate,
    SlotUpdate,
    WorkplaceCreate,
    check_contact_made,
    check_ssyk4,
)


class DuplicateEmployer(InvalidField):
    """Creating an employer whose organisation number is already in the register."""

    def __init__(self, duplicates: Sequence[DuplicateCandidate]) -> None:
        self.duplicates = list(duplicates)
        first = self.duplicates[0]
        super().__init__(
            "org_number",
            f"already registered for {first.name} (employer {first.employer_id})",
            key="err_org_number_taken",
            name=first.name,
        )


# ---------------------------------------------------------------- helpers


def _snapshot(record: SQLModel) -> dict[str, Any]:
    return record.model_dump(mode="json")


def _versioned_update(
    session: Session,
    model: type[SQLModel],
    *,
    entity: str,
    record_id: int,
    expected_version: int,
    values: dict[str, Any],
) -> None:
    """UPDATE ... WHERE id = ? AND version = ?; a stale version raises VersionConflict.

    The check and the write are one statement, so two concurrent saves based on the same
    version cannot both succeed, whatever the isolation level.
    """
    table_cols = model.__table__.c  # type: ignore[attr-defined]
    for key, value in values.items():
        if value is None and not table_cols[key].nullable:  # an explicit null for NOT NULL
            raise InvalidField(key, "required", key="err_required")
    values = dict(values)
    if "updated_at" in table_cols:
        values["updated_at"] = utcnow()
    statement = (
        update(model)
        .where(table_cols.id == record_id, table_cols.version == expected_version)
        .values(**values, version=table_cols.version + 1)
        .execution_options(synchronize_session=False)
    )
    result = session.exec(statement)
    if result.rowcount == 1:
        return
    session.rollback()
    current = session.get(model, record_id)
    if current is None:
        raise RecordNotFound(f"{entity} {record_id} not found")
    raise VersionConflict(
        entity=entity,
        record_id=record_id,
        expected_version=expected_version,
        current_version=current.version,  # type: ignore[attr-defined]
        current=_snapshot(current),
        submitted=to_jsonable_python({k: v for k, v in values.items() if k != "updated_at"}),
    )


_REQUIRED_ON_UPDATE = ("title", "vacancies", "capacity", "employment_form", "status")


def _check_required(values: dict[str, Any]) -> None:
    for key in _REQUIRED_ON_UPDATE:
        if key in values and values[key] in (None, ""):
            raise InvalidField(key, "required", key="err_required")


def _get(session: Session, model: type[SQLModel], record_id: int, entity: str) -> Any:
    record = session.get(model, record_id)
    if record is None:
        raise RecordNotFound(f"{entity} {record_id} not found")
    return record


# ---------------------------------------------------------------- employers


def find_employer(session: Session, *, employer_id: int) -> Employer | None:
    """The employer with this id, or None."""
    return session.get(Employer, employer_id)


def get_employer(session: Session, *, employer_id: int) -> Employer:
    """The employer with this id (merged ones included, with merged_into_id set)."""
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise EmployerNotFound(f"employer {employer_id} not found")
    return employer


def get_active_employer(session: Session, *, employer_id: int) -> Employer:
    """The employer with this id; a merged one cannot be changed any more."""
    employer = get_employer(session, employer_id=employer_id)
    if employer.merged_into_id is not None:
        raise EmployerNotFound(
            f"employer {employer_id} was merged into employer {employer.merged_into_id}"
        )
    return employer


def _check_municipality_known(code: str | None) -> None:
    from employers.adapters import find_municipality

    if code and find_municipality(code) is None:
        raise InvalidField(
            "municipality_code",
            f"no municipality has code {code}",
            key="err_municipality_unknown",
            code=code,
        )


def create_employer(
    session: Session, *, data: EmployerCreate, allow_same_org_number: bool = False
) -> Employer:
    """Create an employer; an organisation number already registered raises DuplicateEmployer."""
    _check_municipality_known(data.municipality_code)
    if data.org_number and not allow_same_org_number:
        same = [
            d
            for d in find_duplicates(session, name=data.name, org_number=data.org_number)
            if d.reason == "org_number"
        ]
        if same:
            raise DuplicateEmployer(same)
    employer = Employer.model_validate(data)
    session.add(employer)
    session.commit()
    session.refresh(employer)
    return employer


def update_employer(session: Session, *, employer_id: int, data: EmployerUpdate) -> Employer:
    """Apply the set fields, if nobody saved the employer since ``data.version``."""
    get_active_employer(session, employer_id=employer_id)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    if "name" in values and not values["name"]:
        raise InvalidField("name", "an employer needs a name", key="err_required")
    _check_municipality_known(values.get("municipality_code"))
    _versioned_update(
        session,
        Employer,
        entity="employer",
        record_id=employer_id,
        expected_version=data.version,
        values=values,
    )
    session.commit()
    employer = get_employer(session, employer_id=employer_id)
    session.refresh(employer)
    return employer


def employer_duplicates(session: Session, *, employer_id: int) -> list[DuplicateCandidate]:
    """Likely duplicates of an employer already in the register."""
    e = get_employer(session, employer_id=employer_id)
    return find_duplicates(
        session,
        name=e.name,
        org_number=e.org_number,
        municipality_code=e.municipality_code,
        exclude_id=e.id,
    )


def employer_choices(session: Session) -> list[Employer]:
    """Employers a contact can be logged with (merged duplicates left out), by name."""
    return list(
        session.exec(
            select(Employer)
            .where(col(Employer.merged_into_id).is_(None))
            .order_by(col(Employer.name), col(Employer.id))
        )
    )


def employer_names(session: Session, *, employer_ids: set[int]) -> dict[int, str]:
    """Employer id -> name for the given ids."""
    if not employer_ids:
        return {}
    return {
        e.id: e.name  # type: ignore[misc]
        for e in session.exec(select(Employer).where(col(Employer.id).in_(sorted(employer_ids))))
    }


_MERGE_FILL = ("org_number", "municipality_code", "address", "size_class", "trade", "lat", "lon")


def merge_employers(
    session: Session, *, keep_id: int, merge_id: int, keep_version: int, merge_version: int
) -> Employer:
    """Merge ``merge_id`` into ``keep_id``: every row that points at it moves over, empty
    fields are filled from it, and it stays as a record with ``merged_into_id`` set."""
    if keep_id == merge_id:
        raise MergeError("merge_id: cannot merge an employer with itself")
    keep = get_active_employer(session, employer_id=keep_id)
    gone = get_active_employer(session, employer_id=merge_id)
    values: dict[str, Any] = {f: getattr(gone, f) for f in _MERGE_FILL if getattr(keep, f) is None}
    values["occupation_ids"] = list(dict.fromkeys([*keep.occupation_ids, *gone.occupation_ids]))
    values["ssyk4_codes"] = list(dict.fromkeys([*keep.ssyk4_codes, *gone.ssyk4_codes]))
    if gone.needs:
        values["needs"] = "\n\n".join(filter(None, [keep.needs, gone.needs]))
    # The two versioned writes first: a stale page changes nothing.
    _versioned_update(
        session,
        Employer,
        entity="employer",
        record_id=keep_id,
        expected_version=keep_version,
        values=values,
    )
    _versioned_update(
        session,
        Employer,
        entity="employer",
        record_id=merge_id,
        expected_version=merge_version,
        values={"merged_into_id": keep_id},
    )
    # Every foreign key to employer.id (ours and other domains') follows the merge.
    employer_table = Employer.__table__  # type: ignore[attr-defined]
    for table in SQLModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is not employer_table or fk.parent.table is employer_table:
                continue
            session.exec(
                update(table).where(fk.parent == merge_id).values({fk.parent.name: keep_id})
            )
    session.exec(
        update(Employer)
        .where(col(Employer.merged_into_id) == merge_id, Employer.id != merge_id)
        .values(merged_into_id=keep_id)
    )
    session.commit()
    session.expire_all()
    return get_employer(session, employer_id=keep_id)


@dataclass(frozen=True, slots=True)
class EmployerRow:
    """An employer with its relationship and counts, for lists."""

    employer: Employer
    relationship: Relationship
    open_openings: int
    open_slots: int


def relationships(
    session: Session, *, employer_ids: Iterable[int], today: date | None = None
) -> dict[int, Relationship]:
    """Relationship status and warmth of each employer, from the contact log and hires."""
    today = today or date.today()
    ids = list(employer_ids)
    facts: dict[int, list[ContactFact]] = defaultdict(list)
    hires: dict[int, list[date]] = defaultdict(list)
    if ids:
        rows = session.exec(
            select(
                EmployerContact.employer_id,
                EmployerContact.contact_date,
                EmployerContact.mode,
                EmployerContact.status,
            )
            .where(col(EmployerContact.employer_id).in_(ids))
            .where(EmployerContact.status == ContactStatus.done)
        )
        for employer_id, contact_date, mode, status in rows:
            facts[employer_id].append(ContactFact(contact_date, mode, status))
        filled = session.exec(
            select(Opening.employer_id, Opening.closed_at)
            .where(col(Opening.employer_id).in_(ids))
            .where(Opening.status == OpeningStatus.filled)
        )
        for employer_id, closed_at in filled:
            if closed_at is not None:
                hires[employer_id].append(closed_at.date())
        for employer_id, start in _placement_starts(session, ids):
            hires[employer_id].append(start)
    return {i: assess(facts[i], today=today, hire_dates=hires[i]) for i in ids}


def _placement_starts(session: Session, ids: list[int]) -> list[tuple[int, date]]:
    # Job starts are recorded by the profiles domain; read its table by name so that this
    # package does not import that one.
    placement = SQLModel.metadata.tables.get("placement")
    if placement is None or "employer_id" not in placement.c or "start_date" not in placement.c:
        return []
    statement = select(placement.c.employer_id, placement.c.start_date).where(
        placement.c.employer_id.in_(ids)
    )
    if "kind" in placement.c:
        statement = statement.where(placement.c.kind.in_(["competitive", "subsidised"]))
    return [(int(e), d) for e, d in session.exec(statement) if d is not None]


def _matching_employers(
    session: Session,
    *,
    q: str | None,
    municipality_code: str | None,
    ssyk4_code: str | None,
    status: RelationshipStatus | None,
    has_openings: bool | None,
    include_merged: bool,
    today: date,
) -> tuple[list[Employer], dict[int, Relationship]]:
    """Every employer matching the filters, by name, with the relationships the status filter
    had to compute (empty when there is no status filter).

    An SSYK-4 code that is not four digits raises InvalidField: no employer could match it,
    and an empty list would hide the typo."""
    if ssyk4_code:
        check_ssyk4(ssyk4_code, field="ssyk4_code")
    statement = select(Employer)
    if not include_merged:
        statement = statement.where(col(Employer.merged_into_id).is_(None))
    if municipality_code:
        statement = statement.where(Employer.municipality_code == municipality_code)
    if has_openings is not None:
        open_opening = (
            select(Opening.id)
            .where(Opening.employer_id == Employer.id)
            .where(Opening.status == OpeningStatus.open)
            .exists()
        )
        statement = statement.where(open_opening if has_openings else ~open_opening)
    employers = list(session.exec(statement.order_by(func.lower(Employer.name), Employer.id)))
    if q and q.strip():
        # Case-folded in Python: SQLite's lower() leaves å, ä, ö alone.
        needle = q.strip().casefold()
        employers = [
            e
            for e in employers
            if any(needle in (v or "").casefold() for v in (e.name, e.trade, e.org_number))
        ]
    if ssyk4_code:
        employers = [e for e in employers if ssyk4_code in (e.ssyk4_codes or [])]
    rels: dict[int, Relationship] = {}
    if status is not None:
        # The status comes from the contact log, so every candidate's has to be known.
        ids = [e.id for e in employers if e.id is not None]
        rels = relationships(session, employer_ids=ids, today=today)
        employers = [e for e in employers if rels[e.id].status == status]  # type: ignore[index]
    return employers, rels


def _employer_rows(
    session: Session, employers: list[Employer], rels: dict[int, Relationship], today: date
) -> list[EmployerRow]:
    """Rows for the employers shown: relationship, open openings and open slots."""
    ids = [e.id for e in employers if e.id is not None]
    missing = [i for i in ids if i not in rels]
    if missing:
        rels = {**rels, **relationships(session, employer_ids=missing, today=today)}
    openings = _open_counts(session, Opening, ids)
    slots = _open_counts(session, PracticeSlot, ids)
    return [
        EmployerRow(e, rels[e.id], openings.get(e.id, 0), slots.get(e.id, 0))  # type: ignore[index]
        for e in employers
    ]


def list_employers(
    session: Session,
    *,
    q: str | None = None,
    municipality_code: str | None = None,
    ssyk4_code: str | None = None,
    status: RelationshipStatus | None = None,
    has_openings: bool | None = None,
    include_merged: bool = False,
    today: date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[EmployerRow]:
    """Employers matching the filters, by name; relationship computed from the log."""
    return list_employers_slice(
        session,
        q=q,
        municipality_code=municipality_code,
        ssyk4_code=ssyk4_code,
        status=status,
        has_openings=has_openings,
        include_merged=include_merged,
        today=today,
        limit=limit,
        offset=offset,
    ).rows


@dataclass(frozen=True, slots=True)
class EmployerSlice:
    """Rows ``offset`` to ``offset + limit`` of the filtered register, and the total over all
    rows (an offset past the end gives no rows, still with the total)."""

    rows: list[EmployerRow]
    total: int


def list_employers_slice(
    session: Session,
    *,
    q: str | None = None,
    municipality_code: str | None = None,
    ssyk4_code: str | None = None,
    status: RelationshipStatus | None = None,
    has_openings: bool | None = None,
    include_merged: bool = False,
    today: date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> EmployerSlice:
    """``list_employers`` with the total it would give without limit and offset."""
    today = today or date.today()
    # One pass: the status filter computes every candidate's relationship, not to be done twice.
    employers, rels = _matching_employers(
        session,
        q=q,
        municipality_code=municipality_code,
        ssyk4_code=ssyk4_code,
        status=status,
        has_openings=has_openings,
        include_merged=include_merged,
        today=today,
    )
    rows = _employer_rows(session, employers[offset : offset + limit], rels, today)
    return EmployerSlice(rows=rows, total=len(employers))


def count_employers(
    session: Session,
    *,
    q: str | None = None,
    municipality_code: str | None = None,
    ssyk4_code: str | None = None,
    status: RelationshipStatus | None = None,
    has_openings: bool | None = None,
    include_merged: bool = False,
    today: date | None = None,
) -> int:
    """How many employers ``list_employers`` finds with the same filters, over all pages."""
    return list_employers_slice(
        session,
        q=q,
        municipality_code=municipality_code,
        ssyk4_code=ssyk4_code,
        status=status,
        has_openings=has_openings,
        include_merged=include_merged,
        today=today,
        limit=0,
    ).total


@dataclass(frozen=True, slots=True)
class EmployerPage:
    """One page of the filtered register: its rows, the total over all pages, and where the
    page lies (``page`` is 1-based and always within ``1..pages``)."""

    rows: list[EmployerRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """1-based position of the page's first row (0 on an empty page)."""
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        """1-based position of the page's last row (0 on an empty page)."""
        return (self.page - 1) * self.per_page + len(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def list_employers_page(
    session: Session,
    *,
    q: str | None = None,
    municipality_code: str | None = None,
    ssyk4_code: str | None = None,
    status: RelationshipStatus | None = None,
    has_openings: bool | None = None,
    include_merged: bool = False,
    today: date | None = None,
    page: int = 1,
    per_page: int = 100,
) -> EmployerPage:
    """Page ``page`` of the employers matching the filters, by name, with the total.

    A page before the first gives the first, one after the last gives the last: a bookmarked
    page of a list that has since shrunk still shows something.
    """
    if per_page < 1:
        raise ValueError("per_page: must be at least 1")
    today = today or date.today()
    employers, rels = _matching_employers(
        session,
        q=q,
        municipality_code=municipality_code,
        ssyk4_code=ssyk4_code,
        status=status,
        has_openings=has_openings,
        include_merged=include_merged,
        today=today,
    )
    total = len(employers)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    rows = _employer_rows(session, employers[start : start + per_page], rels, today)
    return EmployerPage(rows=rows, total=total, page=page, per_page=per_page)


def _open_counts(session: Session, model: Any, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.exec(
        select(model.employer_id, func.count())
        .where(col(model.employer_id).in_(ids))
        .where(model.status == OpeningStatus.open)
        .group_by(model.employer_id)
    )
    return dict(rows.all())


# ---------------------------------------------------------------- workplaces, contact persons


def add_workplace(session: Session, *, employer_id: int, data: WorkplaceCreate) -> Workplace:
    """Add a workplace (site) to an employer."""
    get_active_employer(session, employer_id=employer_id)
    _check_municipality_known(data.municipality_code)
    workplace = Workplace(employer_id=employer_id, **data.model_dump())
    session.add(workplace)
    session.commit()
    session.refresh(workplace)
    return workplace


def add_contact_person(
    session: Session, *, employer_id: int, data: ContactPersonCreate
) -> ContactPerson:
    """Add a contact person to an employer."""
    get_active_employer(session, employer_id=employer_id)
    person = ContactPerson(employer_id=employer_id, **data.model_dump())
    session.add(person)
    session.commit()
    session.refresh(person)
    return person


def list_workplaces(session: Session, *, employer_id: int) -> list[Workplace]:
    """The employer's workplaces."""
    return list(
        session.exec(
            select(Workplace).where(Workplace.employer_id == employer_id).order_by(Workplace.id)
        )
    )


def list_contact_persons(session: Session, *, employer_id: int) -> list[ContactPerson]:
    """The employer's contact persons."""
    return list(
        session.exec(
            select(ContactPerson)
            .where(ContactPerson.employer_id == employer_id)
            .order_by(ContactPerson.name, ContactPerson.id)
        )
    )


# ---------------------------------------------------------------- contact log


def log_contact(
    session: Session, *, employer_id: int, data: ContactCreate, made_by_id: int | None
) -> EmployerContact:
    """Write one entry of the contact log (made or planned)."""
    get_active_employer(session, employer_id=employer_id)
    if data.contact_person_id is not None:
        person = session.get(ContactPerson, data.contact_person_id)
        if person is None or person.employer_id != employer_id:
            raise InvalidField(
                "contact_person_id", "not a contact person of this employer", key="err_not_found"
            )
    if data.participant_id is not None:
        participant = SQLModel.metadata.tables.get("participant")
        exists = (
            participant is not None
            and session.exec(
                select(participant.c.id).where(participant.c.id == data.participant_id)
            ).first()
        )
        if not exists:
            raise InvalidField("participant_id", "no such participant", key="err_not_found")
    contact = EmployerContact(
        employer_id=employer_id,
        made_by_id=made_by_id,
        **data.model_dump(exclude={"employer_id"}),
    )
    session.add(contact)
    session.commit()
    session.refresh(contact)
    return contact


def update_contact(session: Session, *, contact_id: int, data: ContactUpdate) -> EmployerContact:
    """Change a contact-log entry (e.g. a planned contact that was made)."""
    stored = _get(session, EmployerContact, contact_id, "contact")
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    check_contact_made(
        values.get("status", stored.status), values.get("contact_date", stored.contact_date)
    )
    _versioned_update(
        session,
        EmployerContact,
        entity="contact",
        record_id=contact_id,
        expected_version=data.version,
        values=values,
    )
    session.commit()
    contact = _get(session, EmployerContact, contact_id, "contact")
    session.refresh(contact)
    return contact


def get_contact(session: Session, *, contact_id: int) -> EmployerContact:
    """One contact-log entry."""
    return _get(session, EmployerContact, contact_id, "contact")


def _contacts_where(statement: Any, *, employer_id: int | None) -> Any:
    """The filters of ``list_contacts``, shared with ``count_contacts``."""
    if employer_id is not None:
        statement = statement.where(EmployerContact.employer_id == employer_id)
    return statement


def list_contacts(
    session: Session, *, employer_id: int | None = None, limit: int = 500, offset: int = 0
) -> list[EmployerContact]:
    """Contact log, newest first (one employer's timeline when ``employer_id`` is given)."""
    statement = _contacts_where(select(EmployerContact), employer_id=employer_id)
    statement = (
        statement.order_by(col(EmployerContact.contact_date).desc(), col(EmployerContact.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(statement))


def count_contacts(session: Session, *, employer_id: int | None = None) -> int:
    """How many entries ``list_contacts`` finds with the same filters, over all pages."""
    statement = select(func.count()).select_from(EmployerContact)
    return session.exec(_contacts_where(statement, employer_id=employer_id)).one()


# ---------------------------------------------------------------- openings and slots


def _resolve_occupations(title: str, data: dict[str, Any]) -> None:
    if data.get("occupation_ids"):
        return
    from employers.adapters import resolve_title

    occupation_ids, ssyk4_codes = resolve_title(title)
    data["occupation_ids"] = occupation_ids
    data["ssyk4_codes"] = data.get("ssyk4_codes") or ssyk4_codes


def _check_workplace(session: Session, employer_id: int, workplace_id: int | None) -> None:
    if workplace_id is None:
        return
    workplace = session.get(Workplace, workplace_id)
    if workplace is None or workplace.employer_id != employer_id:
        raise InvalidField("workplace_id", "not a workplace of this employer", key="err_not_found")


def _offers_where(
    statement: Any,
    model: type[Opening] | type[PracticeSlot],
    *,
    employer_id: int | None,
    status: OpeningStatus | None,
) -> Any:
    """The filters of ``list_openings`` / ``list_slots``, shared with their counts."""
    if employer_id is not None:
        statement = statement.where(model.employer_id == employer_id)
    if status is not None:
        statement = statement.where(model.status == status)
    return statement


def create_opening(session: Session, *, data: OpeningCreate, source: str = "manual") -> Opening:
    """Create an opening; its title is resolved to taxonomy occupations unless given."""
    get_active_employer(session, employer_id=data.employer_id)
    _check_workplace(session, data.employer_id, data.workplace_id)
    values = data.model_dump()
    _resolve_occupations(data.title, values)
    opening = Opening(**values, source=source)
    session.add(opening)
    session.commit()
    session.refresh(opening)
    return opening


def get_opening(session: Session, *, opening_id: int) -> Opening:
    """One opening, whatever its status."""
    return _get(session, Opening, opening_id, "opening")


def update_opening(session: Session, *, opening_id: int, data: OpeningUpdate) -> Opening:
    """Apply the set fields if nobody saved the opening since ``data.version``."""
    opening = get_opening(session, opening_id=opening_id)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    _check_required(values)
    if values.get("employment_form") == "subsidised" and not values.get(
        "subsidy_type", opening.subsidy_type
    ):
        raise InvalidField(
            "subsidy_type",
            "say which subsidy (lönebidrag, nystartsjobb, ...)",
            key="err_subsidy_type",
        )
    if "title" in values and "occupation_ids" not in values and values["title"] != opening.title:
        values["occupation_ids"] = []
        _resolve_occupations(values["title"], values)
    if "status" in values:
        values["closed_at"] = None if values["status"] == OpeningStatus.open else utcnow()
    _versioned_update(
        session,
        Opening,
        entity="opening",
        record_id=opening_id,
        expected_version=data.version,
        values=values,
    )
    session.commit()
    session.refresh(opening)
    return opening


def close_opening(
    session: Session, *, opening_id: int, version: int, status: OpeningStatus
) -> Opening:
    """Mark an opening filled or closed; the row and its history stay."""
    if status == OpeningStatus.open:
        raise ValueError("status: closing needs 'filled' or 'closed'")
    return update_opening(
        session, opening_id=opening_id, data=OpeningUpdate(version=version, status=status)
    )


def list_openings(
    session: Session,
    *,
    employer_id: int | None = None,
    status: OpeningStatus | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[Opening]:
    """Openings, newest first."""
    statement = _offers_where(select(Opening), Opening, employer_id=employer_id, status=status)
    statement = statement.order_by(col(Opening.id).desc()).offset(offset).limit(limit)
    return list(session.exec(statement))


def count_openings(
    session: Session, *, employer_id: int | None = None, status: OpeningStatus | None = None
) -> int:
    """How many rows ``list_openings`` finds with the same filters, over all pages."""
    statement = select(func.count()).select_from(Opening)
    return session.exec(
        _offers_where(statement, Opening, employer_id=employer_id, status=status)
    ).one()


def create_slot(session: Session, *, data: SlotCreate) -> PracticeSlot:
    """Create a practice / work-trial slot."""
    get_active_employer(session, employer_id=data.employer_id)
    _check_workplace(session, data.employer_id, data.workplace_id)
    values = data.model_dump()
    _resolve_occupations(data.title, values)
    slot = PracticeSlot(**values)
    session.add(slot)
    session.commit()
    session.refresh(slot)
    return slot


def get_slot(session: Session, *, slot_id: int) -> PracticeSlot:
    """One practice slot, whatever its status."""
    return _get(session, PracticeSlot, slot_id, "practice slot")


def update_slot(session: Session, *, slot_id: int, data: SlotUpdate) -> PracticeSlot:
    """Apply the set fields if nobody saved the slot since ``data.version``."""
    slot = get_slot(session, slot_id=slot_id)
    values = data.model_dump(exclude_unset=True, exclude={"version"})
    _check_required(values)
    if "title" in values and "occupation_ids" not in values and values["title"] != slot.title:
        values["occupation_ids"] = []
        _resolve_occupations(values["title"], values)
    start = values.get("period_start", slot.period_start)
    end = values.get("period_end", slot.period_end)
    if start and end and end < start:
        raise InvalidField(
            "period_end", "the period cannot end before it starts", key="err_end_before_start"
        )
    if "status" in values:
        values["closed_at"] = None if values["status"] == OpeningStatus.open else utcnow()
    _versioned_update(
        session,
        PracticeSlot,
        entity="practice slot",
        record_id=slot_id,
        expected_version=data.version,
        values=values,
    )
    session.commit()
    session.refresh(slot)
    return slot


def list_slots(
    session: Session,
    *,
    employer_id: int | None = None,
    status: OpeningStatus | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[PracticeSlot]:
    """Practice slots, newest first."""
    statement = _offers_where(
        select(PracticeSlot), PracticeSlot, employer_id=employer_id, status=status
    )
    statement = statement.order_by(col(PracticeSlot.id).desc()).offset(offset).limit(limit)
    return list(session.exec(statement))


def count_slots(
    session: Session, *, employer_id: int | None = None, status: OpeningStatus | None = None
) -> int:
    """How many rows ``list_slots`` finds with the same filters, over all pages."""
    statement = select(func.count()).select_from(PracticeSlot)
    return session.exec(
        _offers_where(statement, PracticeSlot, employer_id=employer_id, status=status)
    ).one()


def upcoming_steps(
    session: Session, *, employer_id: int, today: date | None = None
) -> list[EmployerContact]:
    """Planned contacts and next steps from today on, soonest first."""
    today = today or date.today()
    rows = list_contacts(session, employer_id=employer_id)
    due = [
        c
        for c in rows
        if (c.status == ContactStatus.planned and c.contact_date >= today)
        or (c.next_step_date is not None and c.next_step_date >= today)
    ]
    return sorted(due, key=lambda c: (c.next_step_date or c.contact_date, c.id or 0))
