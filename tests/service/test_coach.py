"""Coach pages: caseload, participant page with suggestions, decisions and quick logging."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from employers.models import ContactStatus, EmployerContact
from profiles.models import (
    AuditLogEntry,
    Decision,
    FollowAlongContact,
    Placement,
    Role,
    SuggestionDecision,
)
from tests.profiles.factories import LAGER, STADARE, make_participant, make_register


def test_caseload_is_sorted_by_urgency_and_shows_the_clock(client, login_as, session):
    coach, _ = login_as(Role.coach)
    make_participant(session, coach, code="FRESH", days_ago=2)
    make_participant(session, coach, code="LATE", days_ago=40)
    make_participant(session, coach, code="SOON", days_ago=27)
    page = client.get("/caseload")
    assert page.status_code == 200
    text = page.text
    assert text.index("LATE") < text.index("SOON") < text.index("FRESH")
    assert "försenad 10 dagar" in text
    assert "om 3 dagar" in text


def test_face_to_face_contact_stops_the_clock(client, login_as, session):
    coach, _ = login_as(Role.coach)
    reg = make_register(session)
    p = make_participant(session, coach, code="DONE", days_ago=40)
    session.add(
        EmployerContact(
            employer_id=reg["lager"].id,
            participant_id=p.id,
            contact_date=date.today() - timedelta(days=30),
            mode="visit",
            status=ContactStatus.done,
        )
    )
    session.commit()
    assert "kontakt gjord dag 10" in client.get("/caseload").text


def test_participant_page_ranks_with_reasons_and_hides_refused(client, login_as, session):
    coach, _ = login_as(Role.coach)
    reg = make_register(session)
    p = make_participant(
        session,
        coach,
        profile={"wished_texts": ["lager"], "occupation_ids": [LAGER], "refusals": ["night_work"]},
    )
    page = client.get(f"/participants/{p.id}")
    assert page.status_code == 200, page.text
    assert "Lagerarbetare dagtid" in page.text
    assert "Lagerarbetare natt" not in page.text
    assert "nattarbete" in page.text  # the exclusion count says why
    assert f'data-offer="opening:{reg["day"].id}"' in page.text
    assert "fågelväg" in page.text


def test_accept_creates_a_planned_contact_and_decline_hides(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    reg = make_register(session)
    p = make_participant(session, coach, profile={"occupation_ids": [LAGER, STADARE]})
    ref = f"opening:{reg['day'].id}"
    r = client.post(
        f"/participants/{p.id}/decisions",
        data={"csrf_token": csrf, "offer_ref": ref, "decision": "accepted", "rank_shown": "1",
              "score": "0.8"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text
    decision = session.exec(select(SuggestionDecision)).one()
    assert decision.decision is Decision.accepted and decision.rank_shown == 1
    contact = session.get(EmployerContact, decision.employer_contact_id)
    assert contact.status == ContactStatus.planned
    assert contact.participant_id == p.id and contact.employer_id == reg["lager"].id

    sub = f"opening:{reg['subsidised'].id}"
    assert f'data-offer="{sub}"' in client.get(f"/participants/{p.id}").text
    r = client.post(
        f"/participants/{p.id}/decisions",
        data={"csrf_token": csrf, "offer_ref": sub, "decision": "declined",
              "reason_code": "wrong_hours", "reason_text": "för få timmar"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    assert f'data-offer="{sub}"' not in client.get(f"/participants/{p.id}").text
    shown = client.get(f"/participants/{p.id}?declined=1").text
    assert f'data-offer="{sub}"' in shown and "för få timmar" in shown


def test_decline_without_reason_is_a_field_error_and_stores_nothing(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    reg = make_register(session)
    p = make_participant(session, coach, profile={"occupation_ids": [LAGER]})
    r = client.post(
        f"/participants/{p.id}/decisions",
        data={"csrf_token": csrf, "offer_ref": f"opening:{reg['day'].id}", "decision": "declined"},
    )
    assert r.status_code == 422
    assert "Välj en orsak" in r.text
    assert session.exec(select(SuggestionDecision)).all() == []


def test_accept_of_a_vanished_offer_is_404_and_writes_nothing(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    make_register(session)
    p = make_participant(session, coach)
    r = client.post(
        f"/participants/{p.id}/decisions",
        data={"csrf_token": csrf, "offer_ref": "opening:99999", "decision": "accepted"},
    )
    assert r.status_code == 404
    assert session.exec(select(EmployerContact)).all() == []
    assert session.exec(select(SuggestionDecision)).all() == []


def test_log_contact_job_start_and_follow_along(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    reg = make_register(session)
    p = make_participant(session, coach, days_ago=20)
    today = date.today().isoformat()
    r = client.post(
        f"/participants/{p.id}/contacts",
        data={"csrf_token": csrf, "employer_id": str(reg["krog"].id), "contact_date": today,
              "mode": "visit", "status": "done", "purpose": "Presentera Kim",
              "disclosure_shown": "on"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text
    assert "kontakt gjord dag 20" in client.get("/caseload").text

    r = client.post(
        f"/participants/{p.id}/placements",
        data={"csrf_token": csrf, "title": "Diskare", "employer_id": str(reg["krog"].id),
              "kind": "competitive", "start_date": today, "hours_per_week": "20",
              "wage_at_least_normal": "on"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text
    placement = session.exec(select(Placement)).one()
    assert placement.wage_at_least_normal and placement.hours_per_week == 20
    session.refresh(p)
    assert p.status == "working"

    r = client.post(
        f"/participants/{p.id}/follow-along",
        data={"csrf_token": csrf, "contact_date": today, "mode": "phone",
              "placement_id": str(placement.id), "with_employer": "on"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text
    assert session.exec(select(FollowAlongContact)).one().with_employer


def test_contact_form_errors_are_per_field(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    make_register(session)
    p = make_participant(session, coach)
    future = (date.today() + timedelta(days=3)).isoformat()
    r = client.post(
        f"/participants/{p.id}/contacts",
        data={"csrf_token": csrf, "employer_id": "99999", "contact_date": future,
              "status": "done"},
    )  # fmt: skip
    assert r.status_code == 422
    r = client.post(
        f"/participants/{p.id}/contacts",
        data={"csrf_token": csrf, "employer_id": "abc", "contact_date": "igår"},
    )
    assert r.status_code == 422
    assert "Ange ett datum" in r.text or "Ange ett heltal" in r.text
    assert session.exec(select(EmployerContact)).all() == []


def test_every_participant_read_is_audited(client, login_as, session):
    coach, _ = login_as(Role.coach)
    make_register(session)
    p = make_participant(session, coach)
    client.get(f"/participants/{p.id}")
    actions = {
        (e.action, e.entity)
        for e in session.exec(select(AuditLogEntry).where(AuditLogEntry.participant_id == p.id))
    }
    assert ("read", "participant") in actions
    assert ("read", "suggestions") in actions
