"""IPS: preferences steer. A participant without a career profile gets no ranked lists (they
would be 'what is available', all at the same score); the page asks for the profile first."""

from __future__ import annotations

from profiles.models import Role
from tests.profiles.factories import LAGER, make_participant, make_register


def test_no_profile_no_lists_but_a_way_to_the_profile(client, login_as, session):
    coach, _csrf = login_as(Role.coach)
    make_register(session)
    p = make_participant(session, coach)
    page = client.get(f"/participants/{p.id}").text
    suggestions = page[page.index('id="suggestions"') : page.index('id="contacts"')]
    assert "Lagerarbetare dagtid" not in suggestions
    assert 'data-testid="accept"' not in suggestions
    assert 'data-testid="profile-first"' in suggestions
    assert f'href="/participants/{p.id}/profile/edit"' in suggestions


def test_with_a_profile_the_lists_are_there(client, login_as, session):
    coach, _csrf = login_as(Role.coach)
    make_register(session)
    p = make_participant(session, coach, profile={"occupation_ids": [LAGER], "hours_min": 20})
    page = client.get(f"/participants/{p.id}").text
    assert "Lagerarbetare dagtid" in page and 'data-testid="profile-first"' not in page
