"""Employer register: liaison pages and the JSON API (/api/employers, /api/contacts,
/api/openings, /api/slots)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, ValidationError
from sqlmodel import Session, col, select

from employers import service
from employers.adapters import municipality_label, occupation_label
from employers.errors import ImportRejected, VersionConflict
from employers.imports import EMPLOYER_COLUMNS, ImportFileError, import_ads, import_employers
from employers.models import (
    MAX_INTEGER,
    ContactMode,
    ContactStatus,
    Employer,
    EmploymentForm,
    OpeningStatus,
    RecordId,
)
from employers.relationship import RelationshipStatus
from employers.schemas import (
    PHYSICAL_DEMANDS,
    SCHEDULES,
    SIZE_CLASSES,
    CloseRequest,
    ContactCreate,
    ContactPersonCreate,
    ContactPersonPublic,
    ContactPublic,
    ContactUpdate,
    DuplicatePublic,
    EmployerCreate,
    EmployerPublic,
    EmployerSummary,
    EmployerUpdate,
    InvalidField,
    MergeRequest,
    OpeningCreate,
    OpeningPublic,
    OpeningUpdate,
    SlotCreate,
    SlotPublic,
    SlotUpdate,
    WorkplaceCreate,
    WorkplacePublic,
)
from profiles import service as profiles_service
from profiles.models import CareerProfile, Participant
from profiles.schemas import PYDANTIC_ERROR_KEYS
from service.deps import LiaisonUser, SessionDep, is_htmx, render
from service.i18n import request_language, translate

router = APIRouter()

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Messages of these pages, Swedish first (the default) and English.
MESSAGES: dict[str, dict[str, str]] = {
    "sv": {
        "employers": "Arbetsgivare",
        "new_employer": "Ny arbetsgivare",
        "edit": "Redigera",
        "name": "Namn",
        "org_number": "Organisationsnummer",
        "municipality_code": "Kommunkod",
        "municipality": "Kommun",
        "address": "Adress",
        "size_class": "Storlek (anställda)",
        "trade": "Bransch",
        "needs": "Arbetsgivarens behov",
        "occupations": "Yrken",
        "ssyk4_codes": "SSYK-4-koder",
        "relationship": "Relation",
        "rel_new": "Ny",
        "rel_warm": "Varm",
        "rel_active_partner": "Aktiv partner",
        "rel_dormant": "Vilande",
        "warmth": "Värme",
        "last_contact": "Senaste kontakt",
        "openings": "Lediga jobb",
        "slots": "Praktikplatser",
        "contacts": "Kontakter",
        "timeline": "Kontakthistorik",
        "contact_persons": "Kontaktpersoner",
        "workplaces": "Arbetsplatser",
        "log_contact": "Logga kontakt",
        "new_opening": "Nytt jobb",
        "new_slot": "Ny praktikplats",
        "contact_date": "Datum",
        "mode": "Sätt",
        "mode_visit": "Besök",
        "mode_meeting": "Möte",
        "mode_phone": "Telefon",
        "mode_email": "E-post",
        "cstatus_planned": "Planerad",
        "cstatus_done": "Genomförd",
        "cstatus_cancelled": "Inställd",
        "participant_code": "Deltagare (kod)",
        "general_job_development": "Allmän jobbutveckling",
        "purpose": "Syfte",
        "needs_learned": "Vad vi lärde oss om behoven",
        "outcome": "Resultat",
        "next_step": "Nästa steg",
        "next_step_date": "Datum för nästa steg",
        "made_by": "Gjord av",
        "disclosure": "Får arbetsgivaren veta om funktionsnedsättningen?",
        "disclosure_yes": "Ja, får berättas",
        "disclosure_no": "Nej, får inte berättas",
        "disclosure_undecided": "Inte bestämt – fråga deltagaren",
        "disclosure_unknown_code": "Ingen deltagare har den koden.",
        "title": "Titel",
        "hours_per_week": "Timmar per vecka",
        "schedules": "Arbetstider",
        "sched_day": "Dag",
        "sched_evening": "Kväll",
        "sched_night": "Natt",
        "sched_weekend": "Helg",
        "conditions": "Villkor (taggar)",
        "required_licences": "Körkort som krävs",
        "required_languages": "Språk som krävs (t.ex. Svenska:3)",
        "physical_demand": "Fysiska krav",
        "phys_light": "Lätta",
        "phys_medium": "Medel",
        "phys_heavy": "Tunga",
        "description": "Beskrivning",
        "employment_form": "Anställningsform",
        "form_competitive": "Konkurrensutsatt",
        "form_subsidised": "Subventionerad",
        "subsidy_type": "Typ av stöd",
        "vacancies": "Antal platser",
        "deadline": "Sista ansökningsdag",
        "ostatus_open": "Öppen",
        "ostatus_filled": "Tillsatt",
        "ostatus_closed": "Stängd",
        "close_filled": "Markera tillsatt",
        "close_closed": "Stäng",
        "capacity": "Antal platser",
        "period_start": "Period från",
        "period_end": "Period till",
        "role": "Roll",
        "phone": "Telefon",
        "email": "E-post",
        "add": "Lägg till",
        "duplicates": "Möjliga dubbletter",
        "dup_org_number": "samma organisationsnummer",
        "dup_similar_name": "liknande namn i samma kommun",
        "merge": "Slå ihop",
        "merge_into_this": "Slå ihop in i denna",
        "merge_explain": (
            "Alla kontakter, jobb, praktikplatser, kontaktpersoner och arbetsplatser flyttas "
            "till den post som behålls. Tomma fält fylls i från den andra."
        ),
        "keep": "Behålls",
        "merged_away": "Slås ihop och försvinner ur listan",
        "import": "Importera",
        "import_title": "Importera arbetsgivare eller annonser",
        "import_file": "Fil",
        "import_kind": "Typ av fil",
        "kind_employers": "Arbetsgivare (.csv eller .xlsx)",
        "kind_ads": "Annonser från Platsbanken/JobSearch (.json eller .jsonl)",
        "skip_invalid": "Importera de giltiga raderna och rapportera resten",
        "import_report": "Importrapport",
        "import_nothing": "Inget importerades: rätta raderna nedan eller välj att hoppa över dem.",
        "import_done": "Importen är klar.",
        "rejected_rows": "Avvisade rader",
        "row": "Rad",
        "reasons": "Orsaker",
        "created": "Skapade",
        "updated": "Uppdaterade",
        "unchanged": "Fanns redan",
        "previously_imported": "Samma fil importerades tidigare",
        "conflict_title": "Någon annan har sparat ändringar",
        "conflict_explain": (
            "Posten ändrades efter att du öppnade den. Jämför och välj vad som ska gälla; "
            "ingenting har skrivits över."
        ),
        "field": "Fält",
        "saved_version": "Sparad version",
        "your_version": "Din ändring",
        "use_mine": "Spara min ändring ovanpå den sparade",
        "reload": "Börja om från den sparade versionen",
        "filter": "Filtrera",
        "all": "Alla",
        "has_openings": "Har lediga jobb",
        "no_results": "Inga arbetsgivare matchar.",
        "showing": "Visar {first}–{last} av {total} arbetsgivare",
        "showing_one": "Visar 1 arbetsgivare",
        "page_of": "Sida {page} av {pages}",
        "previous_page": "Föregående sida",
        "next_page": "Nästa sida",
        "paging": "Sidor",
        "upcoming": "Kommande",
        "none_yet": "Inget än.",
        "fix_fields": "Kontrollera de markerade fälten.",
        "search_placeholder": "Namn, bransch eller org.nr",
        "status": "Status",
        "merged_into": "Ihopslagen med",
        "source": "Källa",
    },
    "en": {
        "employers": "Employers",
        "new_employer": "New employer",
        "edit": "Edit",
        "name": "Name",
        "org_number": "Organisation number",
        "municipality_code": "Municipality code",
        "municipality": "Municipality",
        "address": "Address",
        "size_class": "Size (employees)",
        "trade": "Trade",
        "needs": "Employer's needs",
        "occupations": "Occupations",
        "ssyk4_codes": "SSYK-4 codes",
        "relationship": "Relationship",
        "rel_new": "New",
        "rel_warm": "Warm",
        "rel_active_partner": "Active partner",
        "rel_dormant": "Dormant",
        "warmth": "Warmth",
        "last_contact": "Last contact",
        "openings": "Openings",
        "slots": "Practice slots",
        "contacts": "Contacts",
        "timeline": "Contact history",
        "contact_persons": "Contact persons",
        "workplaces": "Workplaces",
        "log_contact": "Log contact",
        "new_opening": "New opening",
        "new_slot": "New practice slot",
        "contact_date": "Date",
        "mode": "Mode",
        "mode_visit": "Visit",
        "mode_meeting": "Meeting",
        "mode_phone": "Phone",
        "mode_email": "E-mail",
        "cstatus_planned": "Planned",
        "cstatus_done": "Done",
        "cstatus_cancelled": "Cancelled",
        "participant_code": "Participant (code)",
        "general_job_development": "General job development",
        "purpose": "Purpose",
        "needs_learned": "What we learned about their needs",
        "outcome": "Outcome",
        "next_step": "Next step",
        "next_step_date": "Date of next step",
        "made_by": "Made by",
        "disclosure": "May the employer be told about the disability?",
        "disclosure_yes": "Yes, may be told",
        "disclosure_no": "No, must not be told",
        "disclosure_undecided": "Not decided – ask the participant",
        "disclosure_unknown_code": "No participant has that code.",
        "title": "Title",
        "hours_per_week": "Hours per week",
        "schedules": "Working times",
        "sched_day": "Day",
        "sched_evening": "Evening",
        "sched_night": "Night",
        "sched_weekend": "Weekend",
        "conditions": "Conditions (tags)",
        "required_licences": "Driving licences required",
        "required_languages": "Languages required (e.g. Svenska:3)",
        "physical_demand": "Physical demands",
        "phys_light": "Light",
        "phys_medium": "Medium",
        "phys_heavy": "Heavy",
        "description": "Description",
        "employment_form": "Employment form",
        "form_competitive": "Competitive",
        "form_subsidised": "Subsidised",
        "subsidy_type": "Kind of subsidy",
        "vacancies": "Vacancies",
        "deadline": "Application deadline",
        "ostatus_open": "Open",
        "ostatus_filled": "Filled",
        "ostatus_closed": "Closed",
        "close_filled": "Mark filled",
        "close_closed": "Close",
        "capacity": "Places",
        "period_start": "Period from",
        "period_end": "Period to",
        "role": "Role",
        "phone": "Phone",
        "email": "E-mail",
        "add": "Add",
        "duplicates": "Possible duplicates",
        "dup_org_number": "same organisation number",
        "dup_similar_name": "similar name in the same municipality",
        "merge": "Merge",
        "merge_into_this": "Merge into this one",
        "merge_explain": (
            "Every contact, opening, practice slot, contact person and workplace moves to the "
            "record kept. Empty fields are filled from the other."
        ),
        "keep": "Kept",
        "merged_away": "Merged and removed from the list",
        "import": "Import",
        "import_title": "Import employers or ads",
        "import_file": "File",
        "import_kind": "Kind of file",
        "kind_employers": "Employers (.csv or .xlsx)",
        "kind_ads": "Platsbanken/JobSearch ads (.json or .jsonl)",
        "skip_invalid": "Import the valid rows and report the rest",
        "import_report": "Import report",
        "import_nothing": "Nothing was imported: fix the rows below or choose to skip them.",
        "import_done": "The import is done.",
        "rejected_rows": "Rejected rows",
        "row": "Row",
        "reasons": "Reasons",
        "created": "Created",
        "updated": "Updated",
        "unchanged": "Already there",
        "previously_imported": "The same file was imported before",
        "conflict_title": "Someone else saved changes",
        "conflict_explain": (
            "The record changed after you opened it. Compare and choose; nothing was overwritten."
        ),
        "field": "Field",
        "saved_version": "Saved version",
        "your_version": "Your change",
        "use_mine": "Save my change on top of the saved one",
        "reload": "Start again from the saved version",
        "filter": "Filter",
        "all": "All",
        "has_openings": "Has openings",
        "no_results": "No employers match.",
        "showing": "Showing {first}–{last} of {total} employers",
        "showing_one": "Showing 1 employer",
        "page_of": "Page {page} of {pages}",
        "previous_page": "Previous page",
        "next_page": "Next page",
        "paging": "Pages",
        "upcoming": "Upcoming",
        "none_yet": "Nothing yet.",
        "fix_fields": "Please check the marked fields.",
        "search_placeholder": "Name, trade or org. no.",
        "status": "Status",
        "merged_into": "Merged into",
        "source": "Source",
    },
}


def message(key: str, lang: str) -> str:
    """This page's message for ``key`` in ``lang`` (Swedish, then the key, as fallbacks)."""
    return translate(key, lang, MESSAGES)


