"""Admin pages in words: audit log actions and records, caseload sizes on the users page."""

from __future__ import annotations

import re

import pytest

from profiles.models import Role
from service.i18n import MESSAGES
from service.routes.admin import AUDIT_ACTIONS
from tests.conftest import login
from tests.profiles.factories import make_participant, make_register


def test_audit_log_reads_as_words_and_names_the_participant_by_code(client, session, make_user):
    coach = make_user(Role.coach, "coach_a")
    admin = make_user(Role.admin, "boss")
    make_register(session)
    p = make_participant(session, coach, code="K-4711")
    login(client, coach.username)
    client.get(f"/participants/{p.id}")
    login(client, admin.username)
    page = client.get(f"/admin/audit?participant_id={p.id}").text
    rows = re.findall(r"<tr><td>.*?</tr>", page, flags=re.S)
    assert rows and all("K-4711" in row for row in rows)
    assert ">läste<" in page and ">deltagare<" in page
    assert ">read<" not in page
    assert re.search(r"\d+ poster", page)
    english = client.get(f"/admin/audit?participant_id={p.id}&lang=en").text
    assert ">read<" in english and "entries" in english


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_audit_action_has_words(lang):
    missing = [a for a in AUDIT_ACTIONS if f"audit_action_{a}" not in MESSAGES[lang]]
    assert missing == []


def test_users_page_shows_each_coachs_caseload_with_a_link(client, session, login_as, make_user):
    login_as(Role.admin)
    coach = make_user(Role.coach, "coach_b")
    make_participant(session, coach, code="A-1")
    make_participant(session, coach, code="A-2")
    page = client.get("/admin/users").text
    assert f'href="/caseload?coach_id={coach.id}" data-testid="caseload-size">2 deltagare' in page
