"""Field errors on the register pages read in the page's language (Swedish by default, English
on request): no pydantic or developer English on a Swedish page. The JSON API keeps its
``{"detail": [{"field", "message"}]}`` answers."""

from __future__ import annotations

import re

import pytest

from profiles.models import Role
from tests.employers.conftest import ORG_A

ENGLISH_LEAKS = (
    "Input should",
    "is not a date",
    "no participant with code",
    "already registered",
    "must be four digits",
    "cannot end before",
    "Value error",
    "String should",
    "not an e-mail",
    "write a name",
)


def field_error(html: str, field: str) -> str:
    """The text of the field error shown for ``field``."""
    match = re.search(rf'id="err-{field}">([^<]*)<', html) or re.search(
        rf'name="{field}"[^<]*(?:<[^/][^<]*)*?<span class="field-error">([^<]*)<', html
    )
    assert match, f"no field error for {field}"
    return match.group(1).strip()


def no_english(html: str) -> None:
    for leak in ENGLISH_LEAKS:
        assert leak not in html, leak


@pytest.fixture
def liaison(client, login_as):
    _, csrf = login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB", "org_number": ORG_A})
    return csrf, eid.json()["id"]


@pytest.mark.parametrize(
    ("lang", "expected"), [("sv", "Ange ett heltal."), ("en", "Enter a whole number.")]
)
def test_a_word_for_a_number_on_a_new_opening(client, liaison, lang, expected):
    csrf, eid = liaison
    r = client.post(
        f"/employers/{eid}/openings/new?lang={lang}",
        data={"csrf_token": csrf, "title": "Bagare", "vacancies": "två"},
    )
    assert r.status_code == 422
    assert field_error(r.text, "vacancies") == expected
    no_english(r.text)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("sv", "Ange ett datum (ÅÅÅÅ-MM-DD)."), ("en", "Enter a date (YYYY-MM-DD).")],
)
def test_an_impossible_day_on_a_new_slot(client, liaison, lang, expected):
    csrf, eid = liaison
    r = client.post(
        f"/employers/{eid}/slots/new?lang={lang}",
        data={
            "csrf_token": csrf,
            "title": "Praktik",
            "capacity": "1",
            "period_start": "2024-02-30",
        },
    )
    assert r.status_code == 422
    assert field_error(r.text, "period_start") == expected
    no_english(r.text)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("sv", "Ingen deltagare har koden NOPE."), ("en", "No participant has the code NOPE.")],
)
def test_an_unknown_participant_code_on_a_contact(client, liaison, lang, expected):
    csrf, eid = liaison
    r = client.post(
        f"/employers/{eid}/contacts?lang={lang}",
        data={"csrf_token": csrf, "contact_date": "2025-01-10", "participant_code": "NOPE"},
    )
    assert r.status_code == 422
    assert expected in r.text
    no_english(r.text)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("sv", "Organisationsnumret finns redan: Bageriet AB."),
     ("en", "This organisation number is already registered: Bageriet AB.")],
)  # fmt: skip
def test_an_organisation_number_already_registered(client, liaison, lang, expected):
    csrf, _ = liaison
    r = client.post(
        f"/employers/new?lang={lang}",
        data={"csrf_token": csrf, "name": "Bageriet i Karlstad", "org_number": ORG_A},
    )
    assert r.status_code == 422
    assert field_error(r.text, "org_number") == expected
    assert "(employer 1)" not in r.text
    if lang == "sv":
        no_english(r.text)


@pytest.mark.parametrize(
    ("number", "lang", "expected"),
    [
        ("556036-0794", "sv", "Kontrollsiffran (den sista) stämmer inte"),
        ("556036-0794", "en", "The check digit (the last one) does not match"),
        ("5560360", "sv", "Organisationsnumret ska ha tio siffror"),
        ("121212-0136", "sv", "Det här ser ut som ett personnummer"),
        ("121212-0136", "en", "This looks like a personal identity number"),
        ("556036-O793", "sv", "bara innehålla siffror och bindestreck"),
    ],
)
def test_a_bad_organisation_number_says_which_rule_it_breaks(
    client, liaison, number, lang, expected
):
    csrf, _ = liaison
    r = client.post(
        f"/employers/new?lang={lang}",
        data={"csrf_token": csrf, "name": "Nya Bageriet", "org_number": number},
    )
    assert r.status_code == 422
    assert expected in field_error(r.text, "org_number")
    assert number in r.text  # what was typed stays in the form


def test_every_register_form_error_is_swedish_on_a_swedish_page(client, liaison):
    csrf, eid = liaison
    posts = [
        ("/employers/new", {"name": "", "municipality_code": "17", "org_number": "12",
                            "size_class": "huge", "lat": "north", "ssyk4_codes": "abc"}),
        (f"/employers/{eid}/contacts", {"contact_date": "2025-01-10", "mode": "fax",
                                        "next_step_date": "2025-01-01"}),
        (f"/employers/{eid}/persons", {"name": "Eva", "email": "eva-at-bageriet"}),
        (f"/employers/{eid}/workplaces", {"name": "Bageriet", "municipality_code": "9999"}),
        (f"/employers/{eid}/openings/new", {"title": "Bagare", "hours_per_week": "100",
                                            "required_languages": "Svenska:9",
                                            "employment_form": "subsidised"}),
        (f"/employers/{eid}/slots/new", {"title": "Praktik", "capacity": "0",
                                         "period_start": "2025-05-01",
                                         "period_end": "2025-04-01"}),
    ]  # fmt: skip
    for url, data in posts:
        r = client.post(url, data={"csrf_token": csrf, **data})
        assert r.status_code == 422, url
        assert "field-error" in r.text, url
        no_english(r.text)


def test_the_api_keeps_its_answers(client, liaison):
    """The JSON API still names each field with its English message."""
    _, eid = liaison
    slot = client.post(
        "/api/slots",
        json={"employer_id": eid, "title": "Praktik", "period_start": "2025-05-01",
              "period_end": "2025-04-01"},
    )  # fmt: skip
    assert slot.status_code == 422
    assert slot.json()["detail"] == [
        {"field": "period_end", "message": "the period cannot end before it starts"}
    ]
    duplicate = client.post("/api/employers", json={"name": "Bageri 2", "org_number": ORG_A})
    assert duplicate.status_code == 422
    [error] = duplicate.json()["detail"]
    assert error["field"] == "org_number" and "already registered" in error["message"]


def test_every_register_message_key_is_translated():
    """Each ``key="err_..."`` the register raises has Swedish and English words."""
    from pathlib import Path

    from service.i18n import MESSAGES
    from service.routes.employers import _ERROR_KEYS

    root = Path(__file__).resolve().parents[2]
    sources = [*(root / "employers").glob("*.py"), root / "service/routes/employers.py"]
    keys = {k for p in sources for k in re.findall(r'key="(err_\w+)"', p.read_text("utf-8"))}
    keys |= set(_ERROR_KEYS.values()) | {"err_required", "err_format"}
    assert "err_future_done" in keys and "err_participant_code" in keys
    for lang in ("sv", "en"):
        missing = sorted(k for k in keys if k not in MESSAGES[lang])
        assert not missing, (lang, missing)