def _page(request: Request, template: str, context: dict[str, Any], status_code: int = 200):
    lang = request_language(request)
    context = {
        "t": lambda key: message(key, lang),
        "municipality_label": municipality_label,
        "occupation_label": occupation_label,
        "SCHEDULES": SCHEDULES,
        "PHYSICAL_DEMANDS": PHYSICAL_DEMANDS,
        "SIZE_CLASSES": SIZE_CLASSES,
        "MODES": [m.value for m in ContactMode],
        "CONTACT_STATUSES": [s.value for s in ContactStatus],
        "EMPLOYMENT_FORMS": [f.value for f in EmploymentForm],
        "RELATIONSHIPS": [s.value for s in RelationshipStatus],
        "today": date.today(),
        "columns": EMPLOYER_COLUMNS,
        **context,
    }
    return render(request, template, context, status_code=status_code)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# Pydantic's error types as message keys of service/i18n.py: the coach side's table (one table
# for both sides), and the few types only the register's fields give.
_ERROR_KEYS: dict[str, str] = {
    **PYDANTIC_ERROR_KEYS,
    "int_from_float": "err_integer",
    "finite_number": "err_number",
    "list_type": "err_format",
}


def _field_errors(exc: ValidationError | ValueError, request: Request) -> dict[str, str]:
    """``{field: message}`` in the page's language, from a validation error or a domain error.

    ``InvalidField`` carries its message key; pydantic's own errors are keyed by their type;
    a blank required field is "required" whatever its type. Anything else (an error without a
    key) is shown as a format error rather than as a developer's English."""
    lang = request_language(request)
    errors: dict[str, str] = {}
    if isinstance(exc, ValidationError):
        for e in exc.errors():
            loc = ".".join(str(p) for p in e["loc"] if not isinstance(p, int))
            inner = (e.get("ctx") or {}).get("error")
            if isinstance(inner, InvalidField):
                errors.setdefault(inner.field or loc or "__all__", _says(inner, lang))
                continue
            field = loc
            if not field:  # a model check naming its field as "field: message"
                name, sep, _ = str(e["msg"]).removeprefix("Value error, ").partition(": ")
                field = name if sep and " " not in name else "__all__"
            if e.get("input") is None and e["type"] != "value_error":
                key = "err_required"
            else:
                key = _ERROR_KEYS.get(e["type"], "err_format")
            errors.setdefault(field, translate(key, lang))
        return errors
    if isinstance(exc, InvalidField):
        return {exc.field or "__all__": _says(exc, lang)}
    field, sep, _ = str(exc).partition(": ")
    return {field if sep and " " not in field else "__all__": translate("err_format", lang)}


