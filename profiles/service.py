"""Participant-side service functions: caseload, profiles, decisions, placements, follow-along.

Every function takes the session first and keyword-only arguments, checks that the user may see
the participant, writes an audit entry for each read and change of a participant record, and
commits. Rows of the employer register are not touched here (profiles imports no employers
code); service/ passes in what it needs from the register (first contact dates, an employer id).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from employers.models import Employer
from matching.ranking import Matcher
from matching.types import Preferences, RankingResult
from profiles import audit
from profiles.adapters import to_preferences, unknown_occupations
from profiles.clock import Clock, thirty_day_clock
from profiles.errors import (
    FieldErrors,
    ParticipantAccessDenied,
    ParticipantNotFound,
    UserNotFound,
    VersionConflict,
)
from profiles.models import (
    CareerProfile,
    Decision,
    Disclosure,
    FollowAlongContact,
    Participant,
    ParticipantStatus,
    Placement,
    PlacementKind,
    ProfileRevision,
    Role,
    SuggestionDecision,
    User,
)
from profiles.schemas import (
    CareerProfileIn,
    CareerProfileStored,
    CareerProfileUpdate,
    DecisionCreate,
    FollowAlongIn,
    ParticipantCreate,
    ParticipantReassign,
    ParticipantUpdate,
    PlacementCreate,
    PlacementEnd,
    UserCreate,
    UserUpdate,
)

PROFILE_FIELDS: tuple[str, ...] = tuple(CareerProfileIn.model_fields)


def _now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------ access
def can_see_participant(user: User, participant: Participant) -> bool:
    """Coaches see their own caseload; admins everyone; liaisons and evaluators no one."""
    if user.role is Role.admin:
        return True
    return user.role is Role.coach and participant.coach_id == user.id


def _require_participant_role(user: User) -> None:
    if user.role not in (Role.coach, Role.admin):
        raise ParticipantAccessDenied(f"role {user.role} has no access to participant records")


def load_participant(session: Session, *, user: User, participant_id: int) -> Participant:
    """The participant if the user may see it (no read audit: for changes that audit themselves)."""
    _require_participant_role(user)
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise ParticipantNotFound(f"participant {participant_id} not found")
    if not can_see_participant(user, participant):
        audit.record(
            session,
            user=user,
            action="denied",
            entity="participant",
            entity_id=participant_id,
            participant_id=participant_id,
        )
        session.commit()
        raise ParticipantAccessDenied(f"participant {participant_id} is not on your caseload")
    return participant


def get_participant(
    session: Session, *, user: User, participant_id: int, what: str = "participant"
) -> Participant:
    """One participant the user may see; the read is audit-logged."""
    participant = load_participant(session, user=user, participant_id=participant_id)
    audit.record(
        session,
        user=user,
        action="read",
        entity=what,
        entity_id=participant_id,
        participant_id=participant_id,
    )
    session.commit()
    return participant


def find_participant_by_code(session: Session, *, code: str) -> Participant | None:
    """The participant with this pseudonymous code, or None (no access check: CLI use)."""
    return session.exec(select(Participant).where(Participant.code == code)).first()


def disclosure_for_contact(session: Session, *, user: User, code: str) -> Disclosure | None:
    """The disclosure choice of the participant with this code, for an employer contact made
    about them (a liaison sees this and nothing else of the record); ``None`` for an unknown
    code. A profile not filled in yet is undecided. The read is audit-logged."""
    participant = find_participant_by_code(session, code=code.strip())
    if participant is None or participant.id is None:
        return None
    profile = find_profile(session, participant_id=participant.id)
    audit.record(
        session,
        user=user,
        action="read",
        entity="disclosure",
        entity_id=participant.id,
        participant_id=participant.id,
    )
    session.commit()
    return profile.disclosure if profile is not None else Disclosure.undecided


# ------------------------------------------------------------------ caseload
@dataclass(frozen=True, slots=True)
class CaseloadEntry:
    participant: Participant
    clock: Clock


def list_caseload(
    session: Session,
    *,
    user: User,
    first_contact_dates: Mapping[int, date],
    today: date | None = None,
    coach_id: int | None = None,
    ended: bool = False,
) -> list[CaseloadEntry]:
    """The user's active participants with their 30-day clock, most urgent first.

    ``first_contact_dates`` maps participant id -> date of the first face-to-face employer contact
    (from the register). Admins may pass ``coach_id`` (None: everyone). ``ended`` lists those
    who have left the programme instead.
    """
    _require_participant_role(user)
    today = today or date.today()
    left = col(Participant.exit_date).is_not(None)
    query = select(Participant).where(left if ended else ~left)
    if user.role is Role.coach:
        query = query.where(Participant.coach_id == user.id)
    elif coach_id is not None:
        query = query.where(Participant.coach_id == coach_id)
    entries = [
        CaseloadEntry(p, thirty_day_clock(p.entry_date, first_contact_dates.get(p.id), today))
        for p in session.exec(query)
    ]
    entries.sort(
        key=lambda e: (
            e.clock.urgency,
            e.participant.next_step_date or date.max,
            e.participant.code,
        )
    )
    audit.record(
        session,
        user=user,
        action="list",
        entity="caseload",
        detail=f"{len(entries)} participants",
    )
    session.commit()
    return entries


def looks_like_personal_number(code: str) -> bool:
    """True for a code shaped like a personnummer or samordningsnummer (YYMMDD-NNNN,
    YYYYMMDDNNNN, ...: a real date, a samordningsnummer's day plus 60): personal data that a
    participant's pseudonymous code must never be."""
    digits = "".join(ch for ch in code if ch not in "-+ ")
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (10, 12):
        return False
    birth = digits[:-4]
    centuries = [birth[:2]] if len(birth) == 8 else ["19", "20"]
    stem = birth[-6:]
    for century in centuries:
        year, month, day = int(century + stem[:2]), int(stem[2:4]), int(stem[4:6])
        for real_day in (day, day - 60):
            try:
                date(year, month, real_day)
            except ValueError:
                continue
            return True
    return False


def create_participant(session: Session, *, user: User, data: ParticipantCreate) -> Participant:
    """Add a participant; a coach adds to their own caseload, an admin to any coach's."""
    _require_participant_role(user)
    if looks_like_personal_number(data.code):
        raise FieldErrors({"code": "err_code_personnummer"})
    coach_id = user.id if user.role is Role.coach else data.coach_id
    if coach_id is not None:
        coach = session.get(User, coach_id)
        if coach is None or coach.role is not Role.coach:
            raise FieldErrors({"coach_id": "err_not_a_coach"})
    if find_participant_by_code(session, code=data.code) is not None:
        raise FieldErrors({"code": "err_code_taken"})
    participant = Participant(
        code=data.code,
        entry_date=data.entry_date,
        municipality_code=data.municipality_code,
        group_label=data.group_label,
        coach_id=coach_id,
    )
    session.add(participant)
    session.flush()
    audit.record(
        session,
        user=user,
        action="create",
        entity="participant",
        entity_id=participant.id,
        participant_id=participant.id,
    )
    session.commit()
    session.refresh(participant)
    return participant


def _check_version(entity: str, expected: int, actual: int) -> None:
    if expected != actual:
        raise VersionConflict(entity, expected, actual)


def update_participant(
    session: Session, *, user: User, participant_id: int, data: ParticipantUpdate
) -> Participant:
    """Change status / next step, if nobody else changed the participant meanwhile."""
    participant = load_participant(session, user=user, participant_id=participant_id)
    _check_version("participant", data.version, participant.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for key, value in changes.items():
        setattr(participant, key, value)
    # 'ended' and an exit date go together: an ended participant leaves the caseload (and its
    # 30-day clock); taken up again, they are back.
    if participant.status == ParticipantStatus.ended and participant.exit_date is None:
        participant.exit_date = date.today()
        changes["exit_date"] = participant.exit_date
    elif participant.status != ParticipantStatus.ended and participant.exit_date is not None:
        participant.exit_date = None
        changes["exit_date"] = None
    participant.version += 1
    participant.updated_at = _now()
    session.add(participant)
    audit.record(
        session,
        user=user,
        action="update",
        entity="participant",
        entity_id=participant_id,
        participant_id=participant_id,
        detail=", ".join(sorted(changes)),
    )
    session.commit()
    session.refresh(participant)
    return participant


def reassign_participant(
    session: Session, *, user: User, participant_id: int, data: ParticipantReassign
) -> Participant:
    """Move a participant to another (active) coach's caseload; only an admin may."""
    if user.role is not Role.admin:
        raise ParticipantAccessDenied("only an admin moves participants between caseloads")
    participant = load_participant(session, user=user, participant_id=participant_id)
    _check_version("participant", data.version, participant.version)
    coach = session.get(User, data.coach_id)
    if coach is None or coach.role is not Role.coach or not coach.active:
        raise FieldErrors({"coach_id": "err_not_a_coach"})
    previous = participant.coach_id
    participant.coach_id = coach.id
    participant.version += 1
    participant.updated_at = _now()
    session.add(participant)
    audit.record(
        session,
        user=user,
        action="update",
        entity="participant",
        entity_id=participant_id,
        participant_id=participant_id,
        detail=f"coach_id {previous} -> {coach.id}",
    )
    session.commit()
    session.refresh(participant)
    return participant


# ------------------------------------------------------------------ career profile
def find_profile(session: Session, *, participant_id: int) -> CareerProfile | None:
    """The stored profile of a participant, or None (no access check; callers have done it)."""
    return session.exec(
        select(CareerProfile).where(CareerProfile.participant_id == participant_id)
    ).first()


def profile_snapshot(profile: CareerProfile) -> dict[str, Any]:
    """The profile's preference fields as JSON-safe values (what a revision stores)."""
    return CareerProfileStored.model_validate(
        {f: getattr(profile, f) for f in PROFILE_FIELDS}
    ).model_dump(mode="json")


def get_profile(session: Session, *, user: User, participant_id: int) -> CareerProfile | None:
    """The participant's profile (None if none yet); the read is audit-logged."""
    get_participant(session, user=user, participant_id=participant_id, what="career_profile")
    return find_profile(session, participant_id=participant_id)


def update_profile(
    session: Session, *, user: User, participant_id: int, data: CareerProfileUpdate
) -> CareerProfile:
    """Apply the sent fields to the profile (version 0 creates it) and keep a revision."""
    participant = load_participant(session, user=user, participant_id=participant_id)
    profile = find_profile(session, participant_id=participant_id)
    _check_version("career_profile", data.version, profile.version if profile else 0)
    changes = data.model_dump(exclude_unset=True, exclude={"version", "entry_date"})
    if changes.get("occupation_ids") and unknown_occupations(changes["occupation_ids"]):
        raise FieldErrors({"occupation_ids": "err_unknown_occupation"})
    if "languages" in changes:
        changes["languages"] = [lang.model_dump() for lang in data.languages]
    for key in ("disclosure", "benefits_counselling"):
        if key in changes:
            changes[key] = getattr(data, key)
    if profile is None:
        profile = CareerProfile(participant_id=participant_id, version=0)
    before = profile_snapshot(profile) if profile.id is not None else {}
    for key, value in changes.items():
        setattr(profile, key, value)
    profile.version += 1
    profile.updated_at = _now()
    profile.updated_by_id = user.id
    session.add(profile)
    changed = sorted(k for k, v in profile_snapshot(profile).items() if before.get(k) != v)
    if data.entry_date is not None and data.entry_date != participant.entry_date:
        participant.entry_date = data.entry_date
        participant.version += 1
        participant.updated_at = _now()
        session.add(participant)
        changed.append("entry_date")
    session.add(
        ProfileRevision(
            participant_id=participant_id,
            version=profile.version,
            changed_by_id=user.id,
            snapshot=profile_snapshot(profile),
        )
    )
    audit.record(
        session,
        user=user,
        action="update",
        entity="career_profile",
        entity_id=participant_id,
        participant_id=participant_id,
        detail=", ".join(changed) or "no change",
    )
    session.commit()
    session.refresh(profile)
    return profile


@dataclass(frozen=True, slots=True)
class ProfileConflict:
    """A stale profile save measured against the stored profile, for the editor to merge by hand.

    ``stored`` holds the stored values (JSON-safe, as in a revision, plus ``entry_date``) of the
    fields in ``differing``: those the save sent with a value other than the stored one.
    ``changed_by_id``, ``changed_by`` (display name) and ``changed_at`` name the latest save,
    when they are known.
    """

    version: int
    stored: dict[str, Any]
    differing: tuple[str, ...]
    changed_by_id: int | None
    changed_by: str | None
    changed_at: datetime | None


def submitted_profile_values(data: CareerProfileUpdate) -> dict[str, Any]:
    """The fields a profile update sends, as JSON-safe values comparable with a snapshot."""
    sent = data.model_dump(mode="json", include=data.model_fields_set - {"version"})
    if data.entry_date is None:
        sent.pop("entry_date", None)
    return sent


def differing_fields(stored: Mapping[str, Any], submitted: Mapping[str, Any]) -> tuple[str, ...]:
    """Submitted fields whose value is not the stored one, in profile field order."""
    order = [*PROFILE_FIELDS, "entry_date"]
    return tuple(f for f in order if f in submitted and submitted[f] != stored.get(f))


def profile_conflict(
    session: Session, *, user: User, participant_id: int, data: CareerProfileUpdate
) -> ProfileConflict:
    """How a save that lost the version race differs from the stored profile (writes nothing
    but the audit entry of the read)."""
    participant = get_participant(
        session, user=user, participant_id=participant_id, what="career_profile"
    )
    profile = find_profile(session, participant_id=participant_id)
    stored = profile_snapshot(profile or CareerProfile(participant_id=participant_id))
    stored["entry_date"] = participant.entry_date.isoformat()
    differing = differing_fields(stored, submitted_profile_values(data))
    version = profile.version if profile is not None else 0
    revision = session.exec(
        select(ProfileRevision)
        .where(ProfileRevision.participant_id == participant_id)
        .order_by(col(ProfileRevision.version).desc(), col(ProfileRevision.id).desc())
    ).first()
    # A profile written without a revision (an import) still names its last writer.
    if revision is not None and revision.version == version:
        changed_by_id, changed_at = revision.changed_by_id, revision.changed_at
    elif profile is not None:
        changed_by_id, changed_at = profile.updated_by_id, profile.updated_at
    else:
        changed_by_id, changed_at = None, None
    author = session.get(User, changed_by_id) if changed_by_id is not None else None
    return ProfileConflict(
        version=version,
        stored={f: stored.get(f) for f in differing},
        differing=differing,
        changed_by_id=changed_by_id,
        changed_by=author.display_name if author is not None else None,
        changed_at=changed_at,
    )


def list_revisions(session: Session, *, user: User, participant_id: int) -> list[ProfileRevision]:
    """The profile's history, newest first; the read is audit-logged."""
    get_participant(session, user=user, participant_id=participant_id, what="profile_revision")
    return list(
        session.exec(
            select(ProfileRevision)
            .where(ProfileRevision.participant_id == participant_id)
            .order_by(col(ProfileRevision.version).desc())
        )
    )


# ------------------------------------------------------------------ suggestions
def latest_decisions(session: Session, *, participant_id: int) -> dict[str, SuggestionDecision]:
    """The newest decision per suggestion (offer_ref) of a participant."""
    rows = session.exec(
        select(SuggestionDecision)
        .where(SuggestionDecision.participant_id == participant_id)
        .order_by(col(SuggestionDecision.decided_at), col(SuggestionDecision.id))
    )
    return {d.offer_ref: d for d in rows}


def declined_offer_refs(session: Session, *, participant_id: int) -> frozenset[str]:
    """Suggestions whose newest decision is 'declined' (hidden from the lists)."""
    return frozenset(
        ref
        for ref, d in latest_decisions(session, participant_id=participant_id).items()
        if d.decision is Decision.declined
    )


def suggest(
    session: Session,
    *,
    user: User,
    participant_id: int,
    matcher: Matcher,
    top_k: int = 10,
    include_practice: bool | None = None,
    show_declined: bool = False,
    today: date | None = None,
) -> RankingResult:
    """Rank the fitted register for a participant's stored profile (declined ones hidden)."""
    get_participant(session, user=user, participant_id=participant_id, what="suggestions")
    preferences = stored_preferences(
        session, participant_id=participant_id, label=str(participant_id),
        show_declined=show_declined,
    )  # fmt: skip
    return matcher.rank(preferences, top_k=top_k, include_practice=include_practice, today=today)


def rank_stored_profile(
    session: Session,
    *,
    participant_id: int,
    matcher: Matcher,
    top_k: int = 10,
    include_practice: bool | None = None,
    today: date | None = None,
    actor: str = "cli",
) -> RankingResult:
    """Rank a stored profile without a web user (command line); audit-logged as ``actor``."""
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise ParticipantNotFound(f"participant {participant_id} not found")
    preferences = audited_preferences(session, participant=participant, actor=actor)
    return matcher.rank(preferences, top_k=top_k, include_practice=include_practice, today=today)


def stored_preferences(
    session: Session, *, participant_id: int, label: str, show_declined: bool = False
) -> Preferences:
    """The engine's view of a stored profile (declined suggestions hidden); no access check."""
    profile = find_profile(session, participant_id=participant_id) or CareerProfile(
        participant_id=participant_id
    )
    declined = () if show_declined else declined_offer_refs(session, participant_id=participant_id)
    return to_preferences(profile, participant_id=label, declined_offer_ids=declined)


def audited_preferences(session: Session, *, participant: Participant, actor: str) -> Preferences:
    """Preferences of a participant for a run without a web user; the read is audit-logged."""
    assert participant.id is not None  # noqa: S101 (stored rows have ids)
    audit.record(
        session,
        user=None,
        action="rank",
        entity="suggestions",
        entity_id=participant.id,
        participant_id=participant.id,
        detail=actor,
    )
    session.commit()
    return stored_preferences(session, participant_id=participant.id, label=participant.code)


def list_decisions(
    session: Session, *, user: User, participant_id: int
) -> list[SuggestionDecision]:
    """Every decision about this participant's suggestions, newest first (audit-logged)."""
    get_participant(session, user=user, participant_id=participant_id, what="decisions")
    return list(
        session.exec(
            select(SuggestionDecision)
            .where(SuggestionDecision.participant_id == participant_id)
            .order_by(col(SuggestionDecision.decided_at).desc(), col(SuggestionDecision.id).desc())
        )
    )


def record_decision(
    session: Session,
    *,
    user: User,
    participant_id: int,
    data: DecisionCreate,
    employer_id: int | None = None,
    employer_contact_id: int | None = None,
    engine_settings: str | None = None,
) -> SuggestionDecision:
    """Store an accept / decline / save, with the rank and score it was shown with.

    Anything the caller added to the session before (the planned employer contact of an accept,
    profiles/coaching.py) is committed together with the decision.
    """
    load_participant(session, user=user, participant_id=participant_id)
    decision = SuggestionDecision(
        participant_id=participant_id,
        kind=data.kind,
        offer_ref=data.offer_ref,
        employer_id=employer_id,
        rank_shown=data.rank_shown,
        score=data.score,
        decision=data.decision,
        reason_code=data.reason_code,
        reason_text=data.reason_text,
        engine_settings=engine_settings,
        employer_contact_id=employer_contact_id,
        decided_by_id=user.id,
    )
    session.add(decision)
    session.flush()
    audit.record(
        session,
        user=user,
        action=data.decision.value,
        entity="suggestion_decision",
        entity_id=decision.id,
        participant_id=participant_id,
        detail=data.offer_ref,
    )
    session.commit()
    session.refresh(decision)
    return decision


# ------------------------------------------------------------------ placements
def record_placement(
    session: Session, *, user: User, participant_id: int, data: PlacementCreate
) -> Placement:
    """A job start (or practice / studies); a competitive or subsidised job sets 'working'."""
    participant = load_participant(session, user=user, participant_id=participant_id)
    if data.suggestion_decision_id is not None:
        decision = session.get(SuggestionDecision, data.suggestion_decision_id)
        if decision is None or decision.participant_id != participant_id:
            raise FieldErrors({"suggestion_decision_id": "err_not_found"})
    if data.employer_id is not None and session.get(Employer, data.employer_id) is None:
        raise FieldErrors({"employer_id": "err_not_found"})
    placement = Placement(participant_id=participant_id, **data.model_dump())
    session.add(placement)
    if data.kind.value in ("competitive", "subsidised") and participant.status != "working":
        participant.status = "working"  # type: ignore[assignment]
        participant.version += 1
        participant.updated_at = _now()
        session.add(participant)
    session.flush()
    audit.record(
        session,
        user=user,
        action="create",
        entity="placement",
        entity_id=placement.id,
        participant_id=participant_id,
        detail=f"{data.kind.value} {data.start_date.isoformat()}",
    )
    session.commit()
    session.refresh(placement)
    return placement


def end_placement(
    session: Session, *, user: User, participant_id: int, placement_id: int, data: PlacementEnd
) -> Placement:
    """Record when and why a placement ended.

    A participant marked 'working' whose last open job ends is back to 'searching' (IPS support
    goes on: the next job search starts at once).
    """
    participant = load_participant(session, user=user, participant_id=participant_id)
    placement = session.get(Placement, placement_id)
    if placement is None or placement.participant_id != participant_id:
        raise ParticipantNotFound(f"placement {placement_id} not found")
    _check_version("placement", data.version, placement.version)
    if data.end_date < placement.start_date:
        raise FieldErrors({"end_date": "err_end_before_start"})
    placement.end_date = data.end_date
    placement.end_reason = data.end_reason
    placement.end_reason_text = data.end_reason_text
    placement.version += 1
    session.add(placement)
    detail = f"ended {data.end_date.isoformat()} ({data.end_reason})"
    still_working = any(
        other.id != placement_id
        and other.end_date is None
        and other.kind in (PlacementKind.competitive, PlacementKind.subsidised)
        for other in session.exec(
            select(Placement).where(Placement.participant_id == participant_id)
        )
    )
    if participant.status == ParticipantStatus.working and not still_working:
        participant.status = ParticipantStatus.searching
        participant.version += 1
        participant.updated_at = _now()
        session.add(participant)
        detail += "; status searching"
    audit.record(
        session,
        user=user,
        action="update",
        entity="placement",
        entity_id=placement_id,
        participant_id=participant_id,
        detail=detail,
    )
    session.commit()
    session.refresh(placement)
    return placement


def list_placements(session: Session, *, user: User, participant_id: int) -> list[Placement]:
    """The participant's placements, newest first (audit-logged)."""
    get_participant(session, user=user, participant_id=participant_id, what="placements")
    return list(
        session.exec(
            select(Placement)
            .where(Placement.participant_id == participant_id)
            .order_by(col(Placement.start_date).desc(), col(Placement.id).desc())
        )
    )


# ------------------------------------------------------------------ follow-along
def record_follow_along(
    session: Session, *, user: User, participant_id: int, data: FollowAlongIn
) -> FollowAlongContact:
    """A follow-along support contact, done or planned."""
    load_participant(session, user=user, participant_id=participant_id)
    if data.placement_id is not None:
        placement = session.get(Placement, data.placement_id)
        if placement is None or placement.participant_id != participant_id:
            raise FieldErrors({"placement_id": "err_not_found"})
    if not data.planned and data.contact_date > date.today():
        raise FieldErrors({"contact_date": "err_future_done"})
    contact = FollowAlongContact(
        participant_id=participant_id, made_by_id=user.id, **data.model_dump()
    )
    session.add(contact)
    session.flush()
    audit.record(
        session,
        user=user,
        action="create",
        entity="follow_along_contact",
        entity_id=contact.id,
        participant_id=participant_id,
    )
    session.commit()
    session.refresh(contact)
    return contact


def list_follow_along(
    session: Session, *, user: User, participant_id: int
) -> list[FollowAlongContact]:
    """Follow-along contacts, newest first (audit-logged by the caller's page read)."""
    load_participant(session, user=user, participant_id=participant_id)
    return list(
        session.exec(
            select(FollowAlongContact)
            .where(FollowAlongContact.participant_id == participant_id)
            .order_by(
                col(FollowAlongContact.contact_date).desc(), col(FollowAlongContact.id).desc()
            )
        )
    )


# ------------------------------------------------------------------ users (admin)
def _require_admin(user: User) -> None:
    if user.role is not Role.admin:
        raise PermissionError("only an admin manages users")


def list_users(session: Session, *, user: User) -> list[User]:
    """Every user, by username."""
    _require_admin(user)
    return list(session.exec(select(User).order_by(col(User.username))))


def list_coaches(session: Session) -> list[User]:
    """Active coaches (for assigning participants)."""
    return list(
        session.exec(
            select(User)
            .where(User.role == Role.coach, User.active == True)  # noqa: E712
            .order_by(col(User.display_name))
        )
    )


def create_user(session: Session, *, user: User, data: UserCreate, password_hash: str) -> User:
    """A new user; the caller hashes the password (argon2 lives in service/security.py)."""
    _require_admin(user)
    if session.exec(select(User).where(User.username == data.username)).first() is not None:
        raise FieldErrors({"username": "err_username_taken"})
    new = User(
        username=data.username,
        display_name=data.display_name,
        role=data.role,
        language=data.language,
        password_hash=password_hash,
    )
    session.add(new)
    session.flush()
    audit.record(session, user=user, action="create", entity="user", entity_id=new.id,
                 detail=f"{data.username} ({data.role.value})")  # fmt: skip
    session.commit()
    session.refresh(new)
    return new


def user_fingerprint(target: User) -> str:
    """What an admin saw of a user (name, role, active, language, password) as a short digest:
    users carry no version number, so a form carries this to detect a change made meanwhile."""
    seen = "\x1f".join(
        (target.display_name, str(target.role), str(target.active), target.language,
         target.password_hash)
    )  # fmt: skip
    return hashlib.sha256(seen.encode("utf-8")).hexdigest()[:20]


def update_user(
    session: Session,
    *,
    user: User,
    user_id: int,
    data: UserUpdate,
    password_hash: str | None = None,
    seen: str | None = None,
) -> User:
    """Change a user's name, role, language, active flag or password; with ``seen`` (the
    :func:`user_fingerprint` the form was drawn with) only if nobody changed them since."""
    _require_admin(user)
    target = session.get(User, user_id)
    if target is None:
        raise UserNotFound(f"user {user_id} not found")
    if seen is not None and seen != user_fingerprint(target):
        raise VersionConflict("user", 0, 0)
    changes = data.model_dump(exclude_unset=True, exclude={"password"})
    if target.id == user.id and (
        changes.get("active") is False or changes.get("role", Role.admin) is not Role.admin
    ):
        raise FieldErrors({"role": "err_self_lockout"})
    for key, value in changes.items():
        if value is not None:
            setattr(target, key, value)
    if password_hash is not None:
        target.password_hash = password_hash
        changes.update(dict.fromkeys(["password"]))
    session.add(target)
    audit.record(session, user=user, action="update", entity="user", entity_id=user_id,
                 detail=", ".join(sorted(changes)))  # fmt: skip
    session.commit()
    session.refresh(target)
    return target
