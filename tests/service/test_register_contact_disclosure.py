"""The liaison's contact form shows the participant's disclosure choice as the code is typed
(PRODUCT.md: the choice is shown wherever a contact is made), and nothing else of the record."""

from __future__ import annotations

import pytest
from sqlmodel import select

from profiles.models import AuditLogEntry, Disclosure, Role
from tests.profiles.factories import make_participant, make_register


@pytest.mark.parametrize(
    ("profile", "sv", "en"),
    [
        ({"disclosure": Disclosure.yes}, "Ja, får berättas", "Yes, may be told"),
        ({"disclosure": Disclosure.no}, "Nej, får inte berättas", "No, must not be told"),
        (None, "Inte bestämt – fråga deltagaren", "Not decided – ask the participant"),
    ],
    ids=["yes", "no", "no-profile-yet"],
)
def test_typed_code_shows_the_disclosure_choice(client, login_as, session, profile, sv, en):
    liaison, _ = login_as(Role.liaison)
    employer = make_register(session)["lager"]
    p = make_participant(session, None, code="K-0042", profile=profile)
    url = f"/employers/{employer.id}/disclosure"
    answer = client.get(url, params={"participant_code": " K-0042 "})
    assert answer.status_code == 200
    assert sv in answer.text and "Får arbetsgivaren veta om funktionsnedsättningen?" in answer.text
    assert "<html" not in answer.text  # a fragment for the form
    english = client.get(url, params={"participant_code": "K-0042", "lang": "en"})
    assert en in english.text and "May the employer be told about the disability?" in english.text
    reads = session.exec(
        select(AuditLogEntry).where(
            AuditLogEntry.participant_id == p.id, AuditLogEntry.entity == "disclosure"
        )
    ).all()
    assert reads and all(r.user_id == liaison.id and r.action == "read" for r in reads)


def test_unknown_or_empty_code_says_so_and_reads_nothing(client, login_as, session):
    login_as(Role.liaison)
    employer = make_register(session)["lager"]
    url = f"/employers/{employer.id}/disclosure"
    unknown = client.get(url, params={"participant_code": "K-9999"})
    assert unknown.status_code == 200 and "Ingen deltagare har den koden." in unknown.text
    empty = client.get(url, params={"participant_code": "  "})
    assert empty.status_code == 200 and not empty.text.strip()
    assert (
        session.exec(select(AuditLogEntry).where(AuditLogEntry.entity == "disclosure")).all() == []
    )


def test_contact_form_asks_for_the_choice_as_the_code_is_typed(client, login_as, session):
    login_as(Role.liaison)
    employer = make_register(session)["lager"]
    page = client.get(f"/employers/{employer.id}").text
    assert f'hx-get="/employers/{employer.id}/disclosure"' in page
    assert 'hx-include="input[name=participant_code]"' in page


def test_coaches_and_evaluators_cannot_look_up_codes(client, login_as, session):
    employer = make_register(session)["lager"]
    make_participant(session, None, code="K-0042", profile={"disclosure": Disclosure.no})
    login_as(Role.evaluator)
    answer = client.get(
        f"/employers/{employer.id}/disclosure", params={"participant_code": "K-0042"}
    )
    assert answer.status_code in (401, 403)
