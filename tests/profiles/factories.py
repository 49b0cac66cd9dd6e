"""Synthetic participants and a small synthetic register in Karlstad (no real personal data)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from employers.models import Employer, EmploymentForm, Opening, PracticeSlot
from profiles.models import CareerProfile, Participant, User

KARLSTAD = "1780"
LAGER = "sizv_uPq_nWf"  # Lagerarbetare (4322)
LAGER_TERMINAL = "DLEi_bTh_oLA"  # Lagerarbetare/Terminalarbetare (4322)
STADARE = "KF64_AvU_S4N"  # Städare (9111)
KOCK = "JbJw_as4_S93"  # Kock à la carte (5120)


def make_participant(
    session: Session,
    coach: User | None,
    *,
    code: str = "P-001",
    days_ago: int = 10,
    profile: dict | None = None,
) -> Participant:
    participant = Participant(
        code=code,
        entry_date=date.today() - timedelta(days=days_ago),
        municipality_code=KARLSTAD,
        coach_id=coach.id if coach else None,
    )
    session.add(participant)
    session.commit()
    session.refresh(participant)
    if profile is not None:
        fields = {"home_municipality_code": KARLSTAD, **profile}
        session.add(CareerProfile(participant_id=participant.id, **fields))
        session.commit()
    return participant


def make_register(session: Session) -> dict[str, object]:
    """Three employers in Karlstad: a warehouse with an opening (+ a night one), a cleaning firm
    with a practice slot and a subsidised opening, and a restaurant to approach."""
    lager = Employer(
        name="Värmlands Lager AB",
        municipality_code=KARLSTAD,
        trade="Lager och logistik",
        occupation_ids=[LAGER],
        ssyk4_codes=["4322"],
        lat=59.38,
        lon=13.50,
    )
    stad = Employer(
        name="Klarälvens Städ AB",
        municipality_code=KARLSTAD,
        trade="Städ",
        occupation_ids=[STADARE],
        ssyk4_codes=["9111"],
        lat=59.40,
        lon=13.52,
    )
    krog = Employer(
        name="Restaurang Sandgrund",
        municipality_code=KARLSTAD,
        trade="Restaurang",
        occupation_ids=[KOCK],
        ssyk4_codes=["5120"],
        lat=59.379,
        lon=13.498,
    )
    session.add_all([lager, stad, krog])
    session.commit()
    day = Opening(
        employer_id=lager.id,
        title="Lagerarbetare dagtid",
        occupation_ids=[LAGER],
        ssyk4_codes=["4322"],
        hours_per_week=30,
        schedules=["day"],
        municipality_code=KARLSTAD,
        lat=59.38,
        lon=13.50,
        deadline=date.today() + timedelta(days=20),
    )
    night = Opening(
        employer_id=lager.id,
        title="Lagerarbetare natt",
        occupation_ids=[LAGER],
        ssyk4_codes=["4322"],
        hours_per_week=40,
        schedules=["night"],
        municipality_code=KARLSTAD,
        lat=59.38,
        lon=13.50,
    )
    subsidised = Opening(
        employer_id=stad.id,
        title="Städare med lönebidrag",
        occupation_ids=[STADARE],
        ssyk4_codes=["9111"],
        employment_form=EmploymentForm.subsidised,
        subsidy_type="lönebidrag",
        hours_per_week=25,
        municipality_code=KARLSTAD,
        lat=59.40,
        lon=13.52,
    )
    slot = PracticeSlot(
        employer_id=stad.id,
        title="Praktik städ",
        occupation_ids=[STADARE],
        ssyk4_codes=["9111"],
        capacity=1,
        municipality_code=KARLSTAD,
        lat=59.40,
        lon=13.52,
        period_start=date.today(),
        period_end=date.today() + timedelta(days=90),
    )
    session.add_all([day, night, subsidised, slot])
    session.commit()
    for row in (lager, stad, krog, day, night, subsidised, slot):
        session.refresh(row)
    return {
        "lager": lager,
        "stad": stad,
        "krog": krog,
        "day": day,
        "night": night,
        "subsidised": subsidised,
        "slot": slot,
    }
