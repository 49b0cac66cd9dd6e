"""Swedish organisation numbers (organisationsnummer): format and Luhn check digit.

An organisation number has ten digits ``NNNNNN-NNNN``; the last is a Luhn (mod 10) check digit
over the first nine. Legal entities have a third digit of 2 or more ("month" >= 20), which is
how they are told apart from a sole trader's personal identity number. A personnummer is
personal data that ipsmatch does not store, so numbers that look like one are refused.
A twelve-digit form with the century prefix ``16`` (used by Skatteverket) is accepted.
"""

from __future__ import annotations

import re

from employers.errors import InvalidOrgNumber

_SEPARATORS = re.compile(r"[\s\-]")


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit for a string of digits (weights 2, 1, 2, ... from the left)."""
    total = 0
    for i, char in enumerate(digits):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def normalize_org_number(value: str) -> str:
    """Validate an organisation number and return it as ``NNNNNN-NNNN``; raise InvalidOrgNumber."""
    raw = value.strip()
    digits = _SEPARATORS.sub("", raw)
    if not digits.isdigit() and digits:
        raise InvalidOrgNumber(
            f"organisation number {raw!r} may contain only digits and '-'", "characters"
        )
    if len(digits) == 12:
        if not digits.startswith("16"):
            raise InvalidOrgNumber(
                f"organisation number {raw!r}: a 12-digit form must start with 16", "century"
            )
        digits = digits[2:]
    if len(digits) != 10:
        raise InvalidOrgNumber(f"organisation number {raw!r} must have 10 digits", "length")
    if int(digits[2]) < 2:
        raise InvalidOrgNumber(
            f"organisation number {raw!r} looks like a personal identity number "
            "(sole trader); leave it empty instead",
            "personal",
        )
    if luhn_check_digit(digits[:9]) != int(digits[9]):
        raise InvalidOrgNumber(
            f"organisation number {raw!r} has a wrong check digit", "check_digit"
        )
    return f"{digits[:6]}-{digits[6:]}"


def is_valid_org_number(value: str) -> bool:
    """True when ``normalize_org_number`` accepts the value."""
    try:
        normalize_org_number(value)
    except InvalidOrgNumber:
        return False
    return True
