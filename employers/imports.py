"""Imports into the register: employers from CSV/XLSX, openings from JobSearch/Platsbanken ads.

Both work in two phases. First every row is parsed and validated without touching the
database; a row with any problem is rejected with every reason (``field: message``). Then,
unless rows were rejected and ``skip_invalid`` is off (all-or-nothing, the default), the valid
rows are written in one transaction: any failure there rolls everything back.

Re-importing creates nothing twice: an employer is recognised by its organisation number, or
else by the same name (ignoring case, punctuation and the company form) in the same
municipality; an ad by its id (stored as ``Opening.external_id`` = ``"jobsearch:<id>"``).
A recognised employer only gets its empty fields filled; nothing a liaison typed is
overwritten. The column layout is documented in docs/imports.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, select

from employers.adapters import (
    find_municipality,
    known_occupation,
    municipality_code_for,
    resolve_title,
)
from employers.duplicates import DuplicateCandidate, find_duplicates, name_key
from employers.errors import ImportRejected
from employers.models import (
    ContactPerson,
    Employer,
    ImportBatch,
    Opening,
    OpeningStatus,
    utcnow,
)
from employers.orgnr import normalize_org_number
from employers.schemas import ContactPersonCreate, EmployerCreate, OpeningCreate

Progress = Callable[[int, int], None]

EMPLOYER_COLUMNS = (
    "name",
    "org_number",
    "municipality_code",
    "municipality",
    "address",
    "trade",
    "size_class",
    "needs",
    "occupations",
    "occupation_ids",
    "ssyk4_codes",
    "lat",
    "lon",
    "contact_name",
    "contact_role",
    "contact_phone",
    "contact_email",
)
REQUIRED_EMPLOYER_COLUMNS = ("name",)
AD_ID_PREFIX = "jobsearch:"
FULL_TIME_HOURS = 40.0
MAX_DESCRIPTION = 20000


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, header)."""


@dataclass
class RejectedRow:
    row: int
    key: str
    errors: list[str]


@dataclass
class PossibleDuplicate:
    row: int
    name: str
    employer_id: int
    existing_name: str
    reason: str
    score: float


@dataclass
class ImportReport:
    """What an import did (or would have done), row by row."""

    kind: str
    filename: str
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    openings_created: int = 0
    openings_updated: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    possible_duplicates: list[PossibleDuplicate] = field(default_factory=list)
    committed: bool = False
    previously_imported_at: datetime | None = None

    @property
    def rows_valid(self) -> int:
        return self.rows_total - len(self.rejected)

    def summary(self) -> str:
        """One English line for logs and the command line."""
        if self.kind == "ads":
            done = (
                f"{self.openings_created} openings created, {self.openings_updated} updated, "
                f"{self.unchanged} already there; {self.created} employers created"
            )
        else:
            done = (
                f"{self.created} employers created, {self.updated} updated, "
                f"{self.unchanged} unchanged"
            )
        if not self.committed:
            done = "nothing imported"
        return (
            f"{self.filename}: {self.rows_total} rows, {len(self.rejected)} rejected; {done}; "
            f"{len(self.possible_duplicates)} possible duplicates to review"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "rows_total": self.rows_total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "openings_created": self.openings_created,
            "openings_updated": self.openings_updated,
            "committed": self.committed,
            "previously_imported_at": (
                self.previously_imported_at.isoformat() if self.previously_imported_at else None
            ),
            "rejected": [r.__dict__ for r in self.rejected],
            "possible_duplicates": [d.__dict__ for d in self.possible_duplicates],
        }


