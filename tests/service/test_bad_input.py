"""Bad input gets a clear 422 naming the field or row: never a 500, never a half-written change.
One regression test per bug found by fuzzing the API (schemathesis) and by hand."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, func, select

from employers.models import Employer, Opening
from profiles.models import Role


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def upload(client, csrf: str, name: str, data: bytes, kind: str = "employers"):
    return client.post(
        f"/api/employers/import?kind={kind}",
        files={"file": (name, data)},
        headers={"X-CSRF-Token": csrf},
    )


# ---------------------------------------------------------------- the 422 body


def test_every_422_answer_has_the_documented_shape(client, login_as):
    """Bug: /openapi.json promised FastAPI's {loc, msg, type} errors, the API sent {field,
    message}; a domain error sent a bare string."""
    login_as(Role.evaluator)
    spec = client.get("/openapi.json").json()
    documented = spec["paths"]["/api/evaluation"]["get"]["responses"]["422"]
    assert documented["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InvalidInput"
    }
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    wrong_type = client.get("/api/evaluation?k=many")
    reversed_period = client.get("/api/evaluation?from=2026-05-01&to=2026-01-01")
    for response, field in ((wrong_type, "k"), (reversed_period, "to")):
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert error["field"] == field and error["message"]


# ---------------------------------------------------------------- imports


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.csv", b""),
        ("empty.xlsx", b""),
        ("blank.csv", b"\n \n"),
    ],
)
def test_empty_employer_upload_names_the_file(client, login_as, session, name, data):
    _, csrf = login_as(Role.liaison)
    response = upload(client, csrf, name, data)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "file"
    assert name in response.json()["detail"][0]["message"]
    assert count(session, Employer) == 0


def test_undecodable_csv_is_a_clear_file_error(client, login_as, session):
    """Bug: bytes that are neither UTF-8 nor Windows-1252 answered with a codec traceback text."""
    _, csrf = login_as(Role.liaison)
    response = upload(client, csrf, "binary.csv", b"name\n" + bytes(range(128, 256)) + b"\n")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "file" and "UTF-8" in error["message"]
    assert count(session, Employer) == 0


def test_csv_cell_over_the_csv_size_limit_is_rejected_not_a_500(client, login_as, session):
    """Bug: a cell over 128 KiB raised csv.Error (500)."""
    _, csrf = login_as(Role.liaison)
    data = b"name;municipality_code\nA;1780\n" + b"B" * 200_000 + b";1780\n"
    response = upload(client, csrf, "huge.csv", data)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "file" and "line 3" in error["message"]
    assert count(session, Employer) == 0


def test_ad_fields_of_the_wrong_type_reject_the_row(client, login_as, session):
    """Bug: a number as headline (and similar) raised AttributeError (500)."""
    _, csrf = login_as(Role.liaison)
    ads = [
        {
            "id": "1",
            "headline": 5,
            "employer": {"name": ["Bageriet"]},
            "occupation": {"concept_id": {"x": 1}, "label": 7},
            "description": {"text": {"a": 1}},
            "scope_of_work": {"max": "full"},
            "driving_license_required": True,
            "driving_license": "B",
            "must_have": {"languages": 3},
            "application_deadline": "2026-02-30",
        },
        {"id": "2", "headline": "Kock", "employer": {"name": "Krogen"}},
    ]
    response = upload(client, csrf, "ads.json", json.dumps(ads).encode(), kind="ads")
    assert response.status_code == 422
    report = response.json()
    assert not report["committed"]
    [rejected] = report["rejected"]
    assert rejected["row"] == 1
    fields = {e.split(":")[0] for e in rejected["errors"]}
    assert {
        "employer.name",
        "occupation.concept_id",
        "description.text",
        "scope_of_work.max",
        "application_deadline",
    } <= fields
    assert count(session, Opening) == 0 and count(session, Employer) == 0


def test_deeply_nested_ad_file_is_a_file_error(client, login_as):
    """Bug: JSON nested deeper than the recursion limit raised RecursionError (500)."""
    _, csrf = login_as(Role.liaison)
    response = upload(client, csrf, "deep.json", b"[" * 100_000 + b"]" * 100_000, kind="ads")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "file", "message": "deep.json: JSON nested too deeply"}
    ]


# ---------------------------------------------------------------- ids out of range

HUGE = 2**63  # SQLite cannot bind it (OverflowError: 500 before the fix)
BEYOND_INTEGER = 2**31  # past a PostgreSQL INTEGER column


@pytest.mark.parametrize("number", [HUGE, BEYOND_INTEGER])
@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("get", "/api/employers/{n}", None, "employer_id"),
        ("patch", "/api/employers/{n}", {"version": 1}, "employer_id"),
        ("get", "/api/slots/{n}", None, "slot_id"),
        ("get", "/api/contacts?employer_id={n}", None, "employer_id"),
        ("get", "/api/openings?offset={n}", None, "offset"),
        ("post", "/api/openings", {"employer_id": "{n}", "title": "Kock"}, "employer_id"),
        ("post", "/api/employers/merge", {"keep_id": 1, "merge_id": "{n}"}, "merge_id"),
        ("patch", "/api/slots/1", {"version": "{n}"}, "version"),
        ("get", "/api/participants/{n}", None, "participant_id"),
        ("get", "/api/participants?coach_id={n}", None, "coach_id"),
        ("post", "/api/participants/{n}/decisions", {}, "participant_id"),
    ],
)
def test_ids_beyond_an_integer_column_are_invalid_input(
    client, login_as, method, path, body, field, number
):
    login_as(Role.admin)
    if body is not None:
        body = {k: number if v == "{n}" else v for k, v in body.items()}
    response = client.request(method, path.format(n=number), json=body)
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["detail"]}


def test_huge_ids_in_participant_bodies_are_field_errors(client, login_as):
    """profiles schemas: decision offer refs, contact employer ids and versions are bounded."""
    user, _ = login_as(Role.admin)
    created = client.post(
        "/api/participants", json={"code": "BAD-1", "entry_date": "2026-01-05"}
    ).json()
    pid = created["id"]
    decision = client.post(
        f"/api/participants/{pid}/decisions",
        json={"offer_ref": f"opening:{HUGE}", "decision": "saved"},
    )
    assert decision.status_code == 422
    assert decision.json()["detail"][0]["field"] == "offer_ref"
    contact = client.post(
        f"/api/participants/{pid}/contacts",
        json={"employer_id": HUGE, "contact_date": "2026-01-06"},
    )
    assert contact.status_code == 422
    assert contact.json()["detail"][0]["field"] == "employer_id"
    profile = client.put(f"/api/participants/{pid}/profile", json={"version": HUGE})
    assert profile.status_code == 422
    assert profile.json()["detail"][0]["field"] == "version"


def test_huge_ids_in_page_urls_are_invalid_input(client, login_as):
    login_as(Role.admin)
    for url in (f"/participants/{HUGE}", f"/employers/{HUGE}", f"/admin/audit?page={HUGE}"):
        response = client.get(url)
        assert response.status_code == 422, url


# ---------------------------------------------------------------- explicit nulls


def test_explicit_null_for_a_required_column_is_a_field_error(client, login_as):
    """Bug: PATCH /api/contacts/{id} with "mode": null hit the NOT NULL constraint (500)."""
    login_as(Role.liaison)
    employer = client.post("/api/employers", json={"name": "Bageriet AB"}).json()
    contact = client.post(
        "/api/contacts",
        json={"employer_id": employer["id"], "contact_date": "2026-01-05", "mode": "phone"},
    ).json()
    for field in ("mode", "status", "contact_date"):
        response = client.patch(
            f"/api/contacts/{contact['id']}", json={field: None, "version": contact["version"]}
        )
        assert response.status_code == 422, response.text
        assert response.json()["detail"] == [{"field": field, "message": "required"}]
    after = client.get(f"/api/contacts/{contact['id']}").json()
    assert (after["mode"], after["version"]) == ("phone", contact["version"])


# ---------------------------------------------------------------- NUL characters


def test_text_with_a_nul_character_is_a_field_error_on_every_database(client, login_as, session):
    """Bug: PostgreSQL cannot store NUL in text; the DataError was a 500 (SQLite stored it)."""
    login_as(Role.liaison)
    response = client.post("/api/employers", json={"name": "Bager\u0000iet"})
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "name", "message": "contains a NUL character"}]
    session.rollback()  # the request's failed flush; a real request gets its own session
    assert count(session, Employer) == 0


def test_csv_with_nul_bytes_is_a_file_error(client, login_as, session):
    _, csrf = login_as(Role.liaison)
    response = upload(client, csrf, "nul.csv", b"name;municipality_code\nA\x00B;1780\n")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "file" and "NUL" in error["message"]
    assert count(session, Employer) == 0


# ---------------------------------------------------------------- found by hand


def test_json_nested_too_deeply_is_a_field_error(client, login_as):
    """Bug: the participant API read bodies with request.json(); RecursionError was a 500."""
    login_as(Role.coach)
    deep = b"[" * 100_000 + b"]" * 100_000
    response = client.post(
        "/api/participants", content=deep, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "__all__", "message": "err_format"}]


def test_placement_with_an_unknown_employer_is_a_field_error(client, login_as):
    """Bug: the foreign key failed on INSERT (IntegrityError, 500)."""
    login_as(Role.coach)
    pid = client.post("/api/participants", json={"code": "BAD-2", "entry_date": "2026-01-05"})
    response = client.post(
        f"/api/participants/{pid.json()['id']}/placements",
        json={"employer_id": 999_999, "start_date": "2026-02-01", "title": "Kock"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "employer_id", "message": "err_not_found"}]
    assert client.get(f"/api/participants/{pid.json()['id']}/placements").json() == []


@pytest.mark.parametrize(
    ("query", "field"),
    [("from=0001-01-01&to=0001-01-02", "from"), ("to=0001-01-01", "to"), ("to=9999-12-31", "to")],
)
def test_evaluation_dates_outside_what_pandas_holds_are_field_errors(
    client, login_as, query, field
):
    """Bug: year 1 overflowed (date arithmetic, timestamps) with a 500; year 9999 was a pandas
    message without a field."""
    login_as(Role.evaluator)
    response = client.get(f"/api/evaluation?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def test_model_level_checks_name_their_field(client, login_as):
    """A reversed period was answered with field "" and "Value error, period_end: ..."."""
    login_as(Role.liaison)
    employer = client.post("/api/employers", json={"name": "Bageriet AB"}).json()
    response = client.post(
        "/api/slots",
        json={
            "employer_id": employer["id"],
            "title": "Praktik",
            "period_start": "2026-05-01",
            "period_end": "2026-01-01",
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "period_end", "message": "the period cannot end before it starts"}
    ]


def test_workplace_in_an_unknown_municipality_is_refused(client, login_as):
    login_as(Role.liaison)
    employer = client.post("/api/employers", json={"name": "Bageriet AB"}).json()
    response = client.post(
        f"/api/employers/{employer['id']}/workplaces",
        json={"name": "Lagret", "municipality_code": "9999"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "municipality_code"