def _says(error: InvalidField, lang: str) -> str:
    """An ``InvalidField``'s message in ``lang``."""
    text = translate(error.key, lang)
    return text.format(**error.params) if error.params else text


async def _form_values(request: Request, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {}
    for key in form:
        if key == "csrf_token":
            continue
        values[key] = form.getlist(key) if key in lists else form.get(key)
    for key in lists:
        values.setdefault(key, [])
    return values


def _participant_id(session: Session, code: str | None) -> int | None:
    if not code or not code.strip():
        return None
    participant = session.exec(select(Participant).where(Participant.code == code.strip())).first()
    if participant is None:
        raise InvalidField(
            "participant_code",
            f"no participant with code {code.strip()!r}",
            key="err_participant_code",
            code=code.strip(),
        )
    return participant.id


def _timeline(session: Session, employer_id: int) -> list[dict[str, Any]]:
    contacts = service.list_contacts(session, employer_id=employer_id)
    pids = {c.participant_id for c in contacts if c.participant_id is not None}
    codes: dict[int, str] = {}
    disclosures: dict[int, str] = {}
    if pids:
        for p in session.exec(select(Participant).where(col(Participant.id).in_(pids))):
            codes[p.id] = p.code  # type: ignore[index]
        for profile in session.exec(
            select(CareerProfile).where(col(CareerProfile.participant_id).in_(pids))
        ):
            disclosures[profile.participant_id] = profile.disclosure.value
    users = _user_names(session, {c.made_by_id for c in contacts if c.made_by_id})
    return [
        {
            "contact": c,
            "participant_code": codes.get(c.participant_id) if c.participant_id else None,
            "disclosure": (
                disclosures.get(c.participant_id, "undecided") if c.participant_id else None
            ),
            "made_by": users.get(c.made_by_id) if c.made_by_id else None,
        }
        for c in contacts
    ]


def _user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    from profiles.models import User

    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u.display_name for u in session.exec(select(User).where(col(User.id).in_(ids)))}  # type: ignore[misc]


# ==================================================================== pages


PAGE_SIZE = 100


def _number(n: int, lang: str) -> str:
    """``1234`` as people write it: ``1 234`` in Swedish (no-break space), ``1,234`` in English."""
    grouped = f"{n:,}"
    return grouped if lang == "en" else grouped.replace(",", "\u00a0")


def _paging_text(result: service.EmployerPage, lang: str) -> str:
    """``Visar 101–200 av 1 234 arbetsgivare`` for the page shown ('' when nothing matches)."""
    if result.total == 0:
        return ""
    if result.total == 1:
        return message("showing_one", lang)
    return message("showing", lang).format(
        first=_number(result.first, lang),
        last=_number(result.last, lang),
        total=_number(result.total, lang),
    )


