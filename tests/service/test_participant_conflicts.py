"""Two people saving the same participant's status, next step or job end: the second save is not
written, and the page comes back (409) with what they typed and a message in their language,
never a bare error page with the developer's text."""

from __future__ import annotations

from datetime import date, timedelta

from profiles.models import Placement, PlacementKind, Role
from tests.profiles.factories import make_participant, make_register


def _status(client, csrf, participant, version, next_step):
    data = {"csrf_token": csrf, "version": str(version), "status": "searching",
            "next_step": next_step, "next_step_date": ""}  # fmt: skip
    return client.post(f"/participants/{participant.id}", data=data, follow_redirects=False)


def test_a_second_next_step_save_is_refused_and_keeps_the_typed_text(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    make_register(session)
    p = make_participant(session, coach)
    read_version = p.version
    assert _status(client, csrf, p, read_version, "Ringa Lagerbolaget").status_code == 303

    r = _status(client, csrf, p, read_version, "Besöka bageriet på tisdag")
    assert r.status_code == 409
    assert "Besöka bageriet på tisdag" in r.text  # what they typed is still in the form
    assert "Ringa Lagerbolaget" in r.text  # and what is stored now is shown
    assert "Någon annan sparade ändringar medan du redigerade" in r.text
    assert "was changed by someone else" not in r.text
    assert 'id="status"' in r.text  # the participant page, not the error page
    session.refresh(p)
    assert p.next_step == "Ringa Lagerbolaget"


def test_the_conflict_message_is_in_english_on_the_english_page(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach)
    client.get("/caseload?lang=en")
    read_version = p.version
    assert _status(client, csrf, p, read_version, "Call the bakery").status_code == 303
    r = _status(client, csrf, p, read_version, "Visit the warehouse")
    assert r.status_code == 409
    assert "Someone else saved changes while you were editing" in r.text
    assert "Visit the warehouse" in r.text


def test_ending_a_job_someone_else_changed_shows_the_form_again(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach)
    job = Placement(participant_id=p.id, title="Diskare", kind=PlacementKind.competitive,
                    start_date=date.today() - timedelta(days=30))  # fmt: skip
    session.add(job)
    session.commit()
    session.refresh(job)
    stale = job.version
    job.hours_per_week = 20
    job.version += 1
    session.add(job)
    session.commit()

    r = client.post(
        f"/participants/{p.id}/placements/{job.id}/end",
        data={"csrf_token": csrf, "version": str(stale), "end_date": date.today().isoformat(),
              "end_reason": "other", "end_reason_text": "Flyttade till Göteborg"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 409
    assert "Flyttade till Göteborg" in r.text
    assert "Någon annan sparade ändringar medan du redigerade" in r.text
    session.refresh(job)
    assert job.end_date is None
