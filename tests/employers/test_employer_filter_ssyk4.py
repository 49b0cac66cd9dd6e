"""The employer list's SSYK-4 filter: a code that is not four digits is a field error, never a
silent 'Inga arbetsgivare matchar'."""

from __future__ import annotations

import pytest

from profiles.models import Role


@pytest.fixture
def register(client, login_as):
    login_as(Role.liaison)
    client.post("/api/employers", json={"name": "Bageriet AB", "ssyk4_codes": ["5120"]})


@pytest.mark.parametrize("code", ["abcd", "512", "51201"])
def test_api_answers_422_naming_the_filter(client, register, code):
    """Bug: /api/employers?ssyk4_code=abcd answered 200 with an empty list."""
    r = client.get(f"/api/employers?ssyk4_code={code}")
    assert r.status_code == 422
    [error] = r.json()["detail"]
    assert error["field"] == "ssyk4_code" and "four digits" in error["message"]


def test_api_filters_by_a_good_code(client, register):
    assert [e["name"] for e in client.get("/api/employers?ssyk4_code=5120").json()] == [
        "Bageriet AB"
    ]
    assert client.get("/api/employers?ssyk4_code=").status_code == 200


@pytest.mark.parametrize(
    ("lang", "words"),
    [("sv", "SSYK-4-koden abcd ska ha fyra siffror"), ("en", "The SSYK-4 code abcd must have")],
)
def test_page_shows_the_field_error(client, register, lang, words):
    """Bug: /employers?ssyk4_code=abcd showed 'Inga arbetsgivare matchar'."""
    r = client.get(f"/employers?ssyk4_code=abcd&lang={lang}")
    assert r.status_code == 422
    assert words in r.text
    assert 'aria-describedby="err-ssyk4_code"' in r.text
    assert "Inga arbetsgivare matchar" not in r.text and "No employers match" not in r.text


def test_htmx_rows_show_the_field_error(client, register):
    """The filter form swaps the rows (htmx swaps 2xx answers only): the rows say why."""
    r = client.get("/employers?ssyk4_code=abcd", headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text
    assert "SSYK-4-koden abcd ska ha fyra siffror" in r.text
    assert "Inga arbetsgivare matchar" not in r.text
