"""In headless Chromium: "Broaden with all" on the profile form adds every near occupation shown
to the chosen ones without throwing away what the coach has typed but not yet saved."""

from __future__ import annotations

from sqlmodel import Session, select

from profiles.models import CareerProfile
from tests.service.test_browser import (  # noqa: F401  (fixtures and marks)
    ARTIFACTS,
    _logged_in,
    browser,
    pytestmark,
    server,
)


def test_broaden_with_all_keeps_unsaved_edits(server, browser):  # noqa: F811
    base, engine, ids = server
    ARTIFACTS.mkdir(exist_ok=True)
    page = _logged_in(browser, base)
    page.goto(f"{base}/participants/{ids['participant']}/profile/edit")
    page.fill("textarea[name=work_history]", "Diskare i två år")
    shown = page.locator("div.broaden").first.locator("button.chip.add")
    near = [shown.nth(i).get_attribute("data-id") for i in range(shown.count())]
    assert near, "no near occupations offered"
    page.locator("div.broaden").first.locator("button:has-text('Bredda med alla')").click()
    assert page.input_value("textarea[name=work_history]") == "Diskare i två år"
    chosen = page.locator("#chosen-occupations input[name=occupation_ids]:checked")
    values = {chosen.nth(i).get_attribute("value") for i in range(chosen.count())}
    assert set(near) <= values
    page.screenshot(path=str(ARTIFACTS / "coach-10-broadened.png"), full_page=True)
    page.click("#profile-form button[type=submit]:has-text('Spara')")
    page.wait_for_url(f"{base}/participants/{ids['participant']}")
    with Session(engine) as session:
        profile = session.exec(
            select(CareerProfile).where(CareerProfile.participant_id == ids["participant"])
        ).one()
        assert profile.work_history == "Diskare i två år"
        assert set(near) <= set(profile.occupation_ids)
