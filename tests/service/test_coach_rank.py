"""`ipsmatch rank`: a stored participant or a JSON profile (not stored)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from profiles.models import AuditLogEntry, Participant
from service import db
from service.cli import app
from service.config import get_settings
from tests.profiles.factories import LAGER, make_participant, make_register

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "profile_example.json"


@pytest.fixture
def db_file(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'rank.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    engine = db.make_engine(url)
    db.upgrade(engine)
    with Session(engine) as session:
        reg = make_register(session)
        p = make_participant(session, None, code="CLI-1", profile={"occupation_ids": [LAGER]})
        ids = {"participant": p.id, "day": reg["day"].id, "night": reg["night"].id}
    yield engine, ids
    engine.dispose()
    get_settings.cache_clear()


def test_rank_json_profile_is_not_stored(db_file, tmp_path):
    engine, ids = db_file
    profile = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    profile["available_from"] = None
    path = tmp_path / "p.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    result = CliRunner().invoke(app, ["rank", "--profile", str(path), "--json", "--top", "3"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["participant_id"] == "exempel-lager"
    assert out["openings"][0]["offer_id"] == f"opening:{ids['day']}"
    assert all(o["offer_id"] != f"opening:{ids['night']}" for o in out["openings"])
    assert any(e["detail"] == "night_work" for e in out["exclusions"])
    assert set(out["openings"][0]["components"]) >= {"occupation", "commute"}
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Participant)).one() == 1


def test_rank_stored_participant_by_code_text_output_is_audited(db_file):
    engine, ids = db_file
    result = CliRunner().invoke(app, ["rank", "CLI-1", "--top", "2"])
    assert result.exit_code == 0, result.output
    assert "Lagerarbetare dagtid" in result.output
    assert "== Lediga jobb" in result.output
    with Session(engine) as session:
        entry = session.exec(select(AuditLogEntry).where(AuditLogEntry.action == "rank")).one()
        assert entry.participant_id == ids["participant"]


def test_rank_bad_profile_names_the_field(db_file, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"hours_min": 30, "hours_max": 10}))
    result = CliRunner().invoke(app, ["rank", "--profile", str(path)])
    assert result.exit_code == 2
    assert "hours_max: The most hours must be at least the fewest hours." in result.output
    path.write_text(json.dumps({"refusals": ["x"], "colour": "blue"}))
    result = CliRunner().invoke(app, ["rank", "--profile", str(path)])
    assert result.exit_code == 2
    assert "refusals: Pick one of the options." in result.output
    assert "colour: Unknown field." in result.output


def test_rank_needs_exactly_one_source(db_file):
    assert CliRunner().invoke(app, ["rank"]).exit_code != 0
    assert CliRunner().invoke(app, ["rank", "NOPE-9"]).exit_code == 2
