"""Two employers with different organisation numbers are different legal entities: however
alike their names, they are not offered as duplicates to merge (docs/imports.md: "as long as
the two organisation numbers do not differ")."""

from __future__ import annotations

from sqlmodel import Session

from employers.duplicates import find_duplicates
from employers.models import Employer


def _add(session: Session, name: str, org_number: str | None) -> Employer:
    employer = Employer(name=name, org_number=org_number, municipality_code="1780")
    session.add(employer)
    session.commit()
    session.refresh(employer)
    return employer


def test_alike_names_with_different_org_numbers_are_not_duplicates(session):
    kept = _add(session, "Karlstads Omsorgspartner AB", "559592-5511")
    _add(session, "Lärkomsorgspartner i Karlstad AB", "559556-2793")
    same_without_number = _add(session, "Karlstads Omsorgspartner", None)
    found = find_duplicates(session, name=kept.name, org_number=kept.org_number,
                            municipality_code="1780", exclude_id=kept.id)  # fmt: skip
    assert [d.employer_id for d in found] == [same_without_number.id]


def test_the_same_org_number_is_still_a_duplicate(session):
    first = _add(session, "Karlstads Omsorgspartner AB", "559592-5511")
    second = _add(session, "Omsorgspartner Karlstad", "559592-5511")
    found = find_duplicates(session, name=first.name, org_number=first.org_number,
                            municipality_code="1780", exclude_id=first.id)  # fmt: skip
    assert [(d.employer_id, d.reason) for d in found] == [(second.id, "org_number")]
