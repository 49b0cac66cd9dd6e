"""End to end in headless Chromium (the Debian binary, driven by Playwright): log in, open a
participant, accept a suggestion, log an employer contact. Screenshots go to test-artifacts/."""

from __future__ import annotations

import socket
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from employers.models import ContactStatus, EmployerContact
from profiles.models import Decision, Placement, Role, SuggestionDecision, User
from service import db
from service.config import Settings
from service.security import hash_password
from tests.profiles.factories import LAGER, make_participant, make_register

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "browser test password"  # noqa: S105

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    import uvicorn

    from service.app import create_app

    url = f"sqlite:///{tmp_path / 'browser.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with Session(engine) as session:
        coach = User(username="kim", display_name="Kim Coach", role=Role.coach,
                     password_hash=hash_password(PASSWORD))  # fmt: skip
        session.add(coach)
        session.commit()
        reg = make_register(session)
        p = make_participant(
            session, coach, code="E2E-1", days_ago=25,
            profile={"wished_texts": ["lager"], "occupation_ids": [LAGER], "hours_min": 20,
                     "hours_max": 35, "disclosure": "no"},
        )  # fmt: skip
        job = Placement(participant_id=p.id, title="Diskare", employer_id=reg["krog"].id,
                        start_date=date.today() - timedelta(days=10))  # fmt: skip
        session.add(job)
        session.commit()
        ids = {"participant": p.id, "day": reg["day"].id, "krog": reg["krog"].id, "job": job.id}
    settings = Settings(database_url=url, secret_key="browser-test-secret")
    app = create_app(settings=settings, engine=engine)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", engine, ids
    srv.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        try:
            yield chromium
        finally:
            chromium.close()


def test_coach_accepts_a_suggestion_and_logs_a_contact(server, browser):
    base, engine, ids = server
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "kim")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/caseload")
    assert "om 5 dagar" in page.content()
    page.screenshot(path=str(ARTIFACTS / "coach-1-caseload.png"), full_page=True)

    page.click("text=E2E-1")
    page.wait_for_url(f"{base}/participants/{ids['participant']}")
    item = page.locator(f"li[data-offer='opening:{ids['day']}']")
    assert "Lagerarbetare dagtid" in item.inner_text()
    page.screenshot(path=str(ARTIFACTS / "coach-2-participant.png"), full_page=True)

    item.locator("[data-testid=accept]").click()
    page.wait_for_load_state("load")
    accepted = page.locator(f"li[data-kept='opening:{ids['day']}']")
    assert "accepterad" in accepted.inner_text()
    assert "Förslag: Lagerarbetare dagtid" in page.locator("#contacts").inner_text()

    page.click("#contacts summary:has-text('Logga kontakt')")
    form = page.locator("#contact-form")
    form.locator("select[name=employer_id]").select_option(str(ids["krog"]))
    form.locator("select[name=mode]").select_option("visit")
    form.locator("input[name=purpose]").fill("Presentera deltagaren")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "Presentera deltagaren" in page.locator("#contacts").inner_text()
    assert "kontakt gjord dag 25" in page.locator("[data-testid=clock]").inner_text()
    page.screenshot(path=str(ARTIFACTS / "coach-3-contact-logged.png"), full_page=True)

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="sv-SE")
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{base}/participants/{ids['participant']}")
    width = phone.evaluate("document.documentElement.scrollWidth")
    phone.screenshot(path=str(ARTIFACTS / "coach-4-phone.png"), full_page=True)
    assert width <= 400, f"page is {width}px wide on a phone"

    with Session(engine) as session:
        decision = session.exec(select(SuggestionDecision)).one()
        assert decision.decision is Decision.accepted
        contacts = session.exec(select(EmployerContact).order_by(EmployerContact.id)).all()
        assert [c.status for c in contacts] == [ContactStatus.planned, ContactStatus.done]
        assert contacts[0].id == decision.employer_contact_id


def _logged_in(browser, base, *, width=1280, height=900, lang="sv"):
    page = browser.new_page(viewport={"width": width, "height": height}, locale="sv-SE")
    page.goto(f"{base}/login?lang={lang}")
    page.fill("input[name=username]", "kim")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/caseload")
    return page


def _fits(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "el => el.scrollWidth <= el.clientWidth + 1")


