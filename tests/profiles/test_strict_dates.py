"""Participant-side input schemas read dates as YYYY-MM-DD within 1900-01-01 ... 2200-12-31:
a number is not a Unix timestamp, "" is not "no date", and the error names the field."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from profiles.errors import FieldErrors
from profiles.schemas import (
    CareerProfileIn,
    CareerProfilePublic,
    CareerProfileStored,
    CareerProfileUpdate,
    DecisionCreate,
    EmployerContactIn,
    FollowAlongIn,
    ParticipantCreate,
    ParticipantUpdate,
    PlacementCreate,
    PlacementEnd,
    field_errors,
    parse,
)

#: (schema, the other fields it needs, the date field, whether the field may be null)
CASES = [
    (ParticipantCreate, {"code": "P-1"}, "entry_date", False),
    (CareerProfileIn, {}, "available_from", True),
    (CareerProfileUpdate, {"version": 0}, "available_from", True),
    (CareerProfileUpdate, {"version": 0}, "entry_date", True),
    (ParticipantUpdate, {"version": 1}, "next_step_date", True),
    (DecisionCreate, {"offer_ref": "opening:1", "decision": "saved"}, "contact_date", True),
    (EmployerContactIn, {"employer_id": 1, "status": "planned"}, "contact_date", False),
    (
        EmployerContactIn,
        {"employer_id": 1, "contact_date": "2024-02-29"},
        "next_step_date",
        True,
    ),
    (PlacementCreate, {"title": "Diskare"}, "start_date", False),
    (PlacementEnd, {"version": 1, "end_reason": "quit"}, "end_date", False),
    (FollowAlongIn, {"planned": True}, "contact_date", False),
]
IDS = [f"{model.__name__}.{field}" for model, _base, field, _null in CASES]

NOT_DATES = [
    0,  # bug: 1970-01-01, stored by the JSON API
    "0",
    86400,  # bug: 1970-01-02
    "86400",
    1.5,
    True,
    "",
    " ",
    "2024-1-1",
    "20240101",
    "2024-W01-1",
    "2024-02-30",
    "2023-02-29",
    "2024-01-01T00:00:00",
    dt.datetime(2024, 1, 1),
]


@pytest.mark.parametrize(("model", "base", "field", "nullable"), CASES, ids=IDS)
@pytest.mark.parametrize("value", NOT_DATES)
def test_a_date_that_is_not_iso_is_err_date_on_its_field(model, base, field, nullable, value):
    with pytest.raises(FieldErrors) as info:
        parse(model, {**base, field: value})
    assert info.value.errors == {field: "err_date"}


@pytest.mark.parametrize(("model", "base", "field", "nullable"), CASES, ids=IDS)
@pytest.mark.parametrize("value", ["1899-12-31", "2201-01-01", "0001-01-01", dt.date(1, 1, 1)])
def test_a_day_outside_1900_to_2200_is_err_date_range_on_its_field(
    model, base, field, nullable, value
):
    with pytest.raises(FieldErrors) as info:
        parse(model, {**base, field: value})
    assert info.value.errors == {field: "err_date_range"}


@pytest.mark.parametrize("value", [dt.date(1, 1, 1), dt.date(202, 5, 1), dt.date(2999, 1, 1)])
def test_a_stored_profile_reads_back_with_its_day_as_stored(value):
    """Read-back (profile_snapshot) must not refuse a day stored before the range check."""
    assert CareerProfileStored.model_validate({"available_from": value}).available_from == value
    with pytest.raises(FieldErrors):
        parse(CareerProfileIn, {"available_from": value})


@pytest.mark.parametrize(("model", "base", "field", "nullable"), CASES, ids=IDS)
@pytest.mark.parametrize("value", ["2024-02-29", dt.date(2024, 2, 29), "1900-01-01"])
def test_iso_dates_and_date_objects_are_taken(model, base, field, nullable, value):
    expected = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    assert getattr(parse(model, {**base, field: value}), field) == expected


@pytest.mark.parametrize(("model", "base", "field", "nullable"), CASES, ids=IDS)
def test_null_is_no_date_where_the_field_is_optional(model, base, field, nullable):
    if nullable:
        assert getattr(parse(model, {**base, field: None}), field) is None
    else:
        with pytest.raises(FieldErrors) as info:
            parse(model, {**base, field: None})
        assert set(info.value.errors) == {field}


def test_a_json_text_with_an_empty_or_numeric_date_is_refused():
    """The same from JSON text as from a dict: pydantic's JSON mode also reads 0 as 1970."""
    for body in ('{"version": 0, "available_from": ""}', '{"version": 0, "entry_date": 0}'):
        with pytest.raises(ValidationError) as info:
            CareerProfileUpdate.model_validate_json(body)
        assert field_errors(info.value) in (
            {"available_from": "err_date"},
            {"entry_date": "err_date"},
        )


def test_the_output_schema_shows_a_stored_date_as_it_is():
    """Output is not input: a profile read back is not re-checked against the input range."""
    shown = CareerProfilePublic.model_validate(
        {"participant_id": 1, "version": 1, "available_from": dt.date(1890, 1, 1)}
    )
    assert shown.available_from == dt.date(1890, 1, 1)


#: (schema, the other fields it needs, the number field)
NUMBERS = [
    (ParticipantCreate, {"code": "P-1", "entry_date": "2024-02-29"}, "coach_id"),
    (CareerProfileUpdate, {"version": 0}, "hours_min"),
    (CareerProfileUpdate, {"version": 0}, "hours_max"),
    (CareerProfileUpdate, {"version": 0}, "commute_limit_km"),
    (CareerProfileUpdate, {"version": 0, "home_lon": 13.5}, "home_lat"),
    (CareerProfileUpdate, {}, "version"),
    (DecisionCreate, {"offer_ref": "opening:1", "decision": "saved"}, "score"),
    (DecisionCreate, {"offer_ref": "opening:1", "decision": "saved"}, "rank_shown"),
    (EmployerContactIn, {"contact_date": "2024-02-29"}, "employer_id"),
    (PlacementCreate, {"title": "Diskare", "start_date": "2024-02-29"}, "hours_per_week"),
    (PlacementCreate, {"title": "Diskare", "start_date": "2024-02-29"}, "employer_id"),
    (
        PlacementCreate,
        {"title": "Diskare", "start_date": "2024-02-29"},
        "suggestion_decision_id",
    ),
    (FollowAlongIn, {"contact_date": "2024-02-29"}, "placement_id"),
]


@pytest.mark.parametrize(
    ("model", "base", "field"), NUMBERS, ids=[f"{m.__name__}.{f}" for m, _b, f in NUMBERS]
)
@pytest.mark.parametrize("blank", ["", "  "])
def test_an_empty_text_is_not_a_number(model, base, field, blank):
    """JSON says null for "no value"; the forms leave an empty field out before they validate."""
    with pytest.raises(FieldErrors) as info:
        parse(model, {**base, field: blank})
    assert set(info.value.errors) == {field}
