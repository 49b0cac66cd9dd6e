"""`ipsmatch rank --caseload COACH`: a whole caseload at once, scarce places promised once."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import typer
from rich.console import Console
from rich.progress import track
from sqlmodel import Session, select

from matching.caseload import CaseloadParticipant, CaseloadResult, rank_caseload
from matching.ranking import Matcher
from profiles import service as profiles_service
from profiles.models import Participant, Role, User


def caseload_participants(
    session: Session, *, coach: str, first_contacts: dict[int, date]
) -> list[CaseloadParticipant]:
    """The active participants of one coach (username) or of everyone (``all``), audit-logged."""
    query = select(Participant).where(Participant.exit_date == None)  # noqa: E711
    if coach != "all":
        user = session.exec(select(User).where(User.username == coach)).first()
        if user is None or user.role is not Role.coach:
            raise LookupError(f"no coach with the username {coach!r}")
        query = query.where(Participant.coach_id == user.id)
    people = list(session.exec(query.order_by(Participant.code)))
    return [
        CaseloadParticipant(
            profiles_service.audited_preferences(session, participant=person, actor="cli caseload"),
            person.entry_date,
            first_contacts.get(person.id) if person.id is not None else None,
        )
        for person in track(people, description="Profiles", console=Console(stderr=True))
    ]


def caseload_json(result: CaseloadResult, suggestion_json: Any) -> dict[str, Any]:
    return {
        "objective": round(result.objective, 4),
        "promised_per_offer": dict(result.promised_per_offer),
        "plans": [
            {
                "participant": plan.participant_id,
                "days_since_entry": plan.days_since_entry,
                "days_left": plan.days_left,
                "has_employer_contact": plan.has_employer_contact,
                "urgency": round(plan.urgency, 3),
                "promised": sorted(plan.promised_offer_ids),
                **suggestion_json(plan.result),
            }
            for plan in result.plans
        ],
    }


def run_caseload(
    session: Session, *, coach: str, matcher: Matcher, top: int, today: date, as_json: bool,
    lang: str, result_json: Any, first_contacts: dict[int, date],
) -> None:  # fmt: skip
    people = caseload_participants(session, coach=coach, first_contacts=first_contacts)
    result = rank_caseload(matcher, people, today=today, top_k=top)
    if as_json:
        typer.echo(json.dumps(caseload_json(result, result_json), ensure_ascii=False))
        return
    sv = lang == "sv"
    for plan in result.plans:
        if plan.has_employer_contact:
            clock = "kontakt gjord" if sv else "contact made"
        elif plan.days_left >= 0:
            clock = f"{plan.days_left} dagar kvar" if sv else f"{plan.days_left} days left"
        else:
            clock = f"försenad {-plan.days_left} dagar" if sv else f"overdue {-plan.days_left} d"
        typer.echo(f"== {plan.participant_id}  ({plan.days_since_entry} d, {clock})")
        for s in (*plan.result.openings, *plan.result.practice, *plan.result.employers)[:top]:
            mark = " *" if s.offer_id in plan.promised_offer_ids else ""
            typer.echo(f"   {s.score:.2f}  {s.offer.title} – {s.offer.employer_name}{mark}")
    promised = sum(result.promised_per_offer.values())
    typer.echo(
        f"{len(result.plans)} deltagare, {promised} platser utlovade (*), ingen plats utlovad "
        "till fler än den rymmer"
        if sv
        else f"{len(result.plans)} participants, {promised} places promised (*), no place "
        "promised to more people than it holds"
    )
