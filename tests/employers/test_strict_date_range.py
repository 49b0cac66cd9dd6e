"""Register input dates share the participant side's range: 1900-01-01 ... 2200-12-31
(matching.dates), so a typo such as 0202-05-01 is refused instead of stored."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from employers.schemas import ContactCreate, ContactUpdate, OpeningCreate, SlotCreate, SlotUpdate

CASES = [
    (OpeningCreate, {"employer_id": 1, "title": "Kock"}, "deadline"),
    (OpeningCreate, {"employer_id": 1, "title": "Kock"}, "published_date"),
    (SlotCreate, {"employer_id": 1, "title": "Praktik"}, "period_start"),
    (SlotUpdate, {"version": 1}, "period_end"),
    (ContactCreate, {"status": "planned"}, "contact_date"),  # a done one is not in the future
    (ContactUpdate, {"version": 1}, "next_step_date"),
]


@pytest.mark.parametrize(("model", "base", "field"), CASES)
@pytest.mark.parametrize("value", ["1899-12-31", "2201-01-01", "0202-05-01", dt.date(1, 1, 1)])
def test_a_day_outside_the_range_is_an_error_naming_the_field(model, base, field, value):
    with pytest.raises(ValidationError) as info:
        model.model_validate({**base, field: value})
    [error] = info.value.errors()
    assert error["loc"] == (field,) and "outside 1900-01-01 ... 2200-12-31" in error["msg"]


@pytest.mark.parametrize(("model", "base", "field"), CASES)
@pytest.mark.parametrize("value", ["1900-01-01", "2200-12-31", "2024-02-29"])
def test_the_range_limits_and_a_leap_day_are_taken(model, base, field, value):
    record = model.model_validate({**base, field: value})
    assert getattr(record, field) == dt.date.fromisoformat(value)
