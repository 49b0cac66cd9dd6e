"""A programme entry date more than a year after today is a typo (2030 for 2025): refused with
a field error on the forms and in the API; past entry dates (from 1900) stay allowed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from profiles.models import Participant, Role
from profiles.schemas import CareerProfileUpdate, ParticipantCreate, field_errors
from tests.profiles.factories import make_participant

TODAY = date.today()
YEARS_AHEAD = TODAY.replace(day=1).replace(year=TODAY.year + 4)
WITHIN_A_YEAR = TODAY + timedelta(days=300)


@pytest.mark.parametrize("model", [ParticipantCreate, CareerProfileUpdate])
def test_schemas_refuse_an_entry_date_years_ahead(model):
    base = {"code": "NEW-1"} if model is ParticipantCreate else {"version": 0}
    with pytest.raises(ValueError) as info:
        model.model_validate({**base, "entry_date": YEARS_AHEAD.isoformat()})
    assert field_errors(info.value) == {"entry_date": "err_entry_date_future"}
    for day in (WITHIN_A_YEAR, TODAY, date(2001, 3, 1), date(1900, 1, 1)):
        assert model.model_validate({**base, "entry_date": day}).entry_date == day


def test_api_refuses_a_new_participant_entering_years_ahead(client, login_as, session):
    """Bug: entry_date 2030 was stored and the caseload then counted down 'om 30 dagar'."""
    login_as(Role.coach)
    r = client.post("/api/participants", json={"code": "NEW-1", "entry_date": str(YEARS_AHEAD)})
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": "entry_date", "message": "err_entry_date_future"}]
    assert session.exec(select(Participant)).all() == []
    ok = client.post("/api/participants", json={"code": "NEW-2", "entry_date": str(WITHIN_A_YEAR)})
    assert ok.status_code == 201


@pytest.mark.parametrize(
    ("lang", "words"),
    [("sv", "Startdatumet ligger mer än ett år fram"),
     ("en", "The entry date is more than a year ahead")],
)  # fmt: skip
def test_new_participant_form_says_why(client, login_as, session, lang, words):
    _, csrf = login_as(Role.coach)
    r = client.post(
        f"/participants?lang={lang}",
        data={"csrf_token": csrf, "code": "NEW-1", "entry_date": str(YEARS_AHEAD)},
    )
    assert r.status_code == 422
    assert words in r.text and "err_entry_date_future" not in r.text
    assert session.exec(select(Participant)).all() == []


def test_profile_refuses_moving_the_entry_date_years_ahead(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    participant = make_participant(session, coach)
    before = participant.entry_date
    r = client.put(
        f"/api/participants/{participant.id}/profile",
        json={"version": 0, "entry_date": str(YEARS_AHEAD)},
    )
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": "entry_date", "message": "err_entry_date_future"}]
    page = client.post(
        f"/participants/{participant.id}/profile",
        data={"csrf_token": csrf, "version": "0", "entry_date": str(YEARS_AHEAD)},
    )
    assert page.status_code == 422
    assert "Startdatumet ligger mer än ett år fram" in page.text
    session.expire_all()
    assert session.get(Participant, participant.id).entry_date == before
