"""Participant side, JSON API and forms: dates are YYYY-MM-DD within 1900-01-01 ... 2200-12-31
(a number is not a Unix timestamp, "" is not "no date"), and "" is not a number in JSON. The
forms keep an empty field meaning "no value". One regression test per bug."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlmodel import Session, func, select

from employers.models import Employer, EmployerContact, Opening, PracticeSlot, Workplace
from profiles.models import (
    CareerProfile,
    FollowAlongContact,
    Participant,
    Placement,
    Role,
    SuggestionDecision,
)
from tests.profiles.factories import KARLSTAD, make_participant, make_register

LEAP_DAY = dt.date(2024, 2, 29)

#: Bug: 0 and "86400" were stored as 1970-01-01 / 1970-01-02; the rest are not YYYY-MM-DD or
#: lie outside 1900 ... 2200.
NOT_DATES = [0, "0", 86400, "86400", "", "2024-1-1", "20240101", "2024-02-30", "1899-12-31"]

WRITTEN = (Participant, CareerProfile, SuggestionDecision, EmployerContact, Placement,
           FollowAlongContact)  # fmt: skip


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def stored(session: Session) -> dict[str, Any]:
    """What the participant endpoints write: row counts and the dates they may change."""
    session.expire_all()
    state: dict[str, Any] = {model.__name__: count(session, model) for model in WRITTEN}
    state["entry_dates"] = sorted(
        (p.id, p.entry_date, p.version) for p in session.exec(select(Participant))
    )
    state["placements"] = sorted(
        (p.id, p.end_date, p.version) for p in session.exec(select(Placement))
    )
    return state


def fields_of(response) -> set[str]:
    return {e["field"] for e in response.json()["detail"]}


@pytest.fixture
def world(client, login_as, session) -> dict[str, Any]:
    """A coach (logged in), the Karlstad register, a participant with a job started in January."""
    coach, csrf = login_as(Role.coach)
    register = make_register(session)
    participant = make_participant(session, coach)
    placement = Placement(
        participant_id=participant.id, title="Diskare", start_date=dt.date(2024, 1, 1)
    )
    session.add(placement)
    session.commit()
    session.refresh(placement)
    return {
        "csrf": csrf,
        "pid": participant.id,
        "eid": register["krog"].id,
        "oid": register["day"].id,
        "placement": placement,
    }


# ---------------------------------------------------------------- JSON API, dates

#: (method, path, the other fields of the body, the date field)
API_DATES = [
    ("post", "/api/participants", {"code": "NEW-1"}, "entry_date"),
    ("put", "/api/participants/{pid}/profile", {"version": 0}, "available_from"),
    ("put", "/api/participants/{pid}/profile", {"version": 0}, "entry_date"),
    ("post", "/api/participants/{pid}/decisions",
     {"offer_ref": "opening:{oid}", "decision": "accepted"}, "contact_date"),
    ("post", "/api/participants/{pid}/contacts", {"employer_id": "{eid}"}, "contact_date"),
    ("post", "/api/participants/{pid}/contacts",
     {"employer_id": "{eid}", "contact_date": "2024-02-29"}, "next_step_date"),
    ("post", "/api/participants/{pid}/placements", {"title": "Städare"}, "start_date"),
    ("post", "/api/participants/{pid}/placements/{plid}/end",
     {"version": 1, "end_reason": "quit"}, "end_date"),
    ("post", "/api/participants/{pid}/follow-along", {}, "contact_date"),
]  # fmt: skip
API_IDS = [f"{path.rsplit('/', 1)[-1]}.{field}" for _m, path, _b, field in API_DATES]


def _fill(template: Any, world: dict[str, Any]) -> Any:
    """Put the world's ids into a path or body ("{eid}" alone becomes the number)."""
    ids = {"pid": world["pid"], "eid": world["eid"], "oid": world["oid"],
           "plid": world["placement"].id}  # fmt: skip
    if isinstance(template, dict):
        return {k: _fill(v, world) for k, v in template.items()}
    if isinstance(template, str) and re.fullmatch(r"\{[a-z]+\}", template):
        return ids[template[1:-1]]
    if isinstance(template, str):
        return template.format(**ids)
    return template


