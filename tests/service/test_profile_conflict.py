"""A profile save that lost the race with someone else's: 409, the form as typed, the stored
values beside it, nothing written; saving again from that page writes the form."""

from __future__ import annotations

import re

from sqlmodel import select

from profiles import service as profiles_service
from profiles.models import CareerProfile, ProfileRevision, Role
from profiles.schemas import CareerProfileUpdate
from tests.profiles.factories import LAGER, STADARE, make_participant


def _form(csrf: str, version: int, **fields) -> dict:
    """The whole profile form as the browser sends it (blank fields included)."""
    data = {
        "csrf_token": csrf,
        "version": str(version),
        "wished_texts": "lager",
        "occupation_ids": [LAGER],
        "enjoys": "",
        "refusals": ["night_work"],
        "refusals_text": "",
        "hours_min": "20",
        "hours_max": "",
        "max_physical_demand": "",
        "available_from": "",
        "home_municipality_code": "1780",
        "home_place": "",
        "commute_limit_km": "",
        "languages": "Svenska 5",
        "work_history": "",
        "education": "",
        "strengths": "",
        "accommodations": "",
        "disclosure": "undecided",
        "benefits_counselling": "not_started",
    }
    data.update(fields)
    return data


def _stored(session) -> CareerProfile:
    profile = session.exec(select(CareerProfile)).one()
    session.refresh(profile)
    return profile


def _version_in(page: str) -> str:
    match = re.search(r'name="version" value="(\d+)"', page)
    assert match, "form has no version field"
    return match.group(1)


def _theirs(page: str, field: str) -> str | None:
    match = re.search(rf'<span class="theirs small" id="theirs-{field}"[^>]*>(.*?)</span>', page)
    return match.group(1) if match else None


def _saved(client, p, data) -> None:
    r = client.post(f"/participants/{p.id}/profile", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text


def test_second_save_from_a_stale_version_is_shown_beside_the_stored_one(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach)
    _saved(client, p, _form(csrf, 0, enjoys="Matlagning"))
    page = client.get(f"/participants/{p.id}/profile/edit").text
    assert _version_in(page) == "1"

    # Two tabs opened at version 1: the first saves, the second is stale.
    _saved(client, p, _form(csrf, 1, enjoys="Trädgård", hours_max="30"))
    mine = _form(csrf, 1, enjoys="Lagerarbete och truck", hours_min="25",
                 work_history="Diskare i tre år", occupation_ids=[LAGER, STADARE])  # fmt: skip
    r = client.post(f"/participants/{p.id}/profile", data=mine, follow_redirects=False)

    assert r.status_code == 409
    page = r.text
    assert "Någon annan sparade profilen medan du redigerade." in page
    assert "Ingenting av det du skrev har sparats." in page
    assert f"Senast sparad av: {coach.display_name}" in page
    assert "Det var du själv, i en annan flik" in page
    # what the coach typed is still in the fields
    assert ">Lagerarbete och truck</textarea>" in page
    assert ">Diskare i tre år</textarea>" in page
    assert 'name="hours_min" inputmode="decimal" value="25"' in page
    assert page.count('name="occupation_ids"') >= 2
    # the stored value beside each field that differs, and only there
    assert "Sparat av annan: <strong>Trädgård</strong>" in _theirs(page, "enjoys")
    assert "<strong>20</strong>" in _theirs(page, "hours_min")
    assert "<strong>30</strong>" in _theirs(page, "hours_max")
    assert "<strong>–</strong>" in _theirs(page, "work_history")
    assert "Städare" not in _theirs(page, "occupation_ids")
    for same in ("wished_texts", "refusals", "languages", "home_municipality_code"):
        assert _theirs(page, same) is None, same
    assert 'href="#theirs-enjoys"' in page
    # the form now carries the stored version
    assert _version_in(page) == "2"

    # nothing of the stale save was written
    profile = _stored(session)
    assert profile.version == 2
    assert profile.enjoys == "Trädgård"
    assert profile.hours_min == 20 and profile.hours_max == 30
    assert profile.work_history is None and profile.occupation_ids == [LAGER]
    assert len(session.exec(select(ProfileRevision)).all()) == 2

    # saving again from the conflict page writes what the coach decided
    decided = {**mine, "version": _version_in(page), "hours_max": "30"}
    _saved(client, p, decided)
    profile = _stored(session)
    assert profile.version == 3
    assert profile.enjoys == "Lagerarbete och truck"
    assert profile.hours_min == 25 and profile.hours_max == 30
    assert profile.work_history == "Diskare i tre år"
    assert profile.occupation_ids == [LAGER, STADARE]
    assert len(session.exec(select(ProfileRevision)).all()) == 3


def test_conflict_names_the_other_person_and_speaks_english(client, login_as, make_user, session):
    coach, csrf = login_as(Role.coach)
    admin = make_user(Role.admin)
    p = make_participant(session, coach)
    _saved(client, p, _form(csrf, 0))
    profiles_service.update_profile(
        session,
        user=admin,
        participant_id=p.id,
        data=CareerProfileUpdate(version=1, strengths="Noggrann", schedules=["day"]),
    )
    r = client.post(
        f"/participants/{p.id}/profile?lang=en",
        data=_form(csrf, 1, strengths="Punktlig"),
        follow_redirects=False,
    )
    assert r.status_code == 409
    page = r.text
    assert "Someone else saved this profile while you were editing." in page
    assert "Nothing you typed has been saved." in page
    assert f"Last saved by: {admin.display_name}" in page
    assert "That was you" not in page
    assert "Saved by someone else: <strong>Noggrann</strong>" in _theirs(page, "strengths")
    assert "<strong>day</strong>" in _theirs(page, "schedules")
    assert ">Punktlig</textarea>" in page
    assert _stored(session).strengths == "Noggrann"


def test_conflict_without_a_revision_and_without_differences(client, login_as, session):
    """A profile written outside the form (no revision, no author) still gives a usable page."""
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach, profile={"wished_texts": ["lager"], "hours_min": 20})
    same = _form(csrf, 0, occupation_ids=[], refusals=[], languages="", disclosure="undecided")
    r = client.post(f"/participants/{p.id}/profile", data=same, follow_redirects=False)
    assert r.status_code == 409
    assert "Senast sparad av: okänd" in r.text
    assert "skiljer sig inte från det du skrev" in r.text
    assert _version_in(r.text) == "1"
    assert 'class="theirs' not in r.text
    assert _stored(session).version == 1


def test_a_field_left_blank_clears_the_stored_value(client, login_as, session):
    """Keeping one's own empty field after a conflict must empty it, not keep the other's."""
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach)
    _saved(client, p, _form(csrf, 0))
    _saved(client, p, _form(csrf, 1, accommodations="Lugn arbetsplats", hours_max="30"))
    r = client.post(f"/participants/{p.id}/profile", data=_form(csrf, 1), follow_redirects=False)
    assert r.status_code == 409
    assert "Lugn arbetsplats" in _theirs(r.text, "accommodations")
    _saved(client, p, _form(csrf, int(_version_in(r.text))))
    profile = _stored(session)
    assert profile.accommodations is None and profile.hours_max is None
    assert profile.version == 3


def test_field_errors_come_before_the_version_check(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach, profile={"wished_texts": ["kock"]})
    r = client.post(f"/participants/{p.id}/profile", data=_form(csrf, 0, hours_min="många"))
    assert r.status_code == 422 and "Ange ett tal" in r.text
    assert _stored(session).wished_texts == ["kock"]
