"""A cleared 'Antal platser' (vacancies of an opening, capacity of a practice slot) is a
'required' field error in the page's language, and nothing is stored."""

from __future__ import annotations

import re

import pytest

from profiles.models import Role

CASES = [("openings", "vacancies"), ("slots", "capacity")]


def _error(html: str, field: str) -> str:
    match = re.search(rf'id="err-{field}">([^<]*)<', html)
    assert match, f"no field error for {field}"
    return match.group(1).strip()


@pytest.fixture
def employer_id(client, login_as):
    login_as(Role.liaison)
    return client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]


@pytest.mark.parametrize(("kind", "field"), CASES)
@pytest.mark.parametrize(("lang", "words"), [("sv", "Obligatoriskt."), ("en", "Required.")])
def test_a_blank_number_on_a_new_offer_is_required(client, login_as, kind, field, lang, words):
    """Bug: a blank 'Antal platser' said 'Input should be a valid integer'."""
    _, csrf = login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    r = client.post(
        f"/employers/{eid}/{kind}/new?lang={lang}",
        data={"csrf_token": csrf, "title": "Bagare", field: ""},
    )
    assert r.status_code == 422
    assert _error(r.text, field) == words
    assert client.get(f"/api/{kind}").json() == []


@pytest.mark.parametrize(("kind", "field"), CASES)
@pytest.mark.parametrize(("lang", "words"), [("sv", "Obligatoriskt."), ("en", "Required.")])
def test_clearing_the_number_on_an_edit_page_is_required(
    client, login_as, kind, field, lang, words
):
    _, csrf = login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    record = client.post(
        f"/api/{kind}", json={"employer_id": eid, "title": "Bagare", field: 3}
    ).json()
    r = client.post(
        f"/{kind}/{record['id']}/edit?lang={lang}",
        data={"csrf_token": csrf, "version": str(record["version"]), "title": "Bagare", field: ""},
    )
    assert r.status_code == 422
    assert _error(r.text, field) == words
    after = client.get(f"/api/{kind}/{record['id']}").json()
    assert (after[field], after["version"]) == (3, record["version"])


@pytest.mark.parametrize(("kind", "field"), CASES)
def test_null_for_the_number_in_the_api_is_a_field_error(client, login_as, kind, field):
    login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    record = client.post(f"/api/{kind}", json={"employer_id": eid, "title": "Bagare"}).json()
    r = client.patch(f"/api/{kind}/{record['id']}", json={field: None, "version": 1})
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": field, "message": "required"}]
