"""Register schemas read dates as YYYY-MM-DD only: numbers are not Unix timestamps, "" is not
null, and an ad file's dates are refused when they are bare numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from employers.imports import parse_ad
from employers.schemas import (
    ContactCreate,
    ContactUpdate,
    OpeningCreate,
    OpeningUpdate,
    SlotCreate,
    SlotUpdate,
)

CASES = [
    (OpeningCreate, {"employer_id": 1, "title": "Kock"}, "deadline"),
    (OpeningCreate, {"employer_id": 1, "title": "Kock"}, "published_date"),
    (OpeningUpdate, {"version": 1}, "deadline"),
    (SlotCreate, {"employer_id": 1, "title": "Praktik"}, "period_start"),
    (SlotCreate, {"employer_id": 1, "title": "Praktik"}, "period_end"),
    (SlotUpdate, {"version": 1}, "period_start"),
    (SlotUpdate, {"version": 1}, "period_end"),
    (ContactCreate, {}, "contact_date"),
    (ContactCreate, {"contact_date": "2026-01-05"}, "next_step_date"),
    (ContactUpdate, {"version": 1}, "contact_date"),
    (ContactUpdate, {"version": 1}, "next_step_date"),
]


@pytest.mark.parametrize(("model", "base", "field"), CASES)
@pytest.mark.parametrize(
    "value",
    ["", " ", 0, "0", 86400, "86400", 1.5, True, "20260105", "2026-13-01", "2026-02-30",
     "2026-1-5", "2026-01-05T00:00:00", dt.datetime(2026, 1, 5)],
)  # fmt: skip
def test_a_date_that_is_not_iso_is_an_error_naming_the_field(model, base, field, value):
    with pytest.raises(ValidationError) as info:
        model.model_validate({**base, field: value})
    [error] = info.value.errors()
    assert error["loc"] == (field,)


@pytest.mark.parametrize(("model", "base", "field"), CASES)
def test_iso_dates_and_date_objects_are_taken(model, base, field):
    day = dt.date(2026, 1, 5)
    assert getattr(model.model_validate({**base, field: "2026-01-05"}), field) == day
    assert getattr(model.model_validate({**base, field: day}), field) == day


@pytest.mark.parametrize(
    ("model", "base", "field"),
    [c for c in CASES if c[2] != "contact_date" or c[0] is not ContactCreate],
)
def test_null_is_no_date(model, base, field):
    assert getattr(model.model_validate({**base, field: None}), field) is None


def test_a_json_body_with_an_empty_date_is_refused():
    """Bug: the schemas' blank-to-None step made "" mean null in the JSON API."""
    with pytest.raises(ValidationError) as info:
        OpeningCreate.model_validate_json('{"employer_id": 1, "title": "Kock", "deadline": ""}')
    assert [e["loc"] for e in info.value.errors()] == [("deadline",)]


@pytest.mark.parametrize("value", ["20190531", 20190531, "1559260800", 0])
def test_ad_dates_that_are_bare_numbers_reject_the_ad(value):
    """datetime.fromisoformat took "20190531" (ISO basic format) as a deadline."""
    ad = {"id": "1", "headline": "Kock", "employer": {"name": "Krogen"},
          "application_deadline": value}  # fmt: skip
    draft, errors = parse_ad(ad)
    assert draft is None
    assert any(e.startswith("application_deadline:") for e in errors)


@pytest.mark.parametrize("value", ["2019-05-31", "2019-05-31T23:59:59", "2019-05-31 23:59:59"])
def test_ad_dates_with_or_without_a_time_are_taken(value):
    ad = {"id": "1", "headline": "Kock", "employer": {"name": "Krogen"},
          "application_deadline": value}  # fmt: skip
    draft, errors = parse_ad(ad)
    assert not errors and draft is not None
    assert draft.opening["deadline"] == dt.date(2019, 5, 31)
