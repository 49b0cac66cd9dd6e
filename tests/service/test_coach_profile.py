"""Profile form and API: field errors, version conflicts, history, broadening."""

from __future__ import annotations

from sqlmodel import select

from profiles.models import CareerProfile, ProfileRevision, Role
from tests.profiles.factories import LAGER, make_participant, make_register


def _form(csrf, **fields):
    return {"csrf_token": csrf, "version": "0", **fields}


def test_profile_form_saves_and_keeps_history(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach)
    assert client.get(f"/participants/{p.id}/profile/edit").status_code == 200
    data = _form(csrf, wished_texts="lager\ntruck", occupation_ids=LAGER, hours_min="20",
                 hours_max="30", refusals=["night_work", "alcohol"],
                 languages="Svenska 5, engelska 3",
                 home_municipality_code="1780", disclosure="no", wants_practice="on")  # fmt: skip
    r = client.post(f"/participants/{p.id}/profile", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    profile = session.exec(select(CareerProfile)).one()
    assert profile.wished_texts == ["lager", "truck"]
    assert profile.refusals == ["night_work", "alcohol"]
    assert profile.languages == [{"name": "Svenska", "level": 5}, {"name": "Engelska", "level": 3}]
    assert profile.wants_practice and profile.version == 1
    assert len(session.exec(select(ProfileRevision)).all()) == 1
    assert "lager" in client.get(f"/participants/{p.id}/history").text


def test_profile_field_errors_keep_input_and_change_nothing(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach)
    data = _form(csrf, wished_texts="lager", hours_min="30", hours_max="20")
    r = client.post(f"/participants/{p.id}/profile", data=data)
    assert r.status_code == 422
    assert "Högst timmar måste vara minst" in r.text
    assert 'aria-invalid="true"' in r.text and ">lager</textarea>" in r.text
    r = client.post(f"/participants/{p.id}/profile", data=_form(csrf, hours_min="många"))
    assert r.status_code == 422 and "Ange ett tal" in r.text
    r = client.post(f"/participants/{p.id}/profile", data=_form(csrf, languages="Svenska bra"))
    assert r.status_code == 422
    assert session.exec(select(CareerProfile)).all() == []


def test_stale_version_is_a_conflict(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach, profile={"wished_texts": ["kock"]})
    r = client.post(f"/participants/{p.id}/profile", data=_form(csrf, version="0"))
    assert r.status_code == 409
    assert session.exec(select(CareerProfile)).one().wished_texts == ["kock"]


def test_one_click_broadening_adds_near_occupations(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach, profile={"occupation_ids": [LAGER]})
    r = client.post(
        f"/participants/{p.id}/profile/broaden",
        data={"csrf_token": csrf, "version": "1", "occupation_id": LAGER},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    profile = session.exec(select(CareerProfile)).one()
    session.refresh(profile)
    assert profile.occupation_ids[0] == LAGER and len(profile.occupation_ids) > 1


def test_api_profile_roundtrip_conflict_and_errors(client, login_as, session):
    coach, _ = login_as(Role.coach)
    make_register(session)
    p = make_participant(session, coach)
    assert client.get(f"/api/participants/{p.id}/profile").json() is None
    body = {"version": 0, "occupation_ids": [LAGER], "refusals": ["night_work"]}
    r = client.put(f"/api/participants/{p.id}/profile", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 1
    assert client.put(f"/api/participants/{p.id}/profile", json={"version": 0}).status_code == 409
    r = client.put(f"/api/participants/{p.id}/profile", json={"version": 1, "hours_max": -3})
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": "hours_max", "message": "err_range"}]
    s = client.get(f"/api/participants/{p.id}/suggestions?top=2").json()
    assert [o["title"] for o in s["openings"]] == ["Lagerarbetare dagtid"]
    assert s["openings"][0]["reasons_sv"] and 0 <= s["openings"][0]["score"] <= 1


SKOLVARD = (
    "17FS_XzU_AQ4"  # Skolvärd; its group lists Modersmålspedagog under a current and an older id
)


def test_broadening_offers_each_neighbour_once(client, login_as, session):
    """An older id of an occupation listed under its current id is the same name twice: the
    profile page offers it once, and one-click broadening adds only current ids."""
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach, profile={"occupation_ids": [SKOLVARD]})
    page = client.get(f"/participants/{p.id}/profile/edit").text
    assert page.count('data-label="Modersmålspedagog"') == 1
    r = client.post(
        f"/participants/{p.id}/profile/broaden",
        data={"csrf_token": csrf, "version": "1", "occupation_id": SKOLVARD},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    profile = session.exec(select(CareerProfile)).one()
    session.refresh(profile)
    assert "1AcF_U7n_uqG" not in profile.occupation_ids  # the older Modersmålspedagog
    assert profile.occupation_ids[0] == SKOLVARD and len(profile.occupation_ids) == 6