def _messages(exc: ValidationError, prefix: str = "") -> list[str]:
    out = []
    for error in exc.errors():
        loc = ".".join(str(p) for p in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        empty = error["type"] == "missing" or (
            error["type"] == "string_type" and error.get("input") is None
        )
        if empty:  # a blank required cell or field (pydantic: "Input should be a valid string")
            message = (
                "required when contact_role, contact_phone or contact_email is filled"
                if prefix == "contact_"
                else "required, but empty"
            )
        if not loc and ": " in message:
            out.append(prefix + message)
        else:
            out.append(f"{prefix}{loc or 'row'}: {message}")
    return out


# ---------------------------------------------------------------- reading files


def _decode(data: bytes, filename: str) -> str:
    if b"\x00" in data:
        raise ImportFileError(f"{filename}: has NUL bytes, so it is not a text file (UTF-16?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Swedish Windows saves "CSV" in Windows-1252.
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{filename}: not a text file in UTF-8 or Windows-1252 (byte {exc.start})"
        ) from exc


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    text = str(value).strip()
    return text or None


def read_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """Header and (line number, row) pairs of a CSV (``,`` ``;`` or tab) or XLSX file."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ImportFileError(f"{filename}: not a readable .xlsx file ({exc})") from exc
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        workbook.close()
        if not rows:
            raise ImportFileError(f"{filename}: the first sheet is empty")
        header = [(_cell(h) or "").lower() for h in rows[0]]
        body = [
            (i, dict(zip(header, (_cell(v) for v in values), strict=False)))
            for i, values in enumerate(rows[1:], start=2)
            if any(_cell(v) for v in values)
        ]
        return header, body
    if suffix not in (".csv", ".txt"):
        raise ImportFileError(f"{filename}: employers are imported from .csv or .xlsx files")
    text = _decode(data, filename)
    if not text.strip():
        raise ImportFileError(f"{filename}: the file is empty")
    first_line = text.splitlines()[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    body = []
    try:
        header = [h.strip().lower() for h in next(reader)]
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            row = dict(zip(header, (_cell(v) for v in values), strict=False))
            if len(values) > len(header):
                row["__extra__"] = values[len(header) :]
            body.append((reader.line_num, row))
    except csv.Error as exc:  # a cell over the csv module's size limit, a stray NUL, ...
        raise ImportFileError(f"{filename}: line {reader.line_num}: {exc}") from exc
    return header, body


# ---------------------------------------------------------------- employers


@dataclass
class EmployerDraft:
    row: int
    data: EmployerCreate
    contact: ContactPersonCreate | None


def parse_employer_row(row: dict[str, Any]) -> tuple[EmployerDraft | None, list[str]]:
    """Validate one spreadsheet row; returns the draft or the list of problems."""
    errors: list[str] = []
    if row.get("__extra__"):
        errors.append("row: more cells than columns in the header")
    values = {k: row.get(k) for k in EMPLOYER_COLUMNS}
    code = values.pop("municipality_code")
    name = values.pop("municipality")
    if code and code.isdigit() and len(code) == 3:
        code = "0" + code  # a spreadsheet dropped the leading zero
    if code and code.isdigit() and len(code) == 4 and find_municipality(code) is None:
        errors.append(f"municipality_code: no municipality has code {code}")
    if not code and name:
        code = municipality_code_for(name)
        if code is None:
            errors.append(f"municipality: unknown municipality {name!r}")
    occupation_ids = list(_split(values.pop("occupation_ids")))
    ssyk4_codes = list(_split(values.pop("ssyk4_codes")))
    for occupation_id in occupation_ids:
        ssyk4 = known_occupation(occupation_id)
        if ssyk4 is None:
            errors.append(f"occupation_ids: unknown taxonomy occupation {occupation_id!r}")
        else:
            ssyk4_codes.append(ssyk4)
    for title in _split(values.pop("occupations")):
        ids, codes = resolve_title(title)
        if not ids:
            errors.append(f"occupations: {title!r} matches no occupation")
        occupation_ids += ids
        ssyk4_codes += codes
    contact_values = {
        "name": values.pop("contact_name"),
        "role": values.pop("contact_role"),
        "phone": values.pop("contact_phone"),
        "email": values.pop("contact_email"),
    }
    draft_data = None
    try:
        draft_data = EmployerCreate(
            **values,
            municipality_code=code,
            occupation_ids=list(dict.fromkeys(occupation_ids)),
            ssyk4_codes=list(dict.fromkeys(ssyk4_codes)),
        )
    except ValidationError as exc:
        errors += _messages(exc)
    contact = None
    if any(contact_values.values()):
        try:
            contact = ContactPersonCreate(**contact_values)
        except ValidationError as exc:
            errors += _messages(exc, "contact_")
    if errors or draft_data is None:
        return None, errors
    return EmployerDraft(0, draft_data, contact), []


def _split(value: str | None) -> Iterator[str]:
    if not value:
        return
    for part in value.replace("\n", ";").split(";"):
        if part.strip():
            yield part.strip()


def _match_employer(
    session: Session, *, name: str, org_number: str | None, municipality_code: str | None
) -> tuple[Employer | None, list[DuplicateCandidate]]:
    """The employer this row is (same org number, or same name key in the same
    municipality with no conflicting org number), and other likely duplicates."""
    candidates = find_duplicates(
        session, name=name, org_number=org_number, municipality_code=municipality_code
    )
    key = name_key(name)
    for candidate in candidates:
        if candidate.reason == "org_number":
            return session.get(Employer, candidate.employer_id), []
    for candidate in candidates:
        same_name = name_key(candidate.name) == key
        conflicting = org_number and candidate.org_number and candidate.org_number != org_number
        if same_name and not conflicting:
            others = [c for c in candidates if c is not candidate]
            return session.get(Employer, candidate.employer_id), others
    return None, candidates


def _fill_empty(employer: Employer, data: EmployerCreate) -> bool:
    changed = False
    for name, value in data.model_dump(exclude={"name"}).items():
        if name in ("occupation_ids", "ssyk4_codes"):
            merged = list(dict.fromkeys([*(getattr(employer, name) or []), *value]))
            if merged != list(getattr(employer, name) or []):
                setattr(employer, name, merged)
                changed = True
        elif value is not None and getattr(employer, name) is None:
            setattr(employer, name, value)
            changed = True
    if changed:
        employer.version += 1
        employer.updated_at = utcnow()
    return changed


def _previous_batch(session: Session, kind: str, digest: str) -> ImportBatch | None:
    return session.exec(
        select(ImportBatch).where(ImportBatch.kind == kind, ImportBatch.sha256 == digest)
    ).first()


def _finish(
    session: Session,
    report: ImportReport,
    *,
    digest: str,
    imported_by_id: int | None,
) -> None:
    previous = _previous_batch(session, report.kind, digest)
    if previous is None:
        session.add(
            ImportBatch(
                kind=report.kind,
                filename=report.filename[:300],
                sha256=digest,
                rows_total=report.rows_total,
                rows_imported=report.rows_valid,
                rows_rejected=len(report.rejected),
                imported_by_id=imported_by_id,
            )
        )
    session.commit()
    report.committed = True


def import_employers(
    session: Session,
    *,
    data: bytes,
    filename: str,
    skip_invalid: bool = False,
    imported_by_id: int | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import employers (and a contact person each) from a CSV or XLSX file."""
    header, rows = read_table(data, filename)
    missing = [c for c in REQUIRED_EMPLOYER_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(f"{filename}: missing column(s) {', '.join(missing)}")
    unknown = [h for h in header if h and h not in EMPLOYER_COLUMNS]
    if unknown:
        raise ImportFileError(
            f"{filename}: unknown column(s) {', '.join(unknown)}; "
            f"known: {', '.join(EMPLOYER_COLUMNS)}"
        )
    report = ImportReport(kind="employers", filename=filename, rows_total=len(rows))
    digest = hashlib.sha256(data).hexdigest()
    previous = _previous_batch(session, "employers", digest)
    report.previously_imported_at = previous.imported_at if previous else None

    drafts: list[EmployerDraft] = []
    seen_org: dict[str, int] = {}
    seen_name: dict[tuple[str, str | None], int] = {}
    total = len(rows) * 2
    for done, (line, row) in enumerate(rows, start=1):
        draft, errors = parse_employer_row(row)
        key = row.get("name") or f"row {line}"
        if draft is not None:
            draft.row = line
            org = draft.data.org_number
            place_key = (name_key(draft.data.name), draft.data.municipality_code)
            if org and org in seen_org:
                errors = [f"org_number: same organisation number as row {seen_org[org]}"]
            elif place_key in seen_name and not org:
                errors = [f"name: same employer as row {seen_name[place_key]}"]
            else:
                if org:
                    seen_org[org] = line
                seen_name.setdefault(place_key, line)
        if errors:
            report.rejected.append(RejectedRow(line, str(key), errors))
        else:
            assert draft is not None  # noqa: S101
            drafts.append(draft)
        if progress:
            progress(done, total)
    if report.rejected and not skip_invalid:
        raise ImportRejected(report)

    try:
        for done, draft in enumerate(drafts, start=len(rows) + 1):
            d = draft.data
            existing, others = _match_employer(
                session, name=d.name, org_number=d.org_number, municipality_code=d.municipality_code
            )
            if existing is None:
                employer = Employer.model_validate(d)
                session.add(employer)
                session.flush()
                report.created += 1
            else:
                employer = existing
                changed = _fill_empty(employer, d)
                report.updated += int(changed)
                report.unchanged += int(not changed)
            if draft.contact is not None and not _has_person(session, employer, draft.contact):
                session.add(ContactPerson(employer_id=employer.id, **draft.contact.model_dump()))
                if existing is not None and not changed:
                    report.unchanged -= 1
                    report.updated += 1
            for other in others:
                if other.employer_id == employer.id:
                    continue
                report.possible_duplicates.append(
                    PossibleDuplicate(
                        draft.row,
                        d.name,
                        other.employer_id,
                        other.name,
                        other.reason,
                        other.score,
                    )
                )
            session.flush()
            if progress:
                progress(done, total)
        _finish(session, report, digest=digest, imported_by_id=imported_by_id)
    except Exception:
        session.rollback()
        raise
    return report


def _has_person(session: Session, employer: Employer, person: ContactPersonCreate) -> bool:
    names = session.exec(
        select(ContactPerson.name).where(ContactPerson.employer_id == employer.id)
    ).all()
    return person.name.casefold() in {n.casefold() for n in names}


# ---------------------------------------------------------------- ads


def read_ads(data: bytes, filename: str) -> list[tuple[int, Any]]:
    """(position, ad or parse error) pairs of a JSONL file, a JSON list of ads, or a JobSearch
    search response (``{"hits": [...]}``, hits with or without ``_source``)."""
    suffix = Path(filename).suffix.lower()
    text = _decode(data, filename)
    if suffix == ".jsonl":
        out: list[tuple[int, Any]] = []
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                out.append((line_no, json.loads(line)))
            except json.JSONDecodeError as exc:
                out.append((line_no, ValueError(f"line: not valid JSON ({exc.msg})")))
            except RecursionError:
                out.append((line_no, ValueError("line: JSON nested too deeply")))
        return out
    if suffix != ".json":
        raise ImportFileError(f"{filename}: ads are imported from .json or .jsonl files")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{filename}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    except RecursionError as exc:
        raise ImportFileError(f"{filename}: JSON nested too deeply") from exc
    if isinstance(document, dict):
        hits = document.get("hits")
        if isinstance(hits, dict):  # Elasticsearch-style response
            hits = hits.get("hits")
        if hits is None and "id" in document:
            hits = [document]
        document = hits
    if not isinstance(document, list):
        raise ImportFileError(f"{filename}: expected a list of ads or a response with 'hits'")
    return [(i, ad) for i, ad in enumerate(document, start=1)]


@dataclass
class AdDraft:
    row: int
    external_id: str
    employer: EmployerCreate
    opening: dict[str, Any]
    removed: bool


_AD_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T|$)")


def _date(value: Any, field_name: str, errors: list[str]) -> date | None:
    if value in (None, ""):
        return None
    text = str(value).strip().replace(" ", "T")
    try:
        # YYYY-MM-DD, optionally with a time: not a bare number (20240101, a timestamp).
        if isinstance(value, bool | int | float) or not _AD_DATE.match(text):
            raise ValueError(text)
        return datetime.fromisoformat(text).date()
    except ValueError:
        errors.append(f"{field_name}: not a date ({value!r})")
        return None


def _text(value: Any, field_name: str, errors: list[str]) -> str:
    """A text field of an ad, stripped; a number is taken as text, other types are an error."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    errors.append(f"{field_name}: expected text, not {type(value).__name__}")
    return ""


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _objects(value: Any) -> list[dict[str, Any]]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def parse_ad(ad: Any) -> tuple[AdDraft | None, list[str]]:
    """Validate one JobSearch ad; returns the draft or the list of problems."""
    if isinstance(ad, Exception):
        return None, [str(ad)]
    if not isinstance(ad, dict):
        return None, ["ad: expected a JSON object"]
    if isinstance(ad.get("_source"), dict):
        ad = ad["_source"]
    errors: list[str] = []
    ad_id = ad.get("id")
    if ad_id in (None, ""):
        errors.append("id: missing")
    if ad_id is not None and not isinstance(ad_id, str | int):
        errors.append(f"id: expected text, not {type(ad_id).__name__}")
    headline = _text(ad.get("headline"), "headline", errors)
    if not headline and isinstance(ad.get("headline"), str | None):
        errors.append("headline: missing")
    employer = _object(ad.get("employer"))
    employer_name = _text(employer.get("name"), "employer.name", errors) or _text(
        employer.get("workplace"), "employer.workplace", errors
    )
    if not employer_name:
        errors.append("employer.name: missing")
    org_number = employer.get("organization_number")
    if org_number:
        try:
            org_number = normalize_org_number(str(org_number))
        except ValueError as exc:
            errors.append(f"employer.organization_number: {exc}")
    address = _object(ad.get("workplace_address"))
    code = _text(address.get("municipality_code"), "workplace_address.municipality_code", errors)
    if code and find_municipality(code) is None:
        errors.append(f"workplace_address.municipality_code: no municipality has code {code}")
        code = ""
    code = code or municipality_code_for(
        _text(address.get("municipality"), "workplace_address.municipality", errors)
    )
    lat = lon = None
    coordinates = address.get("coordinates")
    if isinstance(coordinates, list) and len(coordinates) == 2 and all(coordinates):
        lon, lat = coordinates  # GeoJSON order
    street = (
        ", ".join(str(p) for p in (address.get("street_address"), address.get("city")) if p) or None
    )

    occupation = _object(ad.get("occupation"))
    group = _object(ad.get("occupation_group"))
    occupation_ids: list[str] = []
    ssyk4_codes: list[str] = []
    concept = _text(occupation.get("concept_id"), "occupation.concept_id", errors)
    if concept and known_occupation(concept):
        occupation_ids = [concept]
        ssyk4_codes = [known_occupation(concept) or ""]
    else:
        legacy = str(group.get("legacy_ams_taxonomy_id") or "")
        if len(legacy) == 4 and legacy.isdigit():
            ssyk4_codes = [legacy]
        label = _text(occupation.get("label"), "occupation.label", errors)
        occupation_ids, resolved = resolve_title(label or headline)
        ssyk4_codes = ssyk4_codes or resolved

    hours = None
    scope = _object(ad.get("scope_of_work"))
    hours_type = ad.get("working_hours_type") or {}
    label = hours_type.get("label") if isinstance(hours_type, dict) else None
    if isinstance(label, list):
        label = ",".join(str(x) for x in label)
    if scope.get("max"):
        try:
            hours = round(FULL_TIME_HOURS * float(scope["max"]) / 100, 1)
        except (TypeError, ValueError):
            errors.append(f"scope_of_work.max: not a percentage ({scope['max']!r})")
    elif label and str(label).lower().startswith("heltid"):
        hours = FULL_TIME_HOURS
    licences: list[str] = []
    if ad.get("driving_license_required"):
        listed = _objects(ad.get("driving_license"))
        licences = [str(x.get("label")) for x in listed if x.get("label")]
        licences = licences or ["B"]
    must = _object(ad.get("must_have"))
    languages = [str(x["label"]) for x in _objects(must.get("languages")) if x.get("label")]
    description = _object(ad.get("description"))
    text = _text(description.get("text"), "description.text", errors)[:MAX_DESCRIPTION] or None
    vacancies = ad.get("number_of_vacancies") or 1
    opening = {
        "title": headline[:300],
        "occupation_ids": occupation_ids,
        "ssyk4_codes": ssyk4_codes,
        "hours_per_week": hours,
        "required_licences": licences,
        "required_languages": languages,
        "description": text,
        "municipality_code": code,
        "lat": lat,
        "lon": lon,
        "vacancies": vacancies,
        "deadline": _date(ad.get("application_deadline"), "application_deadline", errors),
        "published_date": _date(ad.get("publication_date"), "publication_date", errors),
    }
    employer_data = None
    try:
        employer_data = EmployerCreate(
            name=employer_name[:200] or "?",
            org_number=org_number or None,
            municipality_code=code,
            address=street,
            occupation_ids=occupation_ids,
            ssyk4_codes=ssyk4_codes,
        )
        OpeningCreate(employer_id=1, **opening)  # the employer has no id yet; check the rest
    except ValidationError as exc:
        renames = {
            "lat": "workplace_address.coordinates",
            "lon": "workplace_address.coordinates",
            "vacancies": "number_of_vacancies",
            "title": "headline",
        }
        for message in _messages(exc):
            field_name, _, rest = message.partition(": ")
            if field_name == "name" or field_name == "org_number":
                continue  # reported above
            errors.append(f"{renames.get(field_name, field_name)}: {rest}")
    if errors or employer_data is None:
        return None, errors
    return AdDraft(0, f"{AD_ID_PREFIX}{ad_id}", employer_data, opening, bool(ad.get("removed"))), []


def import_ads(
    session: Session,
    *,
    data: bytes,
    filename: str,
    skip_invalid: bool = False,
    imported_by_id: int | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import JobSearch / Platsbanken ads as openings (employers created or recognised)."""
    ads = read_ads(data, filename)
    report = ImportReport(kind="ads", filename=filename, rows_total=len(ads))
    digest = hashlib.sha256(data).hexdigest()
    previous = _previous_batch(session, "ads", digest)
    report.previously_imported_at = previous.imported_at if previous else None
    drafts: list[AdDraft] = []
    seen: dict[str, int] = {}
    total = len(ads) * 2
    for done, (position, ad) in enumerate(ads, start=1):
        draft, errors = parse_ad(ad)
        source = ad.get("_source", ad) if isinstance(ad, dict) else None
        key = str(source.get("id") or f"row {position}") if isinstance(source, dict) else ""
        if draft is not None:
            draft.row = position
            if draft.external_id in seen:
                errors = [f"id: same ad as row {seen[draft.external_id]}"]
            seen.setdefault(draft.external_id, position)
        if errors:
            report.rejected.append(RejectedRow(position, key, errors))
        else:
            assert draft is not None  # noqa: S101
            drafts.append(draft)
        if progress:
            progress(done, total)
    if report.rejected and not skip_invalid:
        raise ImportRejected(report)

    try:
        for done, draft in enumerate(drafts, start=len(ads) + 1):
            existing_opening = session.exec(
                select(Opening).where(Opening.external_id == draft.external_id)
            ).first()
            if existing_opening is not None:
                if draft.removed and existing_opening.status == OpeningStatus.open:
                    existing_opening.status = OpeningStatus.closed
                    existing_opening.closed_at = utcnow()
                    existing_opening.updated_at = existing_opening.closed_at
                    existing_opening.version += 1
                    report.openings_updated += 1
                else:
                    report.unchanged += 1
                if progress:
                    progress(done, total)
                continue
            e = draft.employer
            employer, others = _match_employer(
                session, name=e.name, org_number=e.org_number, municipality_code=e.municipality_code
            )
            if employer is None:
                employer = Employer.model_validate(e)
                session.add(employer)
                session.flush()
                report.created += 1
            elif _fill_empty(employer, e):
                report.updated += 1
            for other in others:
                if other.employer_id != employer.id:
                    report.possible_duplicates.append(
                        PossibleDuplicate(
                            draft.row,
                            e.name,
                            other.employer_id,
                            other.name,
                            other.reason,
                            other.score,
                        )
                    )
            opening = Opening(
                employer_id=employer.id,
                source="jobsearch",
                external_id=draft.external_id,
                status=OpeningStatus.closed if draft.removed else OpeningStatus.open,
                closed_at=utcnow() if draft.removed else None,
                **OpeningCreate(employer_id=employer.id or 0, **draft.opening).model_dump(
                    exclude={"employer_id"}
                ),
            )
            session.add(opening)
            session.flush()
            report.openings_created += 1
            if progress:
                progress(done, total)
        _finish(session, report, digest=digest, imported_by_id=imported_by_id)
    except Exception:
        session.rollback()
        raise
    return report
