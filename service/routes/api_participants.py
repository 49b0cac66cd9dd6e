"""JSON API for participants: caseload, profile, suggestions, decisions, placements."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from employers.models import RecordId
from profiles import coaching as profiles_coaching
from profiles import service as profiles_service
from profiles.errors import FieldErrors
from profiles.schemas import (
    CareerProfilePublic,
    CareerProfileUpdate,
    CaseloadRow,
    DecisionCreate,
    DecisionPublic,
    EmployerContactIn,
    FollowAlongIn,
    ParticipantCreate,
    ParticipantPublic,
    ParticipantReassign,
    PlacementCreate,
    PlacementEnd,
    PlacementPublic,
    parse,
)
from service import coaching
from service.deps import AdminUser, CoachUser, SessionDep

router = APIRouter(prefix="/api/participants", tags=["participants"])


async def _json(request: Request) -> Any:
    """The JSON body; malformed, undecodable or too deeply nested JSON is a field error."""
    try:
        return await request.json()
    except (ValueError, RecursionError):
        raise FieldErrors({"__all__": "err_format"}) from None


def _invalid(exc: FieldErrors) -> JSONResponse:
    return JSONResponse(
        {"detail": [{"field": f, "message": m} for f, m in exc.errors.items()]}, status_code=422
    )


@router.get("", response_model=list[CaseloadRow])
def list_participants(
    session: SessionDep, user: CoachUser, coach_id: RecordId | None = None, ended: bool = False
):
    """The caller's caseload (admins: everyone, or one coach's), most urgent first;
    `ended=true`: those who have left the programme."""
    entries = profiles_service.list_caseload(
        session,
        user=user,
        first_contact_dates=profiles_coaching.first_contact_dates(session),
        coach_id=coach_id,
        ended=ended,
    )
    return [
        CaseloadRow(
            **ParticipantPublic.model_validate(e.participant).model_dump(),
            days_since_entry=e.clock.days_since_entry,
            clock_state=e.clock.state.value,
            clock_days_left=e.clock.days_left,
            first_contact_date=e.clock.first_contact_date,
        )
        for e in entries
    ]


@router.post("", response_model=ParticipantPublic, status_code=201)
async def create_participant(request: Request, session: SessionDep, user: CoachUser):
    """Add a participant (JSON body: ParticipantCreate)."""
    try:
        data = parse(ParticipantCreate, await _json(request))
        return profiles_service.create_participant(session, user=user, data=data)
    except FieldErrors as exc:
        return _invalid(exc)


@router.get("/{participant_id}", response_model=ParticipantPublic)
def get_participant(session: SessionDep, user: CoachUser, participant_id: RecordId):
    return profiles_service.get_participant(session, user=user, participant_id=participant_id)


@router.post("/{participant_id}/coach", response_model=ParticipantPublic)
async def post_coach(
    request: Request, session: SessionDep, user: AdminUser, participant_id: RecordId
):
    """Admin: move the participant to another coach (JSON body: `coach_id`, `version`)."""
    try:
        data = parse(ParticipantReassign, await _json(request))
        return profiles_service.reassign_participant(
            session, user=user, participant_id=participant_id, data=data
        )
    except FieldErrors as exc:
        return _invalid(exc)


@router.get("/{participant_id}/profile", response_model=CareerProfilePublic | None)
def get_profile(session: SessionDep, user: CoachUser, participant_id: RecordId):
    """The career profile (null before it is first saved; save it with version 0)."""
    profile = profiles_service.get_profile(session, user=user, participant_id=participant_id)
    if profile is None:
        return None
    return CareerProfilePublic.model_validate(
        {
            **profiles_service.profile_snapshot(profile),
            "participant_id": participant_id,
            "version": profile.version,
            "updated_at": profile.updated_at,
        }  # fmt: skip
    )


@router.put("/{participant_id}/profile", response_model=CareerProfilePublic)
async def put_profile(
    request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId
):
    """Change the profile: the fields sent replace the stored ones; `version` must match (409)."""
    try:
        body: Any = await _json(request)
    except ValueError:
        return _invalid(FieldErrors({"__all__": "err_format"}))
    try:
        data = parse(CareerProfileUpdate, body)
        profile = profiles_service.update_profile(
            session, user=user, participant_id=participant_id, data=data
        )
    except FieldErrors as exc:
        return _invalid(exc)
    return CareerProfilePublic.model_validate(
        {
            **profiles_service.profile_snapshot(profile),
            "participant_id": participant_id,
            "version": profile.version,
            "updated_at": profile.updated_at,
        }  # fmt: skip
    )


@router.get("/{participant_id}/suggestions")
def suggestions(
    request: Request,
    session: SessionDep,
    user: CoachUser,
    participant_id: RecordId,
    top: int = Query(10, ge=1, le=100),
    practice: bool | None = None,
    show_declined: bool = False,
):
    """Ranked openings, practice slots and employers with component scores and reasons."""
    matcher = coaching.fitted_matcher(session, state=request.app.state)
    result = profiles_service.suggest(
        session,
        user=user,
        participant_id=participant_id,
        matcher=matcher,
        top_k=top,
        include_practice=practice,
        show_declined=show_declined,
    )
    return coaching.result_json(result)


@router.get("/{participant_id}/decisions", response_model=list[DecisionPublic])
def list_decisions(session: SessionDep, user: CoachUser, participant_id: RecordId):
    return profiles_service.list_decisions(session, user=user, participant_id=participant_id)


@router.post("/{participant_id}/decisions", response_model=DecisionPublic, status_code=201)
async def post_decision(
    request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId
):
    """Accept (creates a planned employer contact), decline with reason_code, or save."""
    try:
        data = parse(DecisionCreate, await _json(request))
        return profiles_coaching.decide(
            session, user=user, participant_id=participant_id, data=data
        )
    except FieldErrors as exc:
        return _invalid(exc)


@router.get("/{participant_id}/placements", response_model=list[PlacementPublic])
def list_placements(session: SessionDep, user: CoachUser, participant_id: RecordId):
    return profiles_service.list_placements(session, user=user, participant_id=participant_id)


@router.post("/{participant_id}/placements", response_model=PlacementPublic, status_code=201)
async def post_placement(
    request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId
):
    """Record a job start (competitive / subsidised), practice or studies."""
    try:
        data = parse(PlacementCreate, await _json(request))
        return profiles_service.record_placement(
            session, user=user, participant_id=participant_id, data=data
        )
    except FieldErrors as exc:
        return _invalid(exc)


@router.post("/{participant_id}/placements/{placement_id}/end", response_model=PlacementPublic)
async def post_placement_end(
    request: Request,
    session: SessionDep,
    user: CoachUser,
    participant_id: RecordId,
    placement_id: RecordId,
):
    """End a placement: `end_date`, `end_reason` (a code from the list), `end_reason_text`."""
    try:
        data = parse(PlacementEnd, await _json(request))
        return profiles_service.end_placement(
            session, user=user, participant_id=participant_id, placement_id=placement_id, data=data
        )
    except FieldErrors as exc:
        return _invalid(exc)


@router.post("/{participant_id}/contacts", status_code=201)
async def post_contact(
    request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId
):
    """Log an employer contact made or planned for the participant."""
    try:
        data = parse(EmployerContactIn, await _json(request))
        contact = profiles_coaching.log_employer_contact(
            session, user=user, participant_id=participant_id, data=data
        )
    except FieldErrors as exc:
        return _invalid(exc)
    return contact.model_dump(mode="json")


@router.post("/{participant_id}/follow-along", status_code=201)
async def post_follow_along(
    request: Request, session: SessionDep, user: CoachUser, participant_id: RecordId
):
    """Log a follow-along support contact."""
    try:
        data = parse(FollowAlongIn, await _json(request))
        contact = profiles_service.record_follow_along(
            session, user=user, participant_id=participant_id, data=data
        )
    except FieldErrors as exc:
        return _invalid(exc)
    return contact.model_dump(mode="json")
