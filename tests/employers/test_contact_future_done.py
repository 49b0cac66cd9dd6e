"""A contact logged as done cannot lie in the future, on the register as on the coach's form."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from employers.models import EmployerContact
from profiles.models import Role

LATER = (date.today() + timedelta(days=30)).isoformat()


def _contacts(session) -> int:
    return session.exec(select(func.count()).select_from(EmployerContact)).one()


@pytest.mark.parametrize(
    ("lang", "words"),
    [("sv", "En gjord kontakt kan inte ligga i framtiden."),
     ("en", "A contact made cannot be in the future.")],
)  # fmt: skip
def test_page_refuses_a_done_contact_in_the_future(client, login_as, session, lang, words):
    """Bug: POST /employers/{id}/contacts with a future date and status done answered 303."""
    _, csrf = login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    response = client.post(
        f"/employers/{eid}/contacts?lang={lang}",
        data={"csrf_token": csrf, "contact_date": LATER, "mode": "visit", "status": "done"},
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert 'id="err-contact_date"' in response.text
    assert words in response.text
    assert _contacts(session) == 0


def test_page_takes_a_planned_contact_in_the_future(client, login_as, session):
    _, csrf = login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    response = client.post(
        f"/employers/{eid}/contacts",
        data={"csrf_token": csrf, "contact_date": LATER, "mode": "visit", "status": "planned"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert _contacts(session) == 1


def test_api_refuses_a_done_contact_in_the_future(client, login_as, session):
    """Bug: POST /api/contacts with a future date and status done answered 201."""
    login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    response = client.post(
        "/api/contacts", json={"employer_id": eid, "contact_date": LATER, "status": "done"}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["contact_date"]
    assert _contacts(session) == 0


def test_api_refuses_marking_a_future_planned_contact_done(client, login_as, session):
    login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    planned = client.post(
        "/api/contacts", json={"employer_id": eid, "contact_date": LATER, "status": "planned"}
    ).json()
    response = client.patch(
        f"/api/contacts/{planned['id']}", json={"status": "done", "version": planned["version"]}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["contact_date"]
    after = client.get(f"/api/contacts/{planned['id']}").json()
    assert (after["status"], after["version"]) == ("planned", planned["version"])
    today = date.today().isoformat()
    done = client.patch(
        f"/api/contacts/{planned['id']}",
        json={"status": "done", "contact_date": today, "version": planned["version"]},
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
