"""In headless Chromium: the evaluation report fits a phone (charts shrink, tables scroll)."""

from __future__ import annotations

from sqlmodel import Session

from profiles.models import Role, User
from service.security import hash_password
from tests.service.test_browser import (  # noqa: F401  (fixtures and marks)
    ARTIFACTS,
    PASSWORD,
    browser,
    pytestmark,
    server,
)


def test_the_evaluation_page_fits_a_phone(server, browser):  # noqa: F811
    base, engine, _ids = server
    ARTIFACTS.mkdir(exist_ok=True)
    with Session(engine) as session:
        session.add(User(username="eva", display_name="Eva Evaluator", role=Role.evaluator,
                         password_hash=hash_password(PASSWORD)))  # fmt: skip
        session.commit()
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="sv-SE")
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "eva")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/evaluation")
    assert page.locator(".report img").count() > 0
    page.screenshot(path=str(ARTIFACTS / "evaluator-1-phone.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the evaluation page is {width}px wide on a phone"