@router.get("/employers", include_in_schema=False)
def employer_list(
    request: Request,
    session: SessionDep,
    user: LiaisonUser,
    q: str | None = None,
    municipality_code: str | None = None,
    status: str | None = None,
    ssyk4_code: str | None = None,
    has_openings: str | None = None,
    page: int = 1,
):
    rel = RelationshipStatus(status) if status in RelationshipStatus._value2member_map_ else None
    errors: dict[str, str] = {}
    try:
        result = service.list_employers_page(
            session,
            q=q,
            municipality_code=municipality_code or None,
            ssyk4_code=ssyk4_code or None,
            status=rel,
            has_openings=True if has_openings else None,
            page=page,
            per_page=PAGE_SIZE,
        )
    except InvalidField as exc:  # a filter no employer can match: say so, not "none match"
        errors = _field_errors(exc, request)
        result = service.EmployerPage(rows=[], total=0, page=1, per_page=PAGE_SIZE)
    filters = {
        "q": q or "",
        "municipality_code": municipality_code or "",
        "status": status or "",
        "ssyk4_code": ssyk4_code or "",
        "has_openings": bool(has_openings),
    }
    # The links to other pages keep the filters; the filter form itself has no page field,
    # so changing a filter starts again from page 1.
    kept = {k: ("1" if k == "has_openings" else v) for k, v in filters.items() if v}

    def page_url(number: int) -> str:
        return "/employers?" + urlencode({**kept, "page": number})

    lang = request_language(request)
    context = {
        "rows": result.rows,
        "paging": result,
        "paging_text": _paging_text(result, lang),
        "page_of": message("page_of", lang).format(
            page=_number(result.page, lang), pages=_number(result.pages, lang)
        ),
        "page_url": page_url,
        "filters": filters,
        "errors": errors,
    }
    # A history restore asks for the whole page although it comes from htmx.
    if is_htmx(request) and request.headers.get("hx-history-restore-request") != "true":
        # 200 even with a filter error: htmx swaps only 2xx answers, and the rows say why.
        response = _page(request, "employers/_rows.html", context)
    else:
        context["municipalities"] = sorted(
            {c for c in session.exec(select(Employer.municipality_code).distinct()) if c},
            key=municipality_label,
        )
        response = _page(
            request, "employers/list.html", context, status_code=422 if errors else 200
        )
    # The same address answers with rows or with the page: caches must tell them apart.
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/employers/new", include_in_schema=False)
def employer_new(request: Request, user: LiaisonUser):
    return _page(request, "employers/form.html", {"values": {}, "errors": {}, "employer": None})


@router.post("/employers/new", include_in_schema=False)
async def employer_create(request: Request, session: SessionDep, user: LiaisonUser):
    values = await _form_values(request)
    try:
        data = EmployerCreate.model_validate(_blank_to_none(values))
        employer = service.create_employer(session, data=data)
    except service.DuplicateEmployer as exc:
        return _page(
            request,
            "employers/form.html",
            {
                "values": values,
                "errors": _field_errors(exc, request),
                "employer": None,
                "duplicates": exc.duplicates,
            },
            status_code=422,
        )
    except (ValidationError, ValueError) as exc:
        return _page(
            request,
            "employers/form.html",
            {"values": values, "errors": _field_errors(exc, request), "employer": None},
            status_code=422,
        )
    return _redirect(f"/employers/{employer.id}")


@router.get("/employers/import", include_in_schema=False)
def import_page(request: Request, user: LiaisonUser):
    return _page(request, "employers/import.html", {"report": None, "error": None})


@router.post("/employers/import", include_in_schema=False)
async def import_upload(
    request: Request,
    session: SessionDep,
    user: LiaisonUser,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form()] = "employers",
    skip_invalid: Annotated[bool, Form()] = False,
):
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    filename = file.filename or "upload"
    try:
        if len(data) > MAX_UPLOAD_BYTES:
            raise ImportFileError(f"{filename}: larger than {MAX_UPLOAD_BYTES // 2**20} MB")
        run = import_ads if kind == "ads" else import_employers
        report = run(
            session,
            data=data,
            filename=filename,
            skip_invalid=skip_invalid,
            imported_by_id=user.id,
        )
    except ImportRejected as exc:
        return _page(
            request,
            "employers/import.html",
            {"report": exc.report, "error": None},
            status_code=422,
        )
    except ImportFileError as exc:
        return _page(
            request,
            "employers/import.html",
            {"report": None, "error": str(exc)},
            status_code=422,
        )
    return _page(request, "employers/import.html", {"report": report, "error": None})


@router.get("/employers/{employer_id}", include_in_schema=False)
def employer_page(request: Request, session: SessionDep, user: LiaisonUser, employer_id: RecordId):
    employer = service.get_employer(session, employer_id=employer_id)
    if employer.merged_into_id is not None:
        return _redirect(f"/employers/{employer.merged_into_id}")
    return _page(request, "employers/detail.html", _detail_context(session, employer))


def _detail_context(session: Session, employer: Employer, **extra: Any) -> dict[str, Any]:
    assert employer.id is not None  # noqa: S101
    rel = service.relationships(session, employer_ids=[employer.id])[employer.id]
    return {
        "employer": employer,
        "relationship": rel,
        "timeline": _timeline(session, employer.id),
        "persons": service.list_contact_persons(session, employer_id=employer.id),
        "workplaces": service.list_workplaces(session, employer_id=employer.id),
        "openings": service.list_openings(session, employer_id=employer.id),
        "slots": service.list_slots(session, employer_id=employer.id),
        "duplicates": service.employer_duplicates(session, employer_id=employer.id),
        "upcoming": service.upcoming_steps(session, employer_id=employer.id),
        "values": {},
        "errors": {},
        "form": None,
        **extra,
    }


@router.get("/employers/{employer_id}/edit", include_in_schema=False)
def employer_edit(request: Request, session: SessionDep, user: LiaisonUser, employer_id: RecordId):
    employer = service.get_active_employer(session, employer_id=employer_id)
    values = employer.model_dump()
    return _page(
        request, "employers/form.html", {"values": values, "errors": {}, "employer": employer}
    )


