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
