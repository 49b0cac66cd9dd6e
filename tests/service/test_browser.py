"""End to end in headless Chromium (the Debian binary, driven by Playwright): log in, open a
participant, accept a suggestion, log an employer contact. Screenshots go to test-artifacts/."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from sqlmodel import Session, select

from employers.models import ContactStatus, EmployerContact
from profiles.models import Decision, Role, SuggestionDecision, User
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
        ids = {"participant": p.id, "day": reg["day"].id, "krog": reg["krog"].id}
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
