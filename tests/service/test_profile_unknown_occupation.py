"""A career profile names occupations of the taxonomy: an id the vocabulary does not know is a
field error (422), on the page and in the API, and nothing is stored."""

from __future__ import annotations

from profiles.models import CareerProfile, Role
from tests.profiles.factories import LAGER, make_participant


def test_the_api_refuses_an_unknown_occupation(client, login_as, session):
    coach, _csrf = login_as(Role.coach)
    p = make_participant(session, coach)
    r = client.put(f"/api/participants/{p.id}/profile",
                   json={"version": 0, "occupation_ids": [LAGER, "no_such_id"]})  # fmt: skip
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["detail"]] == ["occupation_ids"]
    assert session.get(CareerProfile, 1) is None
    ok = client.put(f"/api/participants/{p.id}/profile",
                    json={"version": 0, "occupation_ids": [LAGER]})  # fmt: skip
    assert ok.status_code == 200


def test_the_form_names_the_field(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach)
    r = client.post(f"/participants/{p.id}/profile",
                    data={"csrf_token": csrf, "version": "0", "occupation_ids": "no_such_id",
                          "disclosure": "no", "benefits_counselling": "not_started"})  # fmt: skip
    assert r.status_code == 422
    assert 'id="err-occupation_ids"' in r.text and "Okänt yrke" in r.text