@pytest.mark.parametrize(("method", "path", "body", "field"), API_DATES, ids=API_IDS)
@pytest.mark.parametrize("value", NOT_DATES)
def test_api_refuses_a_date_that_is_not_iso_and_writes_nothing(
    client, session, world, method, path, body, field, value
):
    before = stored(session)
    response = getattr(client, method)(
        _fill(path, world), json={**_fill(body, world), field: value}
    )
    assert response.status_code == 422, response.text
    assert fields_of(response) == {field}
    assert stored(session) == before


@pytest.mark.parametrize(("method", "path", "body", "field"), API_DATES, ids=API_IDS)
def test_api_takes_an_iso_leap_day(client, session, world, method, path, body, field):
    body = _fill(body, world)
    if field == "contact_date" and body.get("decision") == "accepted":
        body["decision"] = "saved"  # an accepted suggestion plans a contact: not in the past
    response = getattr(client, method)(_fill(path, world), json={**body, field: "2024-02-29"})
    assert response.status_code in (200, 201), response.text
    session.expire_all()
    if path == "/api/participants" or field == "entry_date":
        participant = session.get(Participant, response.json().get("id") or world["pid"])
        assert participant.entry_date == LEAP_DAY
    elif field == "available_from":
        assert session.exec(select(CareerProfile)).one().available_from == LEAP_DAY
    elif path.endswith("/contacts"):
        assert getattr(session.exec(select(EmployerContact)).one(), field) == LEAP_DAY
    elif path.endswith("/end"):
        assert session.get(Placement, world["placement"].id).end_date == LEAP_DAY
    elif path.endswith("/placements"):
        assert response.json()["start_date"] == "2024-02-29"
    elif path.endswith("/follow-along"):
        assert session.exec(select(FollowAlongContact)).one().contact_date == LEAP_DAY
    else:
        assert session.exec(select(SuggestionDecision)).one().decision == "saved"


