"""`ipsmatch rank --caseload`: the demo caseload ranked at once, no place promised twice."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from employers.models import Opening, PracticeSlot
from profiles.models import AuditLogEntry, Participant, User
from service import db
from service.cli import app
from service.config import get_settings
from service.demo import generate_demo


@pytest.fixture
def demo_file(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'caseload.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    engine = db.make_engine(url)
    db.upgrade(engine)
    with Session(engine) as session:
        generate_demo(session, seed=7, town="Karlstad")
    yield engine
    engine.dispose()
    get_settings.cache_clear()


def free_places(session: Session) -> dict[str, int]:
    from profiles.coaching import taken_places

    taken = taken_places(session)
    free = {}
    for o in session.exec(select(Opening)):
        free[f"opening:{o.id}"] = o.vacancies - taken.get(f"opening:{o.id}", 0)
    for s in session.exec(select(PracticeSlot)):
        free[f"practice:{s.id}"] = s.capacity - taken.get(f"practice:{s.id}", 0)
    return free


def test_caseload_json_promises_within_capacity_and_is_audited(demo_file):
    result = CliRunner().invoke(app, ["rank", "--caseload", "coach1", "--json", "--top", "5"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.splitlines()[-1])
    with Session(demo_file) as session:
        coach = session.exec(select(User).where(User.username == "coach1")).one()
        codes = set(
            session.exec(
                select(Participant.code).where(
                    Participant.coach_id == coach.id,
                    Participant.exit_date == None,  # noqa: E711
                )
            )
        )
        assert {plan["participant"] for plan in out["plans"]} == codes
        free = free_places(session)
        for offer_id, promised in out["promised_per_offer"].items():
            assert promised <= free[offer_id], offer_id
        audited = session.exec(
            select(func.count())
            .select_from(AuditLogEntry)
            .where(AuditLogEntry.detail == "cli caseload")
        ).one()
        assert audited == len(codes)
    # Participants without an employer contact come first, the longest waiting first.
    waiting = [p["days_since_entry"] for p in out["plans"] if not p["has_employer_contact"]]
    assert waiting == sorted(waiting, reverse=True)
    first_with_contact = next(
        (i for i, p in enumerate(out["plans"]) if p["has_employer_contact"]), len(out["plans"])
    )
    assert all(not p["has_employer_contact"] for p in out["plans"][:first_with_contact])


def test_unknown_coach_is_a_clear_error(demo_file):
    result = CliRunner().invoke(app, ["rank", "--caseload", "nobody"])
    assert result.exit_code == 2
    assert "nobody" in result.output


def test_one_input_only(demo_file):
    result = CliRunner().invoke(app, ["rank", "K-0001", "--caseload", "coach1"])
    assert result.exit_code != 0