@router.post("/employers/{employer_id}/edit", include_in_schema=False)
async def employer_save(
    request: Request, session: SessionDep, user: LiaisonUser, employer_id: RecordId
):
    employer = service.get_active_employer(session, employer_id=employer_id)
    values = await _form_values(request)
    try:
        data = EmployerUpdate.model_validate(_blank_to_none(values))
        service.update_employer(session, employer_id=employer_id, data=data)
    except VersionConflict as exc:
        return _conflict_page(request, exc, values, f"/employers/{employer_id}/edit")
    except (ValidationError, ValueError) as exc:
        return _page(
            request,
            "employers/form.html",
            {"values": values, "errors": _field_errors(exc, request), "employer": employer},
            status_code=422,
        )
    return _redirect(f"/employers/{employer_id}")


def _conflict_page(request: Request, exc: VersionConflict, values: dict[str, Any], action: str):
    fields = [k for k in values if k not in ("version", "keep_version", "merge_version")]
    return _page(
        request,
        "employers/conflict.html",
        {
            "conflict": exc,
            "fields": fields,
            "mine": values,
            "saved": exc.current,
            "action": action,
        },
        status_code=409,
    )


@router.get("/employers/{employer_id}/disclosure", include_in_schema=False)
def contact_disclosure(
    request: Request,
    session: SessionDep,
    user: LiaisonUser,
    employer_id: RecordId,
    participant_code: str = "",
):
    """The disclosure choice of the participant whose code is typed in the contact form."""
    service.get_active_employer(session, employer_id=employer_id)
    code = participant_code.strip()[:50]
    disclosure = (
        profiles_service.disclosure_for_contact(session, user=user, code=code) if code else None
    )
    return _page(
        request,
        "employers/_disclosure.html",
        {"code": code, "disclosure": disclosure.value if disclosure else None},
    )


@router.post("/employers/{employer_id}/contacts", include_in_schema=False)
async def contact_add(
    request: Request, session: SessionDep, user: LiaisonUser, employer_id: RecordId
):
    employer = service.get_active_employer(session, employer_id=employer_id)
    values = await _form_values(request)
    try:
        participant_id = _participant_id(session, values.pop("participant_code", None))
        values["disclosure_shown"] = bool(values.get("disclosure_shown"))
        data = ContactCreate.model_validate(
            {**_blank_to_none(values), "participant_id": participant_id}
        )
        service.log_contact(session, employer_id=employer_id, data=data, made_by_id=user.id)
    except (ValidationError, ValueError) as exc:
        return _detail_error(request, session, employer, "contact", values, exc)
    return _redirect(f"/employers/{employer_id}#timeline")


def _detail_error(
    request: Request,
    session: Session,
    employer: Employer,
    form: str,
    values: dict[str, Any],
    exc: ValidationError | ValueError,
):
    context = _detail_context(
        session, employer, values=values, errors=_field_errors(exc, request), form=form
    )
    return _page(request, "employers/detail.html", context, status_code=422)


@router.post("/employers/{employer_id}/persons", include_in_schema=False)
async def person_add(
    request: Request, session: SessionDep, user: LiaisonUser, employer_id: RecordId
):
    employer = service.get_active_employer(session, employer_id=employer_id)
    values = await _form_values(request)
    try:
        data = ContactPersonCreate.model_validate(values)
        service.add_contact_person(session, employer_id=employer_id, data=data)
    except (ValidationError, ValueError) as exc:
        return _detail_error(request, session, employer, "person", values, exc)
    return _redirect(f"/employers/{employer_id}#persons")


@router.post("/employers/{employer_id}/workplaces", include_in_schema=False)
async def workplace_add(
    request: Request, session: SessionDep, user: LiaisonUser, employer_id: RecordId
):
    employer = service.get_active_employer(session, employer_id=employer_id)
    values = await _form_values(request)
    try:
        data = WorkplaceCreate.model_validate(values)
        service.add_workplace(session, employer_id=employer_id, data=data)
    except (ValidationError, ValueError) as exc:
        return _detail_error(request, session, employer, "workplace", values, exc)
    return _redirect(f"/employers/{employer_id}#workplaces")


_OFFER_LISTS = ("schedules",)


@router.get("/employers/{employer_id}/openings/new", include_in_schema=False)
def opening_new(request: Request, session: SessionDep, user: LiaisonUser, employer_id: RecordId):
    employer = service.get_active_employer(session, employer_id=employer_id)
    return _offer_form(request, session, employer, "opening", None, {}, {})


@router.get("/employers/{employer_id}/slots/new", include_in_schema=False)
def slot_new(request: Request, session: SessionDep, user: LiaisonUser, employer_id: RecordId):
    employer = service.get_active_employer(session, employer_id=employer_id)
    return _offer_form(request, session, employer, "slot", None, {}, {})


def _offer_form(
    request: Request,
    session: Session,
    employer: Employer,
    kind: str,
    record: Any,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
):
    return _page(
        request,
        "employers/offer_form.html",
        {
            "employer": employer,
            "kind": kind,
            "record": record,
            "values": values,
            "errors": errors,
            "workplaces": service.list_workplaces(session, employer_id=employer.id),  # type: ignore[arg-type]
        },
        status_code=status_code,
    )


@router.post("/employers/{employer_id}/openings/new", include_in_schema=False)
async def opening_create(
    request: Request, session: SessionDep, user: LiaisonUser, employer_id: RecordId
):
    employer = service.get_active_employer(session, employer_id=employer_id)
    values = await _form_values(request, _OFFER_LISTS)
    try:
        data = OpeningCreate.model_validate({**_blank_to_none(values), "employer_id": employer_id})
        service.create_opening(session, data=data)
    except (ValidationError, ValueError) as exc:
        return _offer_form(
            request, session, employer, "opening", None, values, _field_errors(exc, request), 422
        )
    return _redirect(f"/employers/{employer_id}#openings")


@router.post("/employers/{employer_id}/slots/new", include_in_schema=False)
async def slot_create(
    request: Request, session: SessionDep, user: LiaisonUser, employer_id: RecordId
):
    employer = service.get_active_employer(session, employer_id=employer_id)
    values = await _form_values(request, _OFFER_LISTS)
    try:
        data = SlotCreate.model_validate({**_blank_to_none(values), "employer_id": employer_id})
        service.create_slot(session, data=data)
    except (ValidationError, ValueError) as exc:
        return _offer_form(
            request, session, employer, "slot", None, values, _field_errors(exc, request), 422
        )
    return _redirect(f"/employers/{employer_id}#slots")


