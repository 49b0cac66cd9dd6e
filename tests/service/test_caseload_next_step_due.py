"""The caseload marks a next step whose date has passed, so that the coach sees it each day."""

from __future__ import annotations

from datetime import date, timedelta

from profiles.models import Role
from tests.profiles.factories import make_participant


def test_a_next_step_past_its_date_is_marked(client, login_as, session):
    coach, _csrf = login_as(Role.coach)
    late = make_participant(session, coach, code="LATE-1")
    late.next_step, late.next_step_date = "Ringa bageriet", date.today() - timedelta(days=2)
    soon = make_participant(session, coach, code="SOON-1")
    soon.next_step, soon.next_step_date = "Besöka lagret", date.today() + timedelta(days=2)
    session.add_all([late, soon])
    session.commit()
    sv = client.get("/caseload").text
    assert sv.count('data-testid="next-step-late"') == 1
    row = sv[sv.index("LATE-1") :]
    assert row.index('data-testid="next-step-late"') < row.index("SOON-1")
    assert "passerat" in sv
    assert "past due" in client.get("/caseload?lang=en").text