def test_api_accepting_a_suggestion_plans_the_contact_on_the_day_sent(client, session, world):
    day = dt.date.today().replace(day=1) + dt.timedelta(days=400)
    response = client.post(
        f"/api/participants/{world['pid']}/decisions",
        json={"offer_ref": f"opening:{world['oid']}", "decision": "accepted",
              "contact_date": day.isoformat()},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    assert session.exec(select(EmployerContact)).one().contact_date == day


def test_api_error_message_says_which_kind_of_date_problem(client, world):
    bad = client.post("/api/participants", json={"code": "NEW-1", "entry_date": 0})
    far = client.post("/api/participants", json={"code": "NEW-1", "entry_date": "1899-12-31"})
    assert bad.json()["detail"] == [{"field": "entry_date", "message": "err_date"}]
    assert far.json()["detail"] == [{"field": "entry_date", "message": "err_date_range"}]


def test_api_null_is_no_date_where_the_date_is_optional(client, session, world):
    response = client.put(
        f"/api/participants/{world['pid']}/profile",
        json={"version": 0, "available_from": None, "entry_date": None},
    )
    assert response.status_code == 200, response.text
    assert response.json()["available_from"] is None
    session.expire_all()
    assert session.get(Participant, world["pid"]).entry_date != LEAP_DAY  # unchanged


# ---------------------------------------------------------------- JSON API, numbers

#: (method, path, the other fields of the body, the number field). Bug class: "" read as null.
API_NUMBERS = [
    ("post", "/api/participants", {"code": "NEW-1", "entry_date": "2024-02-29"}, "coach_id"),
    ("put", "/api/participants/{pid}/profile", {"version": 0}, "hours_min"),
    ("put", "/api/participants/{pid}/profile", {"version": 0}, "hours_max"),
    ("put", "/api/participants/{pid}/profile", {"version": 0}, "commute_limit_km"),
    ("put", "/api/participants/{pid}/profile", {"version": 0, "home_lon": 13.5}, "home_lat"),
    ("put", "/api/participants/{pid}/profile", {}, "version"),
    ("post", "/api/participants/{pid}/decisions",
     {"offer_ref": "opening:{oid}", "decision": "saved"}, "score"),
    ("post", "/api/participants/{pid}/decisions",
     {"offer_ref": "opening:{oid}", "decision": "saved"}, "rank_shown"),
    ("post", "/api/participants/{pid}/contacts", {"contact_date": "2024-02-29"}, "employer_id"),
    ("post", "/api/participants/{pid}/placements",
     {"title": "Städare", "start_date": "2024-02-29"}, "hours_per_week"),
    ("post", "/api/participants/{pid}/placements",
     {"title": "Städare", "start_date": "2024-02-29"}, "employer_id"),
    ("post", "/api/participants/{pid}/placements/{plid}/end",
     {"end_date": "2024-02-29", "end_reason": "quit"}, "version"),
    ("post", "/api/participants/{pid}/follow-along", {"contact_date": "2024-02-29"},
     "placement_id"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    API_NUMBERS,
    ids=[f"{p.rsplit('/', 1)[-1]}.{f}" for _m, p, _b, f in API_NUMBERS],
)
@pytest.mark.parametrize("blank", ["", " "])
def test_api_refuses_an_empty_text_for_a_number(
    client, session, world, method, path, body, field, blank
):
    before = stored(session)
    response = getattr(client, method)(
        _fill(path, world), json={**_fill(body, world), field: blank}
    )
    assert response.status_code == 422, response.text
    assert fields_of(response) == {field}
    assert stored(session) == before


#: Register endpoints whose schemas turned "" into null for a number (the register forms now
#: map their empty fields to None themselves).
REGISTER_NUMBERS = [
    ("/api/openings", {"title": "Kock"}, "hours_per_week", Opening),
    ("/api/openings", {"title": "Kock"}, "lat", Opening),
    ("/api/openings", {"title": "Kock"}, "lon", Opening),
    ("/api/openings", {"title": "Kock"}, "workplace_id", Opening),
    ("/api/openings", {"title": "Kock"}, "vacancies", Opening),
    ("/api/slots", {"title": "Praktik"}, "hours_per_week", PracticeSlot),
    ("/api/slots", {"title": "Praktik"}, "capacity", PracticeSlot),
    ("/api/slots", {"title": "Praktik"}, "workplace_id", PracticeSlot),
    ("/api/contacts", {"contact_date": "2024-02-29"}, "contact_person_id", EmployerContact),
    ("/api/contacts", {"contact_date": "2024-02-29"}, "participant_id", EmployerContact),
    ("/api/employers/{eid}/workplaces", {"name": "Köket"}, "lat", Workplace),
    ("/api/employers/{eid}/workplaces", {"name": "Köket"}, "lon", Workplace),
    ("/api/employers", {"name": "Kafé Ett"}, "lat", Employer),
    ("/api/employers", {"name": "Kafé Ett"}, "lon", Employer),
]


@pytest.mark.parametrize(
    ("path", "body", "field", "model"),
    REGISTER_NUMBERS,
    ids=[f"{p.rsplit('/', 1)[-1]}.{f}" for p, _b, f, _m in REGISTER_NUMBERS],
)
def test_register_api_refuses_an_empty_text_for_a_number(
    client, login_as, session, path, body, field, model
):
    login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    before = count(session, model)
    response = client.post(path.format(eid=eid), json={"employer_id": eid, **body, field: ""})
    assert response.status_code == 422, response.text
    assert fields_of(response) == {field}
    assert count(session, model) == before
    ok = client.post(path.format(eid=eid), json={"employer_id": eid, **body})
    assert ok.status_code == 201, ok.text  # the same body without the field is fine


@pytest.mark.parametrize("field", ["lat", "lon"])
def test_employer_update_api_refuses_an_empty_text_for_a_position(client, login_as, field):
    """The employer form maps its blanks to None itself; JSON must say null."""
    login_as(Role.liaison)
    created = client.post("/api/employers", json={"name": "Bageriet AB", "lat": 59.4, "lon": 13.5})
    employer = created.json()
    response = client.patch(
        f"/api/employers/{employer['id']}", json={"version": employer["version"], field: ""}
    )
    assert response.status_code == 422, response.text
    assert fields_of(response) == {field}
    stored = client.get(f"/api/employers/{employer['id']}").json()
    assert (stored["lat"], stored["lon"]) == (59.4, 13.5)


# ---------------------------------------------------------------- forms


def _has_field_error(html: str, field: str) -> bool:
    """The field's input is followed by its error (participant page, new participant form),
    or the error carries the field's id (profile form)."""
    beside = re.search(rf'name="{field}"[^>]*>\s*(<span class="muted small">[^<]*</span>\s*)?'
                       r'<span class="field-error"', html)  # fmt: skip
    return bool(beside) or f'id="err-{field}"' in html


#: (form path, the other fields, the date field, the anchor of its form on the page)
FORM_DATES = [
    ("/participants", {"code": "NEW-1"}, "entry_date"),
    ("/participants/{pid}", {"version": "1", "status": "searching"}, "next_step_date"),
    ("/participants/{pid}/profile", {"version": "0"}, "available_from"),
    ("/participants/{pid}/profile", {"version": "0"}, "entry_date"),
    ("/participants/{pid}/contacts", {"employer_id": "{eid}", "mode": "visit",
                                      "status": "done"}, "contact_date"),
    ("/participants/{pid}/placements", {"title": "Städare", "kind": "competitive"},
     "start_date"),
    ("/participants/{pid}/placements/{plid}/end", {"version": "1", "end_reason": "quit"},
     "end_date"),
    ("/participants/{pid}/follow-along", {"mode": "phone"}, "contact_date"),
]  # fmt: skip
FORM_IDS = [f"{path.rsplit('/', 1)[-1]}.{field}" for path, _b, field in FORM_DATES]


@pytest.mark.parametrize(("path", "body", "field"), FORM_DATES, ids=FORM_IDS)
@pytest.mark.parametrize("value", ["0", "86400", "2024-1-1", "20240101", "2024-02-30",
                                   "1899-12-31"])  # fmt: skip
def test_form_shows_a_bad_date_beside_its_field_and_writes_nothing(
    client, session, world, path, body, field, value
):
    before = stored(session)
    data = {"csrf_token": world["csrf"], **_fill(body, world), field: value}
    response = client.post(_fill(path, world), data=data, follow_redirects=False)
    assert response.status_code == 422, response.text[:500]
    assert _has_field_error(response.text, field), field
    if value == "1899-12-31":
        assert "Ange ett datum mellan 1900-01-01 och 2200-12-31." in response.text
    else:
        assert "Ange ett datum (ÅÅÅÅ-MM-DD)." in response.text
    assert stored(session) == before


#: Optional dates: a form left blank means "no date".
FORM_BLANK_DATES = [
    ("/participants/{pid}", {"version": "1", "status": "searching", "next_step": "Ring"},
     "next_step_date"),
    ("/participants/{pid}/profile", {"version": "0"}, "available_from"),
    ("/participants/{pid}/profile", {"version": "0"}, "entry_date"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "body", "field"),
    FORM_BLANK_DATES,
    ids=[f"{p.rsplit('/', 1)[-1]}.{f}" for p, _b, f in FORM_BLANK_DATES],
)
@pytest.mark.parametrize("blank", ["", " "])
def test_form_takes_a_blank_optional_date_as_no_date(
    client, session, world, path, body, field, blank
):
    entry = session.get(Participant, world["pid"]).entry_date
    data = {"csrf_token": world["csrf"], **_fill(body, world), field: blank}
    response = client.post(_fill(path, world), data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    session.expire_all()
    participant = session.get(Participant, world["pid"])
    assert participant.entry_date == entry  # a blank entry date leaves it as it was
    assert participant.next_step_date is None
    profile = session.exec(select(CareerProfile)).first()
    assert profile is None or profile.available_from is None


def test_form_takes_an_iso_leap_day(client, session, world):
    csrf, pid = world["csrf"], world["pid"]
    response = client.post(
        f"/participants/{pid}/profile",
        data={"csrf_token": csrf, "version": "0", "available_from": "2024-02-29",
              "entry_date": "2024-02-29"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text[:500]
    session.expire_all()
    assert session.exec(select(CareerProfile)).one().available_from == LEAP_DAY
    assert session.get(Participant, pid).entry_date == LEAP_DAY


def test_form_takes_blank_numbers_as_no_value(client, session, world):
    """The forms' empty number fields are "no value" (only JSON must say null)."""
    csrf, pid = world["csrf"], world["pid"]
    profile = client.post(
        f"/participants/{pid}/profile",
        data={"csrf_token": csrf, "version": "0", "hours_min": "", "hours_max": " ",
              "commute_limit_km": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert profile.status_code == 303, profile.text[:500]
    placement = client.post(
        f"/participants/{pid}/placements",
        data={"csrf_token": csrf, "title": "Städare", "kind": "competitive",
              "start_date": "2024-02-29", "hours_per_week": "", "employer_id": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert placement.status_code == 303, placement.text[:500]
    follow = client.post(
        f"/participants/{pid}/follow-along",
        data={"csrf_token": csrf, "contact_date": "2024-02-29", "mode": "phone",
              "placement_id": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert follow.status_code == 303, follow.text[:500]
    new = client.post(
        "/participants",
        data={"csrf_token": csrf, "code": "NEW-1", "entry_date": "2024-02-29",
              "coach_id": "", "municipality_code": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert new.status_code == 303, new.text[:500]
    session.expire_all()
    saved = session.exec(select(CareerProfile)).one()
    assert (saved.hours_min, saved.hours_max, saved.commute_limit_km) == (None, None, None)
    job = session.exec(select(Placement).where(Placement.title == "Städare")).one()
    assert (job.hours_per_week, job.employer_id) == (None, None)
    assert session.exec(select(FollowAlongContact)).one().placement_id is None
    assert session.exec(select(Participant).where(Participant.code == "NEW-1")).one()


def test_register_forms_take_blank_numbers_as_no_value(client, login_as, session):
    _, csrf = login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    opening = client.post(
        f"/employers/{eid}/openings/new",
        data={"csrf_token": csrf, "title": "Kock", "employment_form": "competitive",
              "vacancies": "1", "hours_per_week": "", "lat": "", "lon": "",
              "workplace_id": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert opening.status_code == 303, opening.text[:500]
    slot = client.post(
        f"/employers/{eid}/slots/new",
        data={"csrf_token": csrf, "title": "Praktik", "capacity": "2", "hours_per_week": " ",
              "workplace_id": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert slot.status_code == 303, slot.text[:500]
    contact = client.post(
        f"/employers/{eid}/contacts",
        data={"csrf_token": csrf, "contact_date": "2024-02-29", "mode": "visit",
              "status": "done", "contact_person_id": "", "participant_code": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert contact.status_code == 303, contact.text[:500]
    employer = client.post(
        "/employers/new", data={"csrf_token": csrf, "name": "Kafé Ett", "lat": "", "lon": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert employer.status_code == 303, employer.text[:500]
    saved = session.exec(select(Opening)).one()
    assert (saved.hours_per_week, saved.lat, saved.workplace_id) == (None, None, None)
    assert session.exec(select(PracticeSlot)).one().hours_per_week is None
    assert session.exec(select(EmployerContact)).one().contact_person_id is None


def test_a_profile_stored_with_a_day_outside_the_range_can_still_be_read_and_corrected(
    client, session, world
):
    """A typo stored before the check (0202 for 2020) must not lock the profile: it is shown,
    and saving the form refuses it until it is corrected."""
    pid, csrf = world["pid"], world["csrf"]
    profile = CareerProfile(
        participant_id=pid, home_municipality_code=KARLSTAD, available_from=dt.date(202, 5, 1)
    )
    session.add(profile)
    session.commit()
    api = client.get(f"/api/participants/{pid}/profile")
    assert api.status_code == 200 and api.json()["available_from"] == "0202-05-01"
    page = client.get(f"/participants/{pid}/profile/edit")
    assert page.status_code == 200 and 'value="0202-05-01"' in page.text
    version = str(profile.version)
    again = client.post(
        f"/participants/{pid}/profile",
        data={"csrf_token": csrf, "version": version, "available_from": "0202-05-01"},
    )
    assert again.status_code == 422 and _has_field_error(again.text, "available_from")
    fixed = client.post(
        f"/participants/{pid}/profile",
        data={"csrf_token": csrf, "version": version, "available_from": "2020-05-01"},
        follow_redirects=False,
    )
    assert fixed.status_code == 303, fixed.text[:500]
    session.expire_all()
    assert session.exec(select(CareerProfile)).one().available_from == dt.date(2020, 5, 1)