@router.get("/openings/{opening_id}/edit", include_in_schema=False)
def opening_edit(request: Request, session: SessionDep, user: LiaisonUser, opening_id: RecordId):
    opening = service.get_opening(session, opening_id=opening_id)
    employer = service.get_employer(session, employer_id=opening.employer_id)
    return _offer_form(request, session, employer, "opening", opening, opening.model_dump(), {})


@router.post("/openings/{opening_id}/edit", include_in_schema=False)
async def opening_save(
    request: Request, session: SessionDep, user: LiaisonUser, opening_id: RecordId
):
    opening = service.get_opening(session, opening_id=opening_id)
    employer = service.get_employer(session, employer_id=opening.employer_id)
    values = await _form_values(request, _OFFER_LISTS)
    try:
        data = OpeningUpdate.model_validate(_blank_to_none(values))
        service.update_opening(session, opening_id=opening_id, data=data)
    except VersionConflict as exc:
        return _conflict_page(request, exc, values, f"/openings/{opening_id}/edit")
    except (ValidationError, ValueError) as exc:
        return _offer_form(
            request, session, employer, "opening", opening, values, _field_errors(exc, request), 422
        )
    return _redirect(f"/employers/{employer.id}#openings")


def _blank_to_none(values: dict[str, Any]) -> dict[str, Any]:
    """A form's empty fields as ``None`` ("no value"): the JSON API takes ``null`` for that and
    refuses ``""`` for a date."""
    return {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in values.items()}


@router.get("/slots/{slot_id}/edit", include_in_schema=False)
def slot_edit(request: Request, session: SessionDep, user: LiaisonUser, slot_id: RecordId):
    slot = service.get_slot(session, slot_id=slot_id)
    employer = service.get_employer(session, employer_id=slot.employer_id)
    return _offer_form(request, session, employer, "slot", slot, slot.model_dump(), {})


@router.post("/slots/{slot_id}/edit", include_in_schema=False)
async def slot_save(request: Request, session: SessionDep, user: LiaisonUser, slot_id: RecordId):
    slot = service.get_slot(session, slot_id=slot_id)
    employer = service.get_employer(session, employer_id=slot.employer_id)
    values = await _form_values(request, _OFFER_LISTS)
    try:
        data = SlotUpdate.model_validate(_blank_to_none(values))
        service.update_slot(session, slot_id=slot_id, data=data)
    except VersionConflict as exc:
        return _conflict_page(request, exc, values, f"/slots/{slot_id}/edit")
    except (ValidationError, ValueError) as exc:
        return _offer_form(
            request, session, employer, "slot", slot, values, _field_errors(exc, request), 422
        )
    return _redirect(f"/employers/{employer.id}#slots")


@router.post("/openings/{opening_id}/close", include_in_schema=False)
async def opening_close(
    request: Request,
    session: SessionDep,
    user: LiaisonUser,
    opening_id: RecordId,
    version: Annotated[int, Form(ge=1, le=MAX_INTEGER)],
    status: Annotated[OpeningStatus, Form()] = OpeningStatus.closed,
):
    opening = service.get_opening(session, opening_id=opening_id)
    try:
        service.close_opening(session, opening_id=opening_id, version=version, status=status)
    except VersionConflict as exc:
        return _conflict_page(
            request,
            exc,
            {"status": status.value, "version": version},
            f"/openings/{opening_id}/close",
        )
    return _redirect(f"/employers/{opening.employer_id}#openings")


@router.post("/slots/{slot_id}/close", include_in_schema=False)
async def slot_close(
    request: Request,
    session: SessionDep,
    user: LiaisonUser,
    slot_id: RecordId,
    version: Annotated[int, Form(ge=1, le=MAX_INTEGER)],
):
    slot = service.get_slot(session, slot_id=slot_id)
    try:
        service.update_slot(
            session,
            slot_id=slot_id,
            data=SlotUpdate(version=version, status=OpeningStatus.closed),
        )
    except VersionConflict as exc:
        return _conflict_page(
            request, exc, {"status": "closed", "version": version}, f"/slots/{slot_id}/close"
        )
    return _redirect(f"/employers/{slot.employer_id}#slots")


@router.get("/employers/{employer_id}/merge", include_in_schema=False)
def merge_page(
    request: Request, session: SessionDep, user: LiaisonUser, employer_id: RecordId, other: RecordId
):
    keep = service.get_active_employer(session, employer_id=employer_id)
    gone = service.get_active_employer(session, employer_id=other)
    counts = {
        e.id: {
            "contacts": len(service.list_contacts(session, employer_id=e.id)),
            "openings": len(service.list_openings(session, employer_id=e.id)),
            "slots": len(service.list_slots(session, employer_id=e.id)),
        }
        for e in (keep, gone)
    }
    return _page(request, "employers/merge.html", {"keep": keep, "gone": gone, "counts": counts})


@router.post("/employers/merge", include_in_schema=False)
async def merge_submit(
    request: Request,
    session: SessionDep,
    user: LiaisonUser,
    data: Annotated[MergeRequest, Form()],
):
    try:
        keep = service.merge_employers(
            session,
            keep_id=data.keep_id,
            merge_id=data.merge_id,
            keep_version=data.keep_version,
            merge_version=data.merge_version,
        )
    except VersionConflict as exc:
        return _conflict_page(
            request,
            exc,
            data.model_dump(),
            f"/employers/{data.keep_id}/merge?other={data.merge_id}",
        )
    return _redirect(f"/employers/{keep.id}")


# ==================================================================== JSON API


class ImportReportOut(BaseModel):
    kind: str
    filename: str
    rows_total: int
    created: int
    updated: int
    unchanged: int
    openings_created: int
    openings_updated: int
    committed: bool
    previously_imported_at: str | None
    rejected: list[dict[str, Any]]
    possible_duplicates: list[dict[str, Any]]


