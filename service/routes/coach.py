"""Coach pages: caseload, participant page with ranked suggestions, quick logging, profile edit."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import func
from sqlmodel import col, select
from starlette.datastructures import FormData

from employers import service as employers_service
from employers.models import RecordId
from matching.types import CONDITION_TAGS, Schedule, SuggestionKind, Transport, condition_label
from profiles import coaching as profiles_coaching
from profiles import service as profiles_service
from profiles.adapters import municipality_name
from profiles.clock import thirty_day_clock
from profiles.errors import FieldErrors, OfferNotFound, VersionConflict
from profiles.models import Decision, Participant, ParticipantStatus, PlacementKind, User
from profiles.schemas import (
    CONTACT_MODES,
    DECLINE_REASONS,
    FOLLOW_ALONG_MODES,
    LICENCE_CLASSES,
    PHYSICAL_DEMANDS,
    PLACEMENT_END_REASONS,
    CareerProfileUpdate,
    DecisionCreate,
    EmployerContactIn,
    FollowAlongIn,
    ParticipantCreate,
    ParticipantReassign,
    ParticipantUpdate,
    PlacementCreate,
    PlacementEnd,
    parse,
)
from service import coaching
from service.deps import AdminUser, CoachUser, SessionDep, render
from service.i18n import request_language, translate

router = APIRouter(include_in_schema=False)

KINDS = (SuggestionKind.OPENING, SuggestionKind.PRACTICE, SuggestionKind.EMPLOYER)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _form_dict(form: FormData, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """Form fields as a dict: blank -> absent, listed names -> lists, 'on' checkboxes kept."""
    data: dict[str, Any] = {}
    for key in form:
        if key == "csrf_token":
            continue
        if key in lists:
            data[key] = [v for v in form.getlist(key) if isinstance(v, str) and v.strip()]
            continue
        value = form.get(key)
        if isinstance(value, str) and value.strip() != "":
            data[key] = value.strip()
    return data


def _bool(data: dict[str, Any], key: str) -> None:
    data[key] = data.get(key) in ("on", "true", "1", "yes")


def _plain_number(value: Any) -> Any:
    """15.0 -> 15 (a form shows what a person would type); other values pass through."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _swedish_key(name: str) -> str:
    return name.lower().translate(str.maketrans({"å": "{", "ä": "|", "ö": "}"}))


def _municipality_choices(session, current: str | None) -> dict[str, Any]:
    """Municipalities by name for a picker: the county of ``current`` (or of the most common
    municipality among participants) first, then all of Sweden."""
    from matching.places import all_municipalities, find_municipality

    if not current:
        current = session.exec(
            select(Participant.municipality_code)
            .where(col(Participant.municipality_code).is_not(None))
            .group_by(Participant.municipality_code)
            .order_by(func.count().desc(), col(Participant.municipality_code))
        ).first()
    everyone = sorted(all_municipalities(), key=lambda m: _swedish_key(m.name))
    home = find_municipality(current) if current else None
    near = [m for m in everyone if home is not None and m.lan_code == home.lan_code]
    return {"near": near, "all": everyone, "default": home.code if home else None}


# ------------------------------------------------------------------ caseload
@router.get("/caseload")
def caseload(
    request: Request,
    session: SessionDep,
    user: CoachUser,
    coach_id: RecordId | None = None,
    ended: bool = False,
):
    """The coach's participants, most urgent on the 30-day clock first (or those who left)."""
    entries = profiles_service.list_caseload(
        session,
        user=user,
        first_contact_dates=profiles_coaching.first_contact_dates(session),
        coach_id=coach_id,
        ended=ended,
    )
    coaches = {c.id: c.display_name for c in profiles_service.list_coaches(session)}
    return render(
        request,
        "coach/caseload.html",
        {
            "entries": entries,
            "coaches": coaches,
            "coach_id": coach_id,
            "ended": ended,
            "today": date.today(),
        },
    )


