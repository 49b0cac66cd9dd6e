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
    ("raw", "message", "reason"),
    [
        ("556036-0794", "check digit", "check_digit"),
        ("abc", "only digits", "characters"),
        # the fictitious number in the JobSearch example
        ("1222124758", "check digit", "check_digit"),
        ("55603607", "10 digits", "length"),
        ("556036-07X3", "only digits", "characters"),
        ("195560360793", "start with 16", "century"),
        # personnummer-shaped: never stored
        ("1212120136", "personal identity number", "personal"),
        ("", "10 digits", "length"),
    ],
)
def test_invalid_numbers_say_why(raw, message, reason):
    with pytest.raises(InvalidOrgNumber, match=message) as info:
        normalize_org_number(raw)
    assert info.value.reason == reason
    assert not is_valid_org_number(raw)


@pytest.mark.parametrize(
    ("raw", "swedish", "english"),
    [
        ("556036-0794", "Kontrollsiffran", "check digit"),
        ("55603607", "tio siffror", "ten digits"),
        ("556036-07X3", "bara innehålla siffror", "only digits"),
        ("195560360793", "börjar med 16", "starts with 16"),
        ("1212120136", "personnummer", "personal identity number"),
    ],
)
def test_the_register_says_which_rule_a_number_breaks(raw, swedish, english):
    from employers.schemas import EmployerCreate, InvalidField
    from service.i18n import translate

    with pytest.raises(InvalidField) as info:
        EmployerCreate._org_number(raw)
    assert swedish in translate(info.value.key, "sv")
    assert english in translate(info.value.key, "en")


def test_schema_rejects_bad_org_number_naming_the_field():
    from pydantic import ValidationError

    from employers.schemas import EmployerCreate

    with pytest.raises(ValidationError) as info:
        EmployerCreate(name="X", org_number="556036-0794")
    assert info.value.errors()[0]["loc"] == ("org_number",)
