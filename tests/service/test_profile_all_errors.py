"""A profile form with several bad fields names every one of them in one answer, not one
field per save."""

from __future__ import annotations

from profiles.models import Role
from tests.conftest import csrf_from
from tests.profiles.factories import LAGER, make_participant


def test_every_bad_field_is_named_at_once(client, login_as, session):
    coach, _csrf = login_as(Role.coach)
    p = make_participant(session, coach, profile={"occupation_ids": [LAGER], "hours_min": 20})
    page = client.get(f"/participants/{p.id}/profile/edit").text
    r = client.post(
        f"/participants/{p.id}/profile",
        data={"csrf_token": csrf_from(page), "version": "1", "occupation_ids": LAGER,
              "hours_min": "tjugo", "commute_limit_km": "långt", "languages": "Svenska nio",
              "disclosure": "no", "benefits_counselling": "not_started"},
    )  # fmt: skip
    assert r.status_code == 422
    for field in ("hours_min", "commute_limit_km", "languages"):
        assert f'id="err-{field}"' in r.text, field
    assert "tjugo" in r.text and "Svenska nio" in r.text
