"""A participant is known by a pseudonymous code: a code shaped like a personnummer (or a
samordningsnummer) is refused on the page and in the API, and nothing is stored."""

from __future__ import annotations

import pytest
from sqlmodel import select

from profiles.models import Participant, Role
from profiles.service import looks_like_personal_number
from tests.conftest import csrf_from


@pytest.mark.parametrize(
    "code",
    [
        "19850101-1234",
        "850101-1234",
        "198501011234",
        "8501011234",
        "850161-1234",
        "20000229-1234",
        "000229+1234",
    ],
)
def test_personal_number_shapes_are_recognised(code):
    assert looks_like_personal_number(code)


@pytest.mark.parametrize("code", ["K-0001", "IPS-2024-17", "E2E-1", "12345", "8513011234"])
def test_ordinary_codes_are_not(code):
    assert not looks_like_personal_number(code)


def test_the_new_participant_form_refuses_a_personnummer(client, login_as, session):
    login_as(Role.coach)
    csrf = csrf_from(client.get("/participants/new").text)
    r = client.post("/participants", data={"csrf_token": csrf, "code": "19850101-1234",
                                           "entry_date": "2026-11-01"})  # fmt: skip
    assert r.status_code == 422
    assert "personnummer" in r.text
    assert session.exec(select(Participant)).all() == []


def test_the_api_refuses_a_personnummer(client, login_as, session):
    login_as(Role.coach)
    r = client.post("/api/participants", json={"code": "8501011234", "entry_date": "2026-11-01"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "code"
    assert session.exec(select(Participant)).all() == []
