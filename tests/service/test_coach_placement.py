"""Ending a placement from the participant page: date, reason from the list, free text."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from profiles.models import AuditLogEntry, Placement, PlacementKind, Role
from tests.profiles.factories import make_participant, make_register


def _job(session, participant, *, kind=PlacementKind.competitive, days_ago=30, title="Diskare"):
    placement = Placement(
        participant_id=participant.id,
        title=title,
        kind=kind,
        start_date=date.today() - timedelta(days=days_ago),
    )
    session.add(placement)
    participant.status = "working"
    session.add(participant)
    session.commit()
    session.refresh(placement)
    return placement


def _end(client, csrf, participant, placement, **fields):
    data = {"csrf_token": csrf, "version": str(placement.version)} | fields
    return client.post(
        f"/participants/{participant.id}/placements/{placement.id}/end",
        data=data,
        follow_redirects=False,
    )


def test_coach_ends_a_job_with_reason_and_text(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    make_register(session)
    p = make_participant(session, coach)
    job = _job(session, p)
    page = client.get(f"/participants/{p.id}").text
    assert f'action="/participants/{p.id}/placements/{job.id}/end"' in page
    assert "Anställningen tog slut (visstid)" in page  # the reasons are offered in Swedish

    ended = date.today() - timedelta(days=2)
    r = _end(client, csrf, p, job, end_date=ended.isoformat(), end_reason="contract_ended",
             end_reason_text="Sommarvikariatet slut")  # fmt: skip
    assert r.status_code == 303, r.text
    assert r.headers["location"].endswith("#placements")
    session.refresh(job)
    assert (job.end_date, job.end_reason, job.end_reason_text) == (
        ended,
        "contract_ended",
        "Sommarvikariatet slut",
    )
    session.refresh(p)
    assert p.status == "searching"  # the last job ended: the next job search starts
    entry = session.exec(select(AuditLogEntry).where(AuditLogEntry.entity == "placement")).one()
    assert (entry.action, entry.user_id, entry.participant_id) == ("update", coach.id, p.id)

    page = client.get(f"/participants/{p.id}").text
    assert "Sommarvikariatet slut" in page and "avslutad" in page
    assert f'id="end-form-{job.id}"' not in page  # an ended job has no end form any more
    english = client.get(f"/participants/{p.id}?lang=en").text
    assert "Fixed-term contract ended: Sommarvikariatet slut" in english


def test_another_open_job_keeps_the_status_working(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach)
    first = _job(session, p, title="Diskare")
    _job(session, p, title="Städare", days_ago=10)
    r = _end(client, csrf, p, first, end_date=date.today().isoformat(), end_reason="quit")
    assert r.status_code == 303, r.text
    session.refresh(p)
    assert p.status == "working"


def test_end_form_errors_are_per_field_and_store_nothing(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    make_register(session)
    p = make_participant(session, coach)
    job = _job(session, p, days_ago=5)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    r = _end(client, csrf, p, job, end_date=tomorrow, end_reason="")
    assert r.status_code == 422
    assert "Välj en orsak" in r.text
    assert "Slutdatum kan inte ligga i framtiden" in r.text
    assert '<details class="end-placement" open' in r.text  # the form stays open

    r = _end(client, csrf, p, job, end_date=date.today().isoformat(), end_reason="other")
    assert r.status_code == 422 and "Beskriv orsaken" in r.text

    before_start = (date.today() - timedelta(days=6)).isoformat()
    r = _end(client, csrf, p, job, end_date=before_start, end_reason="quit")
    assert r.status_code == 422 and "Slutdatum före startdatum" in r.text

    r = _end(client, csrf, p, job, end_date=date.today().isoformat(), end_reason="bored")
    assert r.status_code == 422
    session.refresh(job)
    assert job.end_date is None and job.end_reason is None
    assert (
        session.exec(select(AuditLogEntry).where(AuditLogEntry.entity == "placement")).all() == []
    )


def test_end_with_a_stale_version_is_a_conflict(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach)
    job = _job(session, p)
    data = {"end_date": date.today().isoformat(), "end_reason": "quit"}
    assert _end(client, csrf, p, job, **data).status_code == 303
    r = client.post(
        f"/participants/{p.id}/placements/{job.id}/end",
        data={"csrf_token": csrf, "version": "1", **data},
        follow_redirects=False,
    )
    assert r.status_code == 409


def test_placement_of_another_participant_cannot_be_ended(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    mine = make_participant(session, coach, code="MINE")
    other = make_participant(session, coach, code="OTHER")
    job = _job(session, other)
    r = _end(client, csrf, mine, job, end_date=date.today().isoformat(), end_reason="quit")
    assert r.status_code == 404
    session.refresh(job)
    assert job.end_date is None


def test_api_ends_a_placement(client, login_as, session):
    coach, _ = login_as(Role.coach)
    p = make_participant(session, coach)
    job = _job(session, p, kind=PlacementKind.practice)
    url = f"/api/participants/{p.id}/placements/{job.id}/end"
    bad = client.post(url, json={"version": job.version, "end_date": date.today().isoformat()})
    assert bad.status_code == 422
    assert bad.json()["detail"] == [{"field": "end_reason", "message": "err_reason_required"}]
    r = client.post(url, json={"version": job.version, "end_date": date.today().isoformat(),
                               "end_reason": "practice_ended"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["end_reason"] == "practice_ended" and r.json()["version"] == 2
