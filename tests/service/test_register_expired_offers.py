"""An opening still marked open after its application deadline (or a slot after its period)
says so on the employer page: coaches are no longer offered it, the liaison should know why."""

from __future__ import annotations

from datetime import date, timedelta

from employers.models import Opening, PracticeSlot
from profiles.models import Role
from tests.profiles.factories import make_register


def test_open_offers_past_their_dates_are_marked(client, login_as, session):
    login_as(Role.liaison)
    reg = make_register(session)
    stad = reg["stad"]
    session.add(Opening(employer_id=stad.id, title="Städare vår",
                        deadline=date.today() - timedelta(days=3)))  # fmt: skip
    session.add(PracticeSlot(employer_id=stad.id, title="Praktik vår", capacity=1,
                             period_start=date.today() - timedelta(days=60),
                             period_end=date.today() - timedelta(days=1)))  # fmt: skip
    session.commit()
    page = client.get(f"/employers/{stad.id}").text
    assert page.count('data-testid="deadline-passed"') == 1
    assert "Sista ansökningsdag passerad" in page
    assert page.count('data-testid="period-over"') == 1
    en = client.get(f"/employers/{stad.id}?lang=en").text
    assert "Deadline passed: not suggested" in en and "Period over: not suggested" in en