@router.get("/participants/new")
def new_participant_form(request: Request, session: SessionDep, user: CoachUser):
    return render(
        request,
        "coach/participant_new.html",
        {
            "values": {"entry_date": date.today().isoformat()},
            "errors": {},
            "coaches": profiles_service.list_coaches(session),
            "municipalities": _municipality_choices(session, None),
        },  # fmt: skip
    )


@router.post("/participants")
async def create_participant(request: Request, session: SessionDep, user: CoachUser):
    values = _form_dict(await request.form())
    try:
        participant = profiles_service.create_participant(
            session, user=user, data=parse(ParticipantCreate, values)
        )
    except FieldErrors as exc:
        return render(
            request,
            "coach/participant_new.html",
            {
                "values": values,
                "errors": exc.errors,
                "coaches": profiles_service.list_coaches(session),
                "municipalities": _municipality_choices(session, values.get("municipality_code")),
            },  # fmt: skip
            status_code=422,
        )
    return _see_other(f"/participants/{participant.id}/profile/edit")


# ------------------------------------------------------------------ participant page
#: Suggestions shown per list before "show more" (the rest are one click away).
SHOWN_PER_LIST = 5


def _relevant_employers(employers, result, contacts, decisions) -> list[Any]:
    """Employers this participant has to do with, first in the employer pickers: contacted,
    accepted or saved, then the suggested ones, in that order, each once."""
    by_id = {e.id: e for e in employers}
    ids: list[int] = [c.employer_id for c, _name in contacts]
    ids += [d.employer_id for d in decisions.values() if d.decision is not Decision.declined]
    ids += [s.offer.employer_id for kind in KINDS for s in result.by_kind(kind)]
    seen: set[int] = set()
    out = []
    for employer_id in ids:
        key = _as_int(employer_id)
        if key is None or key in seen or key not in by_id:
            continue
        seen.add(key)
        out.append(by_id[key])
    return out


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _participant_page(
    request: Request,
    session: SessionDep,
    user: CoachUser,
    participant_id: int,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
    status_code: int = 200,
):
    show_declined = request.query_params.get("declined") == "1"
    practice_param = request.query_params.get("practice")
    participant = profiles_service.get_participant(
        session, user=user, participant_id=participant_id
    )
    profile = profiles_service.find_profile(session, participant_id=participant_id)
    matcher = coaching.fitted_matcher(session, state=request.app.state)
    result = profiles_service.suggest(
        session,
        user=user,
        participant_id=participant_id,
        matcher=matcher,
        include_practice=True if practice_param == "1" else None,
        show_declined=show_declined,
    )
    decisions = profiles_service.latest_decisions(session, participant_id=participant_id)
    first = profiles_coaching.first_contact_dates(session).get(participant_id)
    contacts = profiles_coaching.participant_contacts(session, participant_id=participant_id)
    placements = profiles_service.list_placements(session, user=user, participant_id=participant_id)
    follow = profiles_service.list_follow_along(session, user=user, participant_id=participant_id)
    declined = [d for d in decisions.values() if d.decision is Decision.declined]
    kept = []
    for d in sorted(decisions.values(), key=lambda d: d.decided_at, reverse=True):
        if d.decision is Decision.declined:
            continue
        try:
            employer, title = profiles_coaching.offer_employer(
                session, kind=d.kind, ref_id=d.ref_id
            )
        except OfferNotFound:
            continue
        kept.append((d, title, employer.name))
    names = employers_service.employer_names(
        session, employer_ids={d.employer_id for d in declined if d.employer_id}
    )
    declined_titles = {}
    for d in declined:
        try:
            declined_titles[d.offer_ref] = profiles_coaching.offer_employer(
                session, kind=d.kind, ref_id=d.ref_id
            )[1]
        except OfferNotFound:
            continue
    employers = employers_service.employer_choices(session)
    lists = [(kind, result.by_kind(kind), result.exclusions_for(kind)) for kind in KINDS]
    from matching.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    labels = []
    for oid in profile.occupation_ids if profile else []:
        occ = vocabulary.find(oid)
        labels.append(occ.label if occ else oid)
    return render(
        request,
        "coach/participant.html",
        {
            "p": participant,
            "profile": profile,
            "occupation_labels": labels,
            "municipality": municipality_name(
                (profile.home_municipality_code if profile else None)
                or participant.municipality_code
            ),
            "clock": thirty_day_clock(participant.entry_date, first),
            "result": result,
            "lists": lists,
            "decisions": decisions,
            "declined": declined,
            "kept": kept,
            "declined_names": names,
            "show_declined": show_declined,
            "contacts": contacts,
            "placements": placements,
            "follow": follow,
            "employers": employers,
            "relevant_employers": _relevant_employers(employers, result, contacts, decisions),
            "declined_titles": declined_titles,
            "shown_per_list": SHOWN_PER_LIST,
            "offers_shown": {s.offer_id for _k, items, _e in lists for s in items},
            "decline_reasons": DECLINE_REASONS,
            "contact_modes": CONTACT_MODES,
            "follow_modes": FOLLOW_ALONG_MODES,
            "placement_kinds": [k.value for k in PlacementKind],
            "end_reasons": PLACEMENT_END_REASONS,
            "statuses": [s.value for s in ParticipantStatus],
            "coaches": profiles_service.list_coaches(session) if user.role == "admin" else [],
            "condition_label": condition_label,
            "today": date.today(),
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/participants/{participant_id}")
def participant_page(
    request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId
):
    """Profile summary, clock, three ranked lists with reasons, and quick logging forms."""
    return _participant_page(request, session, user, participant_id)


async def _post(
    request: Request, session, user, participant_id: int, form_name: str, action, anchor=None
):
    """Run a quick-logging action; on bad input re-render the page with field errors (422)."""
    form = await request.form()
    values = _form_dict(form)
    try:
        action(values)
    except FieldErrors as exc:
        return _participant_page(
            request,
            session,
            user,
            participant_id,
            errors={form_name: exc.errors},
            values={form_name: values},
            status_code=422,
        )
    except VersionConflict:
        # Someone saved first: nothing is written; the page shows what is stored now, the form
        # keeps what this person typed, and saving again (with the new version) replaces it.
        session.rollback()
        return _participant_page(
            request,
            session,
            user,
            participant_id,
            errors={form_name: {"version": "conflict_not_saved"}},
            values={form_name: values},
            status_code=409,
        )
    anchor = form.get("return_anchor") or anchor or form_name
    return _see_other(f"/participants/{participant_id}#{anchor}")


@router.post("/participants/{participant_id}")
async def update_participant(
    request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId
):
    def action(values: dict[str, Any]) -> None:
        values.pop("return_anchor", None)
        values.setdefault("next_step", None)
        values.setdefault("next_step_date", None)
        profiles_service.update_participant(
            session,
            user=user,
            participant_id=participant_id,
            data=parse(ParticipantUpdate, values),
        )

    return await _post(request, session, user, participant_id, "status", action)


@router.post("/participants/{participant_id}/coach")
async def reassign(
    request: Request, session: SessionDep, user: AdminUser, participant_id: RecordId
):
    """Admin: move the participant to another coach's caseload."""

    def action(values: dict[str, Any]) -> None:
        values.pop("return_anchor", None)
        profiles_service.reassign_participant(
            session,
            user=user,
            participant_id=participant_id,
            data=parse(ParticipantReassign, values),
        )

    return await _post(request, session, user, participant_id, "coach", action, "status")


@router.post("/participants/{participant_id}/decisions")
async def decide(request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId):
    """Accept (plans an employer contact), decline with a reason, or save a suggestion."""

    def action(values: dict[str, Any]) -> None:
        values.pop("return_anchor", None)
        profiles_coaching.decide(
            session, user=user, participant_id=participant_id, data=parse(DecisionCreate, values)
        )

    return await _post(request, session, user, participant_id, "suggestions", action)


@router.post("/participants/{participant_id}/contacts")
async def log_contact(
    request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId
):
    def action(values: dict[str, Any]) -> None:
        values.pop("return_anchor", None)
        _bool(values, "disclosure_shown")
        profiles_coaching.log_employer_contact(
            session, user=user, participant_id=participant_id, data=parse(EmployerContactIn, values)
        )

    return await _post(request, session, user, participant_id, "contacts", action)


@router.post("/participants/{participant_id}/contacts/{contact_id}/done")
async def contact_done(
    request: Request,
    session: SessionDep,
    user: CoachUser,
    participant_id: RecordId,
    contact_id: RecordId,
):
    def action(values: dict[str, Any]) -> None:
        try:
            version = int(values.get("version", ""))
        except ValueError:
            raise FieldErrors({"version": "err_integer"}) from None
        profiles_coaching.complete_contact(
            session, user=user, participant_id=participant_id, contact_id=contact_id,
            version=version,
        )  # fmt: skip

    return await _post(request, session, user, participant_id, "contacts", action)


@router.post("/participants/{participant_id}/placements")
async def job_start(
    request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId
):
    def action(values: dict[str, Any]) -> None:
        values.pop("return_anchor", None)
        _bool(values, "wage_at_least_normal")
        profiles_service.record_placement(
            session, user=user, participant_id=participant_id, data=parse(PlacementCreate, values)
        )

    return await _post(request, session, user, participant_id, "placements", action)


@router.post("/participants/{participant_id}/placements/{placement_id}/end")
async def end_placement(
    request: Request,
    session: SessionDep,
    user: CoachUser,
    participant_id: RecordId,
    placement_id: RecordId,
):
    """End a job (or practice / studies): end date, a reason from the list, free text."""

    def action(values: dict[str, Any]) -> None:
        values.pop("return_anchor", None)
        profiles_service.end_placement(
            session,
            user=user,
            participant_id=participant_id,
            placement_id=placement_id,
            data=parse(PlacementEnd, values),
        )

    return await _post(
        request, session, user, participant_id, f"end-{placement_id}", action, "placements"
    )


@router.post("/participants/{participant_id}/follow-along")
async def follow_along(
    request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId
):
    def action(values: dict[str, Any]) -> None:
        values.pop("return_anchor", None)
        _bool(values, "planned")
        _bool(values, "with_employer")
        profiles_service.record_follow_along(
            session, user=user, participant_id=participant_id, data=parse(FollowAlongIn, values)
        )

    return await _post(request, session, user, participant_id, "follow", action)


# ------------------------------------------------------------------ profile edit
PROFILE_LISTS = (
    "occupation_ids",
    "refusals",
    "schedules",
    "transports",
    "driving_licences",
)


def _parse_languages(text: str) -> list[dict[str, Any]]:
    """'Svenska 5, Engelska 3' -> [{'name': 'Svenska', 'level': 5}, ...]."""
    out = []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        name, _, level = part.replace(":", " ").rpartition(" ")
        if not name:
            name, level = level, "3"
        if not level.isdigit():
            raise FieldErrors({"languages": "err_languages_format"})
        out.append({"name": name.strip(), "level": int(level)})
    return out


#: Single-value fields the profile form always shows: left blank, they clear the stored value.
PROFILE_CLEARABLE = (
    "enjoys",
    "refusals_text",
    "hours_min",
    "hours_max",
    "max_physical_demand",
    "available_from",
    "home_municipality_code",
    "home_place",
    "commute_limit_km",
    "work_history",
    "education",
    "strengths",
    "accommodations",
)


def _profile_values(form: FormData) -> dict[str, Any]:
    values = _form_dict(form, PROFILE_LISTS)
    for key in PROFILE_LISTS:
        values.setdefault(key, [])
    for key in PROFILE_CLEARABLE:
        values.setdefault(key, None)
    values["wished_texts"] = [
        line.strip() for line in str(values.get("wished_texts", "")).splitlines() if line.strip()
    ]
    for key in ("wants_practice",):
        _bool(values, key)
    return values


def _broadening(vocabulary, occupation_id: str) -> list[Any]:
    """The occupation's neighbours to offer a coach, nearest first, without older ids of an
    occupation listed under its current id (the same name twice)."""
    return [
        n
        for n in vocabulary.neighbours(occupation_id)
        if vocabulary.current_equivalent(n.occupation_id).occupation_id == n.occupation_id
    ]


def _profile_form_context(session, participant, profile, values, errors) -> dict[str, Any]:
    from matching.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    chosen = values.get("occupation_ids", [])
    occupations = []
    for oid in chosen:
        occ = vocabulary.find(oid)
        neighbours = [n for n in _broadening(vocabulary, oid) if n.occupation_id not in chosen][:6]
        occupations.append((oid, occ.label if occ else oid, neighbours))
    return {
        "p": participant,
        "profile": profile,
        "values": values,
        "errors": errors,
        "occupations": occupations,
        "condition_tags": list(CONDITION_TAGS),
        "condition_label": condition_label,
        "schedules": [s.value for s in Schedule],
        "transports": [t.value for t in Transport],
        "licences": LICENCE_CLASSES,
        "physical": PHYSICAL_DEMANDS,
        "disclosures": ["yes", "no", "undecided"],
        "counselling": ["not_started", "planned", "done"],
        "municipalities": _municipality_choices(
            session, values.get("home_municipality_code") or participant.municipality_code
        ),
    }


def _values_from_profile(participant, profile) -> dict[str, Any]:
    values: dict[str, Any] = {"version": 0, "entry_date": participant.entry_date.isoformat()}
    if profile is None:
        values["home_municipality_code"] = participant.municipality_code
        return values
    values.update(profiles_service.profile_snapshot(profile))
    for key in ("hours_min", "hours_max", "commute_limit_km", "home_lat", "home_lon"):
        values[key] = _plain_number(values.get(key))
    values["version"] = profile.version
    values["languages"] = ", ".join(f"{x['name']} {x['level']}" for x in profile.languages)
    return values


@router.get("/participants/{participant_id}/profile/edit")
def edit_profile(request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId):
    """The career profile form (filled in with the participant)."""
    participant = profiles_service.get_participant(
        session, user=user, participant_id=participant_id, what="career_profile"
    )
    profile = profiles_service.find_profile(session, participant_id=participant_id)
    values = _values_from_profile(participant, profile)
    return render(
        request,
        "coach/profile_edit.html",
        _profile_form_context(session, participant, profile, values, {}),
    )


@router.post("/participants/{participant_id}/profile")
async def save_profile(
    request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId
):
    """Save the profile; field errors (422) and a save over someone else's (409) re-render the
    form with what was typed."""
    form = await request.form()
    values = _profile_values(form)
    participant = profiles_service.load_participant(
        session, user=user, participant_id=participant_id
    )
    try:
        data = dict(values)
        language_errors: dict[str, str] = {}
        try:
            data["languages"] = _parse_languages(str(values.get("languages", "")))
        except FieldErrors as exc:  # name the other bad fields in the same answer
            language_errors, data["languages"] = exc.errors, []
        try:
            update = parse(CareerProfileUpdate, data)
        except FieldErrors as exc:
            raise FieldErrors({**exc.errors, **language_errors}) from None
        if language_errors:
            raise FieldErrors(language_errors)
        profiles_service.update_profile(
            session, user=user, participant_id=participant_id, data=update
        )
    except FieldErrors as exc:
        profile = profiles_service.find_profile(session, participant_id=participant_id)
        return render(
            request,
            "coach/profile_edit.html",
            _profile_form_context(session, participant, profile, values, exc.errors),
            status_code=422,
        )
    except VersionConflict:
        # Nothing was written: show what was typed beside what is stored now, and carry the
        # stored version so that saving again (after merging by hand) writes the form.
        conflict = profiles_service.profile_conflict(
            session, user=user, participant_id=participant_id, data=update
        )
        lang = request_language(request)
        profile = profiles_service.find_profile(session, participant_id=participant_id)
        context = _profile_form_context(
            session, participant, profile, {**values, "version": conflict.version}, {}
        )
        context["conflict"] = conflict
        context["stored_words"] = {
            f: _history_value(f, conflict.stored[f], lang) for f in conflict.differing
        }
        return render(request, "coach/profile_edit.html", context, status_code=409)
    return _see_other(f"/participants/{participant_id}")


@router.post("/participants/{participant_id}/profile/broaden")
async def broaden(request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId):
    """One click: add the near occupations of one chosen occupation (or one given) to the wish."""
    from matching.vocabulary import load_vocabulary

    values = _form_dict(await request.form(), ("add",))
    profile = profiles_service.find_profile(session, participant_id=participant_id)
    profiles_service.load_participant(session, user=user, participant_id=participant_id)
    try:
        version = int(values.get("version", "-1"))
    except ValueError:
        raise FieldErrors({"version": "err_integer"}) from None
    current = list(profile.occupation_ids) if profile else []
    vocabulary = load_vocabulary()
    if values.get("add"):
        extra = [oid for oid in values["add"] if vocabulary.find(oid) is not None]
    else:
        source = str(values.get("occupation_id", ""))
        extra = [n.occupation_id for n in _broadening(vocabulary, source)][:5]
    if not extra:
        raise FieldErrors({"occupation_ids": "err_nothing_to_add"})
    merged = current + [oid for oid in extra if oid not in current]
    profiles_service.update_profile(
        session,
        user=user,
        participant_id=participant_id,
        data=parse(CareerProfileUpdate, {"version": version, "occupation_ids": merged}),
    )
    target = str(values.get("next") or "")
    if not target.startswith(f"/participants/{participant_id}"):
        target = f"/participants/{participant_id}/profile/edit"
    return _see_other(target)


#: Fields a person does not read (the map position comes from the locality).
HISTORY_HIDDEN = frozenset({"home_lat", "home_lon"})


def _history_value(field: str, value: Any, lang: str) -> str:
    """A stored profile value in words, as the coach entered it ("–" for nothing)."""
    from matching.vocabulary import load_vocabulary

    if value is None or value == [] or value == "":
        return "–"
    if field == "occupation_ids":
        vocabulary = load_vocabulary()
        return ", ".join((o.label if (o := vocabulary.find(v)) else v) for v in value)
    if field == "refusals":
        return ", ".join(condition_label(v, lang) for v in value)
    prefixes = {"schedules": "schedule_", "transports": "transport_"}
    if field in prefixes:
        return ", ".join(translate(prefixes[field] + v, lang) for v in value)
    if field == "languages":
        return ", ".join(f"{x.get('name')} {x.get('level')}/5" for x in value)
    single = {
        "disclosure": "disclosure_",
        "benefits_counselling": "counselling_",
        "max_physical_demand": "physical_",
    }
    if field in single:
        return translate(single[field] + str(value), lang)
    if isinstance(value, bool):
        return translate("yes" if value else "no", lang)
    if field == "home_municipality_code":
        return municipality_name(value) or value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(_plain_number(value))


@router.get("/participants/{participant_id}/history")
def history(request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId):
    """Every saved version of the career profile, newest first, in words."""
    lang = request_language(request)
    participant = profiles_service.get_participant(
        session, user=user, participant_id=participant_id
    )
    revisions = profiles_service.list_revisions(session, user=user, participant_id=participant_id)
    changes = []
    for newer, older in zip(revisions, [*revisions[1:], None], strict=True):
        before = older.snapshot if older else {}
        diff = {
            k: _history_value(k, v, lang)
            for k, v in newer.snapshot.items()
            if before.get(k) != v and k not in HISTORY_HIDDEN
        }
        author = session.get(User, newer.changed_by_id) if newer.changed_by_id else None
        changes.append((newer, diff, author.display_name if author else None))
    return render(request, "coach/history.html", {"p": participant, "changes": changes})
