"""Two admins changing the same user: the second save, made on a page drawn before the first,
is not written (409); the page shows what is stored now and keeps what was typed."""

from __future__ import annotations

import re

from profiles.models import Role, User


def _seen(html: str, user_id: int) -> str:
    form = html[html.index(f'action="/admin/users/{user_id}"') :]
    return re.search(r'name="seen" value="([^"]+)"', form).group(1)


def test_a_save_over_another_admins_change_is_refused(client, login_as, make_user, session):
    _admin, csrf = login_as(Role.admin)
    coach = make_user(Role.coach, "kim")
    seen = _seen(client.get("/admin/users").text, coach.id)
    first = client.post(f"/admin/users/{coach.id}",
                        data={"csrf_token": csrf, "seen": seen, "display_name": "Kim Andersson",
                              "role": "coach", "active": "on"}, follow_redirects=False)  # fmt: skip
    assert first.status_code == 303
    second = client.post(f"/admin/users/{coach.id}",
                         data={"csrf_token": csrf, "seen": seen, "display_name": "Kim Berg",
                               "role": "liaison", "active": "on"})  # fmt: skip
    assert second.status_code == 409
    assert "Någon annan sparade ändringar medan du redigerade" in second.text
    assert 'value="Kim Berg"' in second.text  # typed, kept in the form
    session.refresh(coach)
    assert (coach.display_name, coach.role) == ("Kim Andersson", Role.coach)
    again = client.post(f"/admin/users/{coach.id}",
                        data={"csrf_token": csrf, "seen": _seen(second.text, coach.id),
                              "display_name": "Kim Berg", "role": "coach", "active": "on"},
                        follow_redirects=False)  # fmt: skip
    assert again.status_code == 303
    assert session.get(User, coach.id).display_name == "Kim Berg"
