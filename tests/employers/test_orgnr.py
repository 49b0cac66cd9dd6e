import pytest

from employers.errors import InvalidOrgNumber
from employers.orgnr import is_valid_org_number, luhn_check_digit, normalize_org_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("556036-0793", "556036-0793"),
        ("5560360793", "556036-0793"),
        (" 556036 0793 ", "556036-0793"),
        ("165560360793", "556036-0793"),
        ("212000-0142", "212000-0142"),  # a municipality-style number (2...)
    ],
)
def test_valid_numbers_are_normalised(raw, expected):
    assert normalize_org_number(raw) == expected
    assert is_valid_org_number(raw)


def test_luhn_known_answer():
    # 556036-079?: 5*2=10->1, 5, 6*2=12->3, 0, 3*2=6, 6, 0, 7*2=14->5, 9 = 35 -> 5... check digit 3
    assert luhn_check_digit("556036079") == 3


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("556036-0794", "check digit"),
        ("abc", "only digits"),
        ("1222124758", "check digit"),  # the fictitious number in the JobSearch example
        ("55603607", "10 digits"),
        ("556036-07X3", "only digits"),
        ("195560360793", "start with 16"),
        ("1212120136", "personal identity number"),  # personnummer-shaped: never stored
        ("", "10 digits"),
    ],
)
def test_invalid_numbers_say_why(raw, message):
    with pytest.raises(InvalidOrgNumber, match=message):
        normalize_org_number(raw)
    assert not is_valid_org_number(raw)


def test_schema_rejects_bad_org_number_naming_the_field():
    from pydantic import ValidationError

    from employers.schemas import EmployerCreate

    with pytest.raises(ValidationError) as info:
        EmployerCreate(name="X", org_number="556036-0794")
    assert info.value.errors()[0]["loc"] == ("org_number",)
