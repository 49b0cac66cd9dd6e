"""Role boundaries over every participant route: own caseload only, no ids guessed across."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from profiles.models import AuditLogEntry, Placement, Role, SuggestionDecision
from tests.conftest import login
from tests.profiles.factories import LAGER, make_participant, make_register

# Every participant route (method, path template, form or JSON body).
PAGE_ROUTES = [
    ("GET", "/participants/{id}", None),
    ("GET", "/participants/{id}/profile/edit", None),
    ("GET", "/participants/{id}/history", None),
    ("POST", "/participants/{id}", {"version": "1", "status": "paused"}),
    ("POST", "/participants/{id}/profile", {"version": "0", "wished_texts": "lager"}),
    ("POST", "/participants/{id}/profile/broaden", {"version": "0", "occupation_id": LAGER}),
    ("POST", "/participants/{id}/coach", {"version": "1", "coach_id": "1"}),
    ("POST", "/participants/{id}/decisions", {"offer_ref": "employer:{emp}", "decision": "saved"}),
    ("POST", "/participants/{id}/contacts",
     {"employer_id": "{emp}", "contact_date": "2024-01-02", "mode": "visit"}),
    ("POST", "/participants/{id}/contacts/1/done", {"version": "1"}),
    ("POST", "/participants/{id}/placements",
     {"title": "Diskare", "start_date": "2024-01-02", "kind": "competitive"}),
    ("POST", "/participants/{id}/placements/{pl}/end",
     {"version": "1", "end_date": "2024-02-02", "end_reason": "quit"}),
    ("POST", "/participants/{id}/follow-along", {"contact_date": "2024-01-02"}),
]  # fmt: skip
API_ROUTES = [
    ("GET", "/api/participants/{id}", None),
    ("POST", "/api/participants/{id}/coach", {"version": 1, "coach_id": 1}),
    ("GET", "/api/participants/{id}/profile", None),
    ("PUT", "/api/participants/{id}/profile", {"version": 0, "wished_texts": ["lager"]}),
    ("GET", "/api/participants/{id}/suggestions", None),
    ("GET", "/api/participants/{id}/decisions", None),
    ("POST", "/api/participants/{id}/decisions",
     {"offer_ref": "employer:{emp}", "decision": "saved"}),
    ("GET", "/api/participants/{id}/placements", None),
    ("POST", "/api/participants/{id}/placements", {"title": "Diskare", "start_date": "2024-01-02"}),
    ("POST", "/api/participants/{id}/placements/{pl}/end",
     {"version": 1, "end_date": "2024-02-02", "end_reason": "quit"}),
    ("POST", "/api/participants/{id}/contacts",
     {"employer_id": "{emp}", "contact_date": "2024-01-02"}),
    ("POST", "/api/participants/{id}/follow-along", {"contact_date": "2024-01-02"}),
]  # fmt: skip


def _fill(body, emp: int):
    if body is None:
        return None
    return {k: v.replace("{emp}", str(emp)) if isinstance(v, str) else v for k, v in body.items()}


def _call(client, method, path, body, csrf, *, json_api):
    if method == "GET":
        return client.get(path, follow_redirects=False)
    if json_api:
        return client.request(method, path, json=body, follow_redirects=False)
    data = {k: str(v) for k, v in (body or {}).items()} | {"csrf_token": csrf}
    return client.request(method, path, data=data, follow_redirects=False)


def _job(session, participant) -> int:
    """A job of this participant (so a placement route reaches a real placement)."""
    job = Placement(participant_id=participant.id, title="Diskare", start_date=date(2024, 1, 2))
    session.add(job)
    session.commit()
    return job.id


@pytest.fixture
def two_caseloads(session, make_user):
    reg = make_register(session)
    mine = make_user(Role.coach, "coach_a")
    other = make_user(Role.coach, "coach_b")
    p_other = make_participant(session, other, code="OTHER-1")
    p_mine = make_participant(session, mine, code="MINE-1")
    return mine, other, p_mine, p_other, reg["krog"].id


@pytest.mark.parametrize(("method", "path", "body"), PAGE_ROUTES + API_ROUTES)
def test_coach_cannot_reach_another_coachs_participant(client, session, two_caseloads, method,
                                                       path, body):  # fmt: skip
    mine, _other, _p_mine, p_other, emp = two_caseloads
    csrf = login(client, mine.username)
    url = path.format(id=p_other.id, pl=_job(session, p_other))
    response = _call(client, method, url, _fill(body, emp), csrf,
                     json_api=url.startswith("/api"))  # fmt: skip
    assert response.status_code in (403, 404), (url, response.status_code, response.text[:300])
    assert session.exec(select(SuggestionDecision)).all() == []
    assert all(job.end_date is None for job in session.exec(select(Placement)))


@pytest.mark.parametrize("role", [Role.liaison, Role.evaluator])
@pytest.mark.parametrize(("method", "path", "body"), PAGE_ROUTES + API_ROUTES)
def test_liaison_and_evaluator_see_no_participant(client, session, two_caseloads, make_user, role,
                                                  method, path, body):  # fmt: skip
    _mine, _other, p_mine, _p_other, emp = two_caseloads
    user = make_user(role)
    csrf = login(client, user.username)
    url = path.format(id=p_mine.id, pl=_job(session, p_mine))
    response = _call(client, method, url, _fill(body, emp), csrf,
                     json_api=url.startswith("/api"))  # fmt: skip
    assert response.status_code == 403, (url, response.status_code)


@pytest.mark.parametrize("role", [Role.liaison, Role.evaluator, Role.coach])
def test_only_admin_reaches_admin_pages(client, make_user, role):
    user = make_user(role)
    login(client, user.username)
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/audit").status_code == 403


@pytest.mark.parametrize("role", [Role.liaison, Role.evaluator])
def test_caseload_is_for_coaches(client, make_user, role):
    user = make_user(role)
    login(client, user.username)
    assert client.get("/caseload").status_code == 403
    assert client.get("/api/participants").status_code == 403


def test_caseload_lists_own_participants_only(client, two_caseloads):
    mine, *_ = two_caseloads
    login(client, mine.username)
    page = client.get("/caseload").text
    assert "MINE-1" in page and "OTHER-1" not in page
    codes = [row["code"] for row in client.get("/api/participants").json()]
    assert codes == ["MINE-1"]


def test_the_list_of_those_who_left_is_own_participants_only(client, session, two_caseloads):
    mine, other, *_ = two_caseloads
    for coach, code in ((mine, "MINE-OUT"), (other, "OTHER-OUT")):
        gone = make_participant(session, coach, code=code)
        gone.status, gone.exit_date = "ended", date(2024, 5, 1)
        session.add(gone)
    session.commit()
    login(client, mine.username)
    page = client.get("/caseload?ended=1").text
    assert "MINE-OUT" in page and "OTHER-OUT" not in page and "MINE-1" not in page
    codes = [row["code"] for row in client.get("/api/participants?ended=true").json()]
    assert codes == ["MINE-OUT"]


def test_denied_access_is_audited(client, session, two_caseloads):
    mine, _other, _p_mine, p_other, _emp = two_caseloads
    login(client, mine.username)
    assert client.get(f"/participants/{p_other.id}").status_code == 403
    denied = session.exec(select(AuditLogEntry).where(AuditLogEntry.action == "denied")).all()
    assert [(e.user_id, e.participant_id) for e in denied] == [(mine.id, p_other.id)]


def test_unknown_participant_is_404(client, login_as):
    login_as(Role.coach)
    assert client.get("/participants/987654").status_code == 404
    assert client.get("/api/participants/987654/profile").status_code == 404


def test_api_needs_login(client):
    assert client.get("/api/participants").status_code == 401


@pytest.mark.parametrize(("method", "path", "body"), [r for r in PAGE_ROUTES if r[0] == "POST"])
def test_forms_without_csrf_are_refused(client, session, two_caseloads, method, path, body):
    mine, _other, p_mine, _p_other, emp = two_caseloads
    login(client, mine.username)
    data = {k: str(v).replace("{emp}", str(emp)) for k, v in body.items()}
    response = client.post(
        path.format(id=p_mine.id, pl=_job(session, p_mine)), data=data, follow_redirects=False
    )
    assert response.status_code == 403
    assert session.exec(select(SuggestionDecision)).all() == []