def test_caseload_on_a_phone_shows_status_and_clock_without_sideways_scrolling(server, browser):
    base, _engine, _ids = server
    ARTIFACTS.mkdir(exist_ok=True)
    page = _logged_in(browser, base, width=390, height=844)
    page.screenshot(path=str(ARTIFACTS / "coach-5-caseload-phone.png"), full_page=True)
    assert _fits(page, "table.caseload"), "the caseload table scrolls sideways on a phone"
    for testid in ("status", "clock"):
        box = page.locator(f"[data-testid={testid}]").first.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390, testid


def test_quick_link_opens_the_contact_form_and_shows_the_disclosure_choice(server, browser):
    base, _engine, ids = server
    page = _logged_in(browser, base, width=390, height=844)
    page.goto(f"{base}/participants/{ids['participant']}")
    page.click("[data-testid=quick-actions] a[data-open=log-contact]")
    form = page.locator("#contact-form")
    form.wait_for(state="visible")
    assert page.eval_on_selector("#log-contact", "el => el.open")
    note = form.locator("[data-testid=disclosure-note]").inner_text()
    assert "nej" in note and "berätta ingenting" in note
    page.screenshot(path=str(ARTIFACTS / "coach-6-quick-contact-phone.png"), full_page=False)


def test_profile_form_labels_sit_above_their_fields(server, browser):
    base, _engine, ids = server
    page = _logged_in(browser, base)
    page.goto(f"{base}/participants/{ids['participant']}/profile/edit")
    for name in ("wished_texts", "enjoys", "work_history", "accommodations", "refusals_text"):
        field = page.locator(f"[name={name}]").bounding_box()
        label = page.locator(f"label:has([name={name}])").bounding_box()
        assert abs(field["x"] - label["x"]) < 2, f"{name} sits beside its label"
    page.screenshot(path=str(ARTIFACTS / "coach-7-profile-form.png"), full_page=True)


def test_history_fits_a_phone(server, browser):
    base, _engine, ids = server
    page = _logged_in(browser, base)
    page.goto(f"{base}/participants/{ids['participant']}/profile/edit")
    page.fill("textarea[name=work_history]", "Diskare i tre år på en lunchrestaurang i centrum")
    page.click("#profile-form button[type=submit]:has-text('Spara')")
    page.wait_for_url(f"{base}/participants/{ids['participant']}")
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{base}/participants/{ids['participant']}/history")
    assert _fits(phone, ".revision table"), "history rows are cut off on a phone"


def test_coach_ends_a_job_in_english(server, browser):
    base, engine, ids = server
    page = _logged_in(browser, base, lang="en")
    page.goto(f"{base}/participants/{ids['participant']}#placements")
    item = page.locator(f"li[data-placement='{ids['job']}']")
    item.locator("summary:has-text('End')").click()
    item.locator("select[name=end_reason]").select_option("other")
    item.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "Describe the reason." in page.locator(f"#end-form-{ids['job']}").inner_text()
    form = page.locator(f"#end-form-{ids['job']}")
    form.locator("input[name=end_reason_text]").fill("Moved to another town")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    text = page.locator(f"li[data-placement='{ids['job']}']").inner_text()
    assert "ended" in text and "Other (describe): Moved to another town" in text
    page.screenshot(path=str(ARTIFACTS / "coach-8-job-ended.png"), full_page=True)
    with Session(engine) as session:
        job = session.get(Placement, ids["job"])
        assert job.end_date == date.today() and job.end_reason == "other"


def test_a_form_error_far_down_the_page_is_scrolled_into_view(server, browser):
    base, _engine, ids = server
    page = _logged_in(browser, base, width=390, height=844)
    page.goto(f"{base}/participants/{ids['participant']}#log-contact")
    form = page.locator("#contact-form")
    form.locator("select[name=employer_id]").select_option(str(ids["krog"]))
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    form.locator("input[name=contact_date]").fill(tomorrow)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    error = page.locator("#contact-form .field-error")
    assert "framtiden" in error.inner_text()
    box = error.bounding_box()
    assert box is not None and 0 <= box["y"] <= 844, "the error is off screen"
    assert form.locator("select[name=employer_id]").input_value() == str(ids["krog"])
    page.screenshot(path=str(ARTIFACTS / "coach-9-contact-error-phone.png"))
