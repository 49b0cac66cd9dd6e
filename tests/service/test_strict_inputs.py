"""Dates are YYYY-MM-DD and nothing else: a number is not a Unix timestamp, "" is not "no date"
in JSON (null is), a period does not end before it starts. One regression test per bug."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from employers.models import EmployerContact, Opening, PracticeSlot
from profiles.models import Role
from service.cli import app as cli_app


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def fields_of(response) -> set[str]:
    return {e["field"] for e in response.json()["detail"]}


# ---------------------------------------------------------------- /api/evaluation


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("to=0", "to"),  # bug: 1970-01-01 (a Unix timestamp)
        ("from=0&to=2025-01-01", "from"),
        ("to=86400", "to"),  # bug: 1970-01-02
        ("to=1700000000", "to"),
        ("to=20240101", "to"),  # ISO basic format: not YYYY-MM-DD
        ("to=2024-13-01", "to"),
        ("to=2024-02-30", "to"),
        ("to=2024-1-1", "to"),
        ("to=2024-01-01T00:00:00", "to"),  # bug: a datetime at midnight was taken as a date
        ("to=", "to"),
        ("from=1899-12-31&to=2025-01-01", "from"),
        ("to=2201-01-01", "to"),
    ],
)
def test_api_evaluation_refuses_anything_but_an_iso_date(client, login_as, query, field):
    login_as(Role.evaluator)
    response = client.get(f"/api/evaluation?{query}")
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["field"] == field and error["message"]


def test_api_evaluation_names_both_bad_dates_at_once(client, login_as):
    login_as(Role.evaluator)
    response = client.get("/api/evaluation?from=0&to=2024-13-01")
    assert response.status_code == 422
    assert fields_of(response) == {"from", "to"}


def test_api_evaluation_from_after_to_names_to(client, login_as):
    login_as(Role.evaluator)
    response = client.get("/api/evaluation?from=2025-06-01&to=2025-01-01")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "to", "message": "2025-01-01 is before the first day, 2025-06-01"}
    ]


def test_api_evaluation_from_in_the_future_without_to_names_from(client, login_as):
    """Bug: the default last day (today) was blamed as `to`, a field the caller never sent."""
    login_as(Role.evaluator)
    later = dt.date.today() + dt.timedelta(days=30)
    response = client.get(f"/api/evaluation?from={later}")
    assert response.status_code == 422
    assert fields_of(response) == {"from"}


@pytest.mark.parametrize(
    "query", ["", "from=2025-01-01&to=2025-06-30", "from=2025-01-01&to=2025-01-01", "to=2025-06-30"]
)
def test_api_evaluation_valid_iso_dates_still_work(client, login_as, query):
    login_as(Role.evaluator)
    response = client.get(f"/api/evaluation?{query}")
    assert response.status_code == 200, response.text
    assert "summaries" in response.json()


def test_openapi_documents_the_evaluation_dates_as_dates(client, login_as):
    login_as(Role.evaluator)
    spec = client.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/evaluation"]["get"]["parameters"]}
    for name in ("from", "to"):
        schema = params[name]["schema"]
        options = schema.get("anyOf", [schema])
        assert {"type": "string", "format": "date"} in options


# ---------------------------------------------------------------- /evaluation (the page)


@pytest.mark.parametrize(
    ("query", "field", "sv", "en"),
    [
        ("to=0", "to", "ÅÅÅÅ-MM-DD", "YYYY-MM-DD"),
        ("from=2024-13-01", "from", "ÅÅÅÅ-MM-DD", "YYYY-MM-DD"),
        ("from=2025-06-01&to=2025-01-01", "to", "Slutdatum före startdatum", "End date before"),
        ("to=1800-01-01", "to", "mellan 1900-01-01 och 2200-12-31", "between 1900-01-01"),
        ("k=0", "k", "heltal från 1 till 50", "whole number from 1 to 50"),
    ],
)
def test_page_shows_the_form_again_with_the_fields_message(client, login_as, query, field, sv, en):
    """Bug: ?to=0 showed the report for 1969/1970; a reversed period was a bare error page."""
    login_as(Role.evaluator)
    for lang, text in (("sv", sv), ("en", en)):
        response = client.get(f"/evaluation?{query}&lang={lang}")
        assert response.status_code == 422, response.text
        assert f'id="err-{field}"' in response.text and text in response.text
        assert 'name="from"' in response.text  # the form, to correct the field
        assert "data:image/png;base64," not in response.text  # no report for a bad period


def test_page_keeps_what_was_typed(client, login_as):
    login_as(Role.evaluator)
    response = client.get("/evaluation?from=2025-01-01&to=20250630")
    assert response.status_code == 422
    assert 'value="2025-01-01"' in response.text and 'value="20250630"' in response.text


def test_page_with_valid_or_empty_dates_shows_the_report(client, login_as):
    login_as(Role.evaluator)
    ok = client.get("/evaluation?from=2025-01-01&to=2025-06-30")
    assert ok.status_code == 200 and 'class="card report"' in ok.text
    assert 'value="2025-01-01"' in ok.text and 'value="2025-06-30"' in ok.text
    empty = client.get("/evaluation?from=&to=")  # the form sent with empty fields: defaults
    assert empty.status_code == 200
    assert f'value="{dt.date.today()}"' in empty.text


# ---------------------------------------------------------------- ipsmatch evaluate


@pytest.fixture
def cli_database(tmp_path, monkeypatch):
    from service import db
    from service.config import get_settings

    url = f"sqlite:///{tmp_path / 'strict.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--to", "0"], "--to"),
        (["--from", "20240101"], "--from"),  # date.fromisoformat took the basic format
        (["--from", "2024-W01-1"], "--from"),  # ... and week dates
        (["--to", "2024-13-01"], "--to"),
        (["--to", "0001-01-01"], "--to"),  # bug: a traceback (year 0) instead of a message
        (["--from", "2025-06-01", "--to", "2025-01-01"], "--to"),
        (["--from", "2999-01-01"], "--from"),
    ],
)
def test_cli_bad_dates_name_the_option_and_exit_2(cli_database, tmp_path, args, option):
    out = tmp_path / "report"
    result = CliRunner().invoke(cli_app, ["evaluate", *args, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert option in result.output and "Traceback" not in result.output
    assert not out.exists()


# ---------------------------------------------------------------- employer register, JSON


@pytest.fixture
def employer_id(client, login_as) -> int:
    login_as(Role.liaison)
    return client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]


@pytest.mark.parametrize("value", ["", "  ", 0, "0", "86400", 20240101, "20240101", "2024-13-01"])
@pytest.mark.parametrize(
    ("path", "body", "field", "model"),
    [
        ("/api/openings", {"title": "Kock"}, "deadline", Opening),
        ("/api/openings", {"title": "Kock"}, "published_date", Opening),
        ("/api/slots", {"title": "Praktik"}, "period_start", PracticeSlot),
        ("/api/slots", {"title": "Praktik"}, "period_end", PracticeSlot),
        ("/api/contacts", {"contact_date": "2026-01-05"}, "next_step_date", EmployerContact),
        ("/api/contacts", {}, "contact_date", EmployerContact),
    ],
)
def test_api_refuses_a_date_that_is_not_iso(
    client, session, employer_id, path, body, field, model, value
):
    """Bug: "" was read as null, 0 and "86400" as Unix timestamps (1970-01-01, 1970-01-02)."""
    response = client.post(path, json={"employer_id": employer_id, **body, field: value})
    assert response.status_code == 422, response.text
    assert fields_of(response) == {field}
    assert count(session, model) == 0


@pytest.mark.parametrize(
    ("create", "patch_path", "field"),
    [
        (("/api/openings", {"title": "Kock"}), "/api/openings/{id}", "deadline"),
        (("/api/slots", {"title": "Praktik"}), "/api/slots/{id}", "period_start"),
        (("/api/slots", {"title": "Praktik"}), "/api/slots/{id}", "period_end"),
        (("/api/contacts", {"contact_date": "2026-01-05"}), "/api/contacts/{id}", "contact_date"),
        (("/api/contacts", {"contact_date": "2026-01-05"}), "/api/contacts/{id}", "next_step_date"),
    ],
)
@pytest.mark.parametrize("value", ["", 0, "0", "20240101"])
def test_api_updates_refuse_a_date_that_is_not_iso(
    client, employer_id, create, patch_path, field, value
):
    path, body = create
    record = client.post(path, json={"employer_id": employer_id, **body}).json()
    response = client.patch(
        patch_path.format(id=record["id"]), json={field: value, "version": record["version"]}
    )
    assert response.status_code == 422, response.text
    assert fields_of(response) == {field}
    after = client.get(patch_path.format(id=record["id"])).json()
    assert after["version"] == record["version"] and after[field] == record[field]


def test_api_takes_null_and_iso_dates(client, employer_id):
    opening = client.post(
        "/api/openings",
        json={"employer_id": employer_id, "title": "Kock", "deadline": None,
              "published_date": "2026-01-05"},
    )  # fmt: skip
    assert opening.status_code == 201, opening.text
    assert (opening.json()["deadline"], opening.json()["published_date"]) == (None, "2026-01-05")
    slot = client.post(
        "/api/slots",
        json={"employer_id": employer_id, "title": "Praktik", "period_start": "2026-02-01",
              "period_end": None},
    )  # fmt: skip
    assert slot.status_code == 201, slot.text
    contact = client.post(
        "/api/contacts",
        json={"employer_id": employer_id, "contact_date": "2026-01-05", "next_step_date": None},
    )
    assert contact.status_code == 201, contact.text
    patched = client.patch(
        f"/api/openings/{opening.json()['id']}", json={"deadline": "2026-03-31", "version": 1}
    )
    assert patched.status_code == 200 and patched.json()["deadline"] == "2026-03-31"


# ---------------------------------------------------------------- employer register, forms


def test_forms_with_empty_date_fields_still_save(client, login_as, session):
    """An empty date field of a form means "no date" (only JSON must say null)."""
    _, csrf = login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    contact = client.post(
        f"/employers/{eid}/contacts",
        data={"csrf_token": csrf, "contact_date": "2026-01-05", "mode": "visit",
              "status": "done", "next_step_date": "", "participant_code": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert contact.status_code == 303, contact.text
    opening = client.post(
        f"/employers/{eid}/openings/new",
        data={"csrf_token": csrf, "title": "Kock", "employment_form": "competitive",
              "vacancies": "1", "deadline": "", "published_date": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert opening.status_code == 303, opening.text
    slot = client.post(
        f"/employers/{eid}/slots/new",
        data={"csrf_token": csrf, "title": "Praktik", "capacity": "1",
              "period_start": "", "period_end": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert slot.status_code == 303, slot.text
    saved_contact = session.exec(select(EmployerContact)).one()
    saved_opening = session.exec(select(Opening)).one()
    saved_slot = session.exec(select(PracticeSlot)).one()
    assert saved_contact.next_step_date is None
    assert (saved_opening.deadline, saved_opening.published_date) == (None, None)
    assert (saved_slot.period_start, saved_slot.period_end) == (None, None)
    edited = client.post(
        f"/slots/{saved_slot.id}/edit",
        data={"csrf_token": csrf, "version": "1", "title": "Praktik", "capacity": "2",
              "period_start": "", "period_end": "2026-06-30"},
        follow_redirects=False,
    )  # fmt: skip
    assert edited.status_code == 303, edited.text


@pytest.mark.parametrize("value", ["0", "20260105", "2026-13-01"])
def test_forms_refuse_a_date_that_is_not_iso_with_the_field_marked(
    client, login_as, session, value
):
    _, csrf = login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    opening = client.post(
        f"/employers/{eid}/openings/new",
        data={"csrf_token": csrf, "title": "Kock", "employment_form": "competitive",
              "vacancies": "1", "deadline": value},
    )  # fmt: skip
    assert opening.status_code == 422
    assert 'id="err-deadline"' in opening.text and value in opening.text
    contact = client.post(
        f"/employers/{eid}/contacts",
        data={"csrf_token": csrf, "contact_date": value, "mode": "visit", "status": "done"},
    )
    assert contact.status_code == 422
    assert "field-error" in contact.text
    assert count(session, Opening) == 0 and count(session, EmployerContact) == 0