# The list endpoints answer with a plain JSON list (clients rely on it); the total and the
# neighbouring pages travel in headers, as GitHub's API and many others do.
PAGED_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "headers": {
            "X-Total-Count": {
                "description": "Rows matching the filters over all pages (limit and offset aside).",
                "schema": {"type": "integer", "minimum": 0},
            },
            "Link": {
                "description": (
                    'RFC 8288 links to the neighbouring pages, same filters and limit: rel="next" '
                    'when rows follow this page, rel="prev" when rows precede it; absent '
                    "when there are none."
                ),
                "schema": {"type": "string"},
            },
        },
    }
}


def _paging_headers(
    request: Request, response: Response, *, total: int, limit: int, offset: int
) -> None:
    """X-Total-Count, and a Link header to the next/previous page keeping the query."""
    response.headers["X-Total-Count"] = str(total)
    links = []
    if offset + limit < total:
        links.append((offset + limit, "next"))
    if offset > 0 and total > 0:
        # Past the end, the previous page is the last one with rows, not another empty one.
        links.append((max(0, min(offset - limit, total - limit)), "prev"))
    if links:
        response.headers["Link"] = ", ".join(
            f'<{request.url.include_query_params(limit=limit, offset=start)}>; rel="{rel}"'
            for start, rel in links
        )


def _summary(row: service.EmployerRow) -> EmployerSummary:
    return EmployerSummary.model_validate(
        {
            **row.employer.model_dump(),
            "relationship_status": row.relationship.status.value,
            "warmth": row.relationship.warmth,
            "last_contact_date": row.relationship.last_contact_date,
            "open_openings": row.open_openings,
            "open_slots": row.open_slots,
        }
    )


@router.get(
    "/api/employers",
    response_model=list[EmployerSummary],
    responses=PAGED_RESPONSES,
    tags=["employers"],
)
def api_employers(
    request: Request,
    response: Response,
    session: SessionDep,
    user: LiaisonUser,
    q: str | None = None,
    municipality_code: str | None = None,
    ssyk4_code: str | None = None,
    status: RelationshipStatus | None = None,
    has_openings: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_INTEGER)] = 0,
):
    """Employers with relationship status and warmth, by name; total and pages in headers."""
    found = service.list_employers_slice(
        session,
        q=q,
        municipality_code=municipality_code,
        ssyk4_code=ssyk4_code,
        status=status,
        has_openings=has_openings,
        limit=limit,
        offset=offset,
    )
    _paging_headers(request, response, total=found.total, limit=limit, offset=offset)
    return [_summary(r) for r in found.rows]


@router.post("/api/employers", response_model=EmployerPublic, status_code=201, tags=["employers"])
def api_employer_create(session: SessionDep, user: LiaisonUser, data: EmployerCreate):
    """Create an employer (an organisation number already registered is refused)."""
    return service.create_employer(session, data=data)


