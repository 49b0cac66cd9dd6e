"""Evaluator page and /api/evaluation on the demo municipality: aggregates, no identities."""

import datetime as dt

import pytest

from profiles.models import Participant, Role
from service.demo import generate_demo


@pytest.fixture
def demo(session):
    generate_demo(session, seed=7, town="Karlstad")
    return session


def test_api_gives_figures_without_participant_codes(client, login_as, demo):
    login_as(Role.evaluator)
    today = dt.date.today()
    response = client.get(f"/api/evaluation?from={today.replace(year=today.year - 1)}&to={today}")
    assert response.status_code == 200
    data = response.json()
    assert {"summaries", "tables", "fidelity", "curves"} <= set(data)
    assert data["fidelity"], "fidelity items are scored from the demo logs"
    codes = [p.code for p in demo.exec(Participant.__table__.select()).all()]
    assert codes and not any(code in response.text for code in codes)


def test_page_renders_report_in_swedish_and_english(client, login_as, demo):
    login_as(Role.evaluator)
    sv = client.get("/evaluation")
    assert sv.status_code == 200
    assert "Utvärdering" in sv.text and "data:image/png;base64," in sv.text
    en = client.get("/evaluation?lang=en")
    assert "Evaluation" in en.text


def test_coach_and_liaison_cannot_see_evaluation(client, login_as):
    login_as(Role.coach)
    assert client.get("/api/evaluation").status_code == 403
    assert client.get("/evaluation").status_code == 403


def test_reversed_period_is_a_clear_error(client, login_as):
    login_as(Role.evaluator)
    response = client.get("/api/evaluation?from=2026-05-01&to=2026-01-01")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "to" and "before" in error["message"]
