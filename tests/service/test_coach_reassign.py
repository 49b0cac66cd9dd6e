"""An admin moves a participant to another coach; afterwards each coach sees only their own."""

from __future__ import annotations

from sqlmodel import select

from profiles.models import AuditLogEntry, Role
from tests.conftest import login
from tests.profiles.factories import make_participant


def test_admin_moves_a_participant_and_only_the_new_coach_sees_it(client, session, make_user):
    old = make_user(Role.coach, "coach_old")
    new = make_user(Role.coach, "coach_new")
    admin = make_user(Role.admin, "boss")
    p = make_participant(session, old, code="MOVE-1")
    csrf = login(client, admin.username)
    page = client.get(f"/participants/{p.id}").text
    assert 'id="coach-form"' in page and "Flytta till handledaren" in page
    r = client.post(
        f"/participants/{p.id}/coach",
        data={"csrf_token": csrf, "version": str(p.version), "coach_id": str(new.id)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    session.refresh(p)
    assert p.coach_id == new.id
    entry = session.exec(
        select(AuditLogEntry).where(
            AuditLogEntry.action == "update", AuditLogEntry.participant_id == p.id
        )
    ).one()
    assert entry.user_id == admin.id and entry.detail == f"coach_id {old.id} -> {new.id}"
    # the admin's caseload filtered to the new coach lists the participant
    assert "MOVE-1" in client.get(f"/caseload?coach_id={new.id}").text
    assert "MOVE-1" not in client.get(f"/caseload?coach_id={old.id}").text

    login(client, old.username)
    assert "MOVE-1" not in client.get("/caseload").text
    assert client.get("/api/participants").json() == []
    assert client.get(f"/participants/{p.id}").status_code == 403
    assert client.get(f"/api/participants/{p.id}").status_code == 403

    login(client, new.username)
    assert "MOVE-1" in client.get("/caseload").text
    assert [row["code"] for row in client.get("/api/participants").json()] == ["MOVE-1"]
    page = client.get(f"/participants/{p.id}")
    assert page.status_code == 200
    assert 'id="coach-form"' not in page.text  # a coach cannot move participants


def test_coach_cannot_move_a_participant_even_their_own(client, session, login_as, make_user):
    coach, csrf = login_as(Role.coach)
    other = make_user(Role.coach, "someone")
    p = make_participant(session, coach)
    r = client.post(
        f"/participants/{p.id}/coach",
        data={"csrf_token": csrf, "version": str(p.version), "coach_id": str(other.id)},
        follow_redirects=False,
    )
    assert r.status_code == 403
    r = client.post(f"/api/participants/{p.id}/coach", json={"version": 1, "coach_id": other.id})
    assert r.status_code == 403
    session.refresh(p)
    assert p.coach_id == coach.id


def test_moving_to_someone_who_is_not_an_active_coach_is_a_field_error(
    client, session, login_as, make_user
):
    admin, csrf = login_as(Role.admin)
    coach = make_user(Role.coach, "stays")
    liaison = make_user(Role.liaison, "liaison_x")
    gone = make_user(Role.coach, "gone")
    gone.active = False
    session.add(gone)
    session.commit()
    p = make_participant(session, coach)
    for target in (liaison.id, gone.id, 98765):
        r = client.post(
            f"/participants/{p.id}/coach",
            data={"csrf_token": csrf, "version": str(p.version), "coach_id": str(target)},
        )
        assert r.status_code == 422
        assert "Välj en handledare" in r.text
    r = client.post(f"/api/participants/{p.id}/coach", json={"version": 1, "coach_id": liaison.id})
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": "coach_id", "message": "err_not_a_coach"}]
    session.refresh(p)
    assert p.coach_id == coach.id


def test_api_move_with_a_stale_version_is_a_conflict(client, session, login_as, make_user):
    login_as(Role.admin)
    a = make_user(Role.coach, "a")
    b = make_user(Role.coach, "b")
    p = make_participant(session, a)
    url = f"/api/participants/{p.id}/coach"
    assert client.post(url, json={"version": 1, "coach_id": b.id}).status_code == 200
    assert client.post(url, json={"version": 1, "coach_id": a.id}).status_code == 409
    session.refresh(p)
    assert p.coach_id == b.id