@router.post(
    "/api/employers/import",
    response_model=ImportReportOut,
    responses={422: {"model": ImportReportOut, "description": "Rows rejected, or a bad file"}},
    tags=["employers"],
)
async def api_import(
    session: SessionDep,
    user: LiaisonUser,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Query(pattern="^(employers|ads)$")] = "employers",
    skip_invalid: bool = False,
):
    """Import a CSV/XLSX employer file or a JobSearch ad file; 422 with the report if rows
    were rejected and nothing was imported."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    filename = file.filename or "upload"
    run = import_ads if kind == "ads" else import_employers
    try:
        if len(data) > MAX_UPLOAD_BYTES:
            raise ImportFileError(f"{filename}: larger than {MAX_UPLOAD_BYTES // 2**20} MB")
        report = run(
            session,
            data=data,
            filename=filename,
            skip_invalid=skip_invalid,
            imported_by_id=user.id,
        )
    except ImportRejected as exc:
        return JSONResponse(exc.report.as_dict(), status_code=422)
    except ImportFileError as exc:
        raise ValueError(f"file: {exc}") from exc  # the upload field, named as in the form
    return report.as_dict()


@router.post("/api/employers/merge", response_model=EmployerPublic, tags=["employers"])
def api_merge(session: SessionDep, user: LiaisonUser, data: MergeRequest):
    """Merge one employer into another; every contact, opening and slot is kept."""
    return service.merge_employers(
        session,
        keep_id=data.keep_id,
        merge_id=data.merge_id,
        keep_version=data.keep_version,
        merge_version=data.merge_version,
    )


@router.get("/api/employers/{employer_id}", response_model=EmployerPublic, tags=["employers"])
def api_employer(session: SessionDep, user: LiaisonUser, employer_id: RecordId):
    """One employer (a merged one shows merged_into_id)."""
    return service.get_employer(session, employer_id=employer_id)


@router.patch("/api/employers/{employer_id}", response_model=EmployerPublic, tags=["employers"])
def api_employer_update(
    session: SessionDep, user: LiaisonUser, employer_id: RecordId, data: EmployerUpdate
):
    """Change an employer; ``version`` must be the one read, else 409 with both versions."""
    return service.update_employer(session, employer_id=employer_id, data=data)


@router.get(
    "/api/employers/{employer_id}/duplicates",
    response_model=list[DuplicatePublic],
    tags=["employers"],
)
def api_duplicates(session: SessionDep, user: LiaisonUser, employer_id: RecordId):
    """Likely duplicates of an employer (same org number, similar name nearby)."""
    return [asdict(d) for d in service.employer_duplicates(session, employer_id=employer_id)]


@router.get(
    "/api/employers/{employer_id}/persons",
    response_model=list[ContactPersonPublic],
    tags=["employers"],
)
def api_persons(session: SessionDep, user: LiaisonUser, employer_id: RecordId):
    """Contact persons of an employer."""
    service.get_employer(session, employer_id=employer_id)
    return service.list_contact_persons(session, employer_id=employer_id)


@router.post(
    "/api/employers/{employer_id}/persons",
    response_model=ContactPersonPublic,
    status_code=201,
    tags=["employers"],
)
def api_person_add(
    session: SessionDep, user: LiaisonUser, employer_id: RecordId, data: ContactPersonCreate
):
    """Add a contact person."""
    return service.add_contact_person(session, employer_id=employer_id, data=data)


@router.get(
    "/api/employers/{employer_id}/workplaces",
    response_model=list[WorkplacePublic],
    tags=["employers"],
)
def api_workplaces(session: SessionDep, user: LiaisonUser, employer_id: RecordId):
    """Workplaces of an employer."""
    service.get_employer(session, employer_id=employer_id)
    return service.list_workplaces(session, employer_id=employer_id)


@router.post(
    "/api/employers/{employer_id}/workplaces",
    response_model=WorkplacePublic,
    status_code=201,
    tags=["employers"],
)
def api_workplace_add(
    session: SessionDep, user: LiaisonUser, employer_id: RecordId, data: WorkplaceCreate
):
    """Add a workplace."""
    return service.add_workplace(session, employer_id=employer_id, data=data)


@router.get(
    "/api/contacts",
    response_model=list[ContactPublic],
    responses=PAGED_RESPONSES,
    tags=["contacts"],
)
def api_contacts(
    request: Request,
    response: Response,
    session: SessionDep,
    user: LiaisonUser,
    employer_id: RecordId | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    offset: Annotated[int, Query(ge=0, le=MAX_INTEGER)] = 0,
):
    """The contact log, newest first; the total in X-Total-Count, the pages in Link."""
    total = service.count_contacts(session, employer_id=employer_id)
    _paging_headers(request, response, total=total, limit=limit, offset=offset)
    return service.list_contacts(session, employer_id=employer_id, limit=limit, offset=offset)


@router.post("/api/contacts", response_model=ContactPublic, status_code=201, tags=["contacts"])
def api_contact_add(session: SessionDep, user: LiaisonUser, data: ContactCreate):
    """Log a contact with an employer (``employer_id`` required)."""
    if data.employer_id is None:
        raise ValueError("employer_id: required")
    return service.log_contact(session, employer_id=data.employer_id, data=data, made_by_id=user.id)


@router.get("/api/contacts/{contact_id}", response_model=ContactPublic, tags=["contacts"])
def api_contact(session: SessionDep, user: LiaisonUser, contact_id: RecordId):
    """One contact-log entry."""
    return service.get_contact(session, contact_id=contact_id)


@router.patch("/api/contacts/{contact_id}", response_model=ContactPublic, tags=["contacts"])
def api_contact_update(
    session: SessionDep, user: LiaisonUser, contact_id: RecordId, data: ContactUpdate
):
    """Change a contact-log entry (409 on a stale version)."""
    return service.update_contact(session, contact_id=contact_id, data=data)


@router.get(
    "/api/openings",
    response_model=list[OpeningPublic],
    responses=PAGED_RESPONSES,
    tags=["openings"],
)
def api_openings(
    request: Request,
    response: Response,
    session: SessionDep,
    user: LiaisonUser,
    employer_id: RecordId | None = None,
    status: OpeningStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    offset: Annotated[int, Query(ge=0, le=MAX_INTEGER)] = 0,
):
    """Openings, newest first; the total in X-Total-Count, the pages in Link."""
    total = service.count_openings(session, employer_id=employer_id, status=status)
    _paging_headers(request, response, total=total, limit=limit, offset=offset)
    return service.list_openings(
        session, employer_id=employer_id, status=status, limit=limit, offset=offset
    )


@router.post("/api/openings", response_model=OpeningPublic, status_code=201, tags=["openings"])
def api_opening_create(session: SessionDep, user: LiaisonUser, data: OpeningCreate):
    """Create an opening; the title is resolved to taxonomy occupations unless given."""
    return service.create_opening(session, data=data)


@router.get("/api/openings/{opening_id}", response_model=OpeningPublic, tags=["openings"])
def api_opening(session: SessionDep, user: LiaisonUser, opening_id: RecordId):
    """One opening, whatever its status."""
    return service.get_opening(session, opening_id=opening_id)


@router.patch("/api/openings/{opening_id}", response_model=OpeningPublic, tags=["openings"])
def api_opening_update(
    session: SessionDep, user: LiaisonUser, opening_id: RecordId, data: OpeningUpdate
):
    """Change an opening (409 on a stale version)."""
    return service.update_opening(session, opening_id=opening_id, data=data)


@router.post("/api/openings/{opening_id}/close", response_model=OpeningPublic, tags=["openings"])
def api_opening_close(
    session: SessionDep, user: LiaisonUser, opening_id: RecordId, data: CloseRequest
):
    """Mark an opening filled or closed; it stays in the register."""
    return service.close_opening(
        session, opening_id=opening_id, version=data.version, status=OpeningStatus(data.status)
    )


@router.get(
    "/api/slots",
    response_model=list[SlotPublic],
    responses=PAGED_RESPONSES,
    tags=["slots"],
)
def api_slots(
    request: Request,
    response: Response,
    session: SessionDep,
    user: LiaisonUser,
    employer_id: RecordId | None = None,
    status: OpeningStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    offset: Annotated[int, Query(ge=0, le=MAX_INTEGER)] = 0,
):
    """Practice slots, newest first; the total in X-Total-Count, the pages in Link."""
    total = service.count_slots(session, employer_id=employer_id, status=status)
    _paging_headers(request, response, total=total, limit=limit, offset=offset)
    return service.list_slots(
        session, employer_id=employer_id, status=status, limit=limit, offset=offset
    )


@router.post("/api/slots", response_model=SlotPublic, status_code=201, tags=["slots"])
def api_slot_create(session: SessionDep, user: LiaisonUser, data: SlotCreate):
    """Create a practice slot."""
    return service.create_slot(session, data=data)


@router.get("/api/slots/{slot_id}", response_model=SlotPublic, tags=["slots"])
def api_slot(session: SessionDep, user: LiaisonUser, slot_id: RecordId):
    """One practice slot."""
    return service.get_slot(session, slot_id=slot_id)


@router.patch("/api/slots/{slot_id}", response_model=SlotPublic, tags=["slots"])
def api_slot_update(session: SessionDep, user: LiaisonUser, slot_id: RecordId, data: SlotUpdate):
    """Change a practice slot (409 on a stale version)."""
    return service.update_slot(session, slot_id=slot_id, data=data)
