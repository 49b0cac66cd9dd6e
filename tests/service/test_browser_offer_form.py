"""In headless Chromium: conditions ticked in the opening form are saved as condition tags."""

from __future__ import annotations

from sqlmodel import Session, select

from employers.models import Opening
from tests.service.test_browser import (  # noqa: F401  (fixtures and marks)
    ARTIFACTS,
    _logged_in,
    browser,
    pytestmark,
    server,
)


def test_ticked_conditions_are_saved_as_tags(server, browser):  # noqa: F811
    base, engine, ids = server
    ARTIFACTS.mkdir(exist_ok=True)
    page = _logged_in(browser, base)
    with Session(engine) as session:
        employer_id = session.get(Opening, ids["day"]).employer_id
    page.goto(f"{base}/employers/{employer_id}/openings/new")
    page.fill("input[name=title]", "Truckförare")
    page.check("label:has-text('tunga lyft') input.condition-tag")
    page.check("label:has-text('tidiga morgnar') input.condition-tag")
    page.screenshot(path=str(ARTIFACTS / "liaison-1-opening-conditions.png"), full_page=True)
    page.click("form[action$='/openings/new'] button[type=submit]")
    page.wait_for_url(f"{base}/employers/{employer_id}#openings")
    with Session(engine) as session:
        saved = session.exec(select(Opening).where(Opening.title == "Truckförare")).one()
        assert sorted(saved.conditions) == ["early_mornings", "heavy_lifting"]
