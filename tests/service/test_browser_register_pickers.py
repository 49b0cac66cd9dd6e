"""In headless Chromium: a liaison adds an occupation to an employer by searching words and
picks the municipality by name; both are saved as the register's codes."""

from __future__ import annotations

from sqlmodel import Session, select

from employers.models import Employer
from tests.profiles.factories import KOCK, LAGER
from tests.service.test_browser import (  # noqa: F401  (fixtures and marks)
    ARTIFACTS,
    _logged_in,
    browser,
    pytestmark,
    server,
)


def _edit_lager(server, browser):  # noqa: F811
    """The employer form of Värmlands Lager AB, signed in: (page, employer id)."""
    base, engine, _ = server
    ARTIFACTS.mkdir(exist_ok=True)
    with Session(engine) as session:
        lager = session.exec(select(Employer).where(Employer.name == "Värmlands Lager AB")).one()
    page = _logged_in(browser, base)
    page.goto(f"{base}/employers/{lager.id}/edit")
    return page, lager.id


def test_occupation_search_and_municipality_by_name(server, browser):  # noqa: F811
    base, engine, _ = server
    page, lager_id = _edit_lager(server, browser)
    page.fill("#employer-occupation-search", "kock à la carte")
    page.locator("#employer-occupation-results button").first.wait_for()
    page.locator("#employer-occupation-results button:has-text('Kock à la carte')").first.click()
    page.select_option("select[name=municipality_code]", label="Hammarö")
    page.screenshot(path=str(ARTIFACTS / "liaison-2-employer-pickers.png"), full_page=True)
    page.click("form[action$='/edit'] button[type=submit]")
    page.wait_for_url(f"{base}/employers/{lager_id}")
    with Session(engine) as session:
        saved = session.get(Employer, lager_id)
        assert saved.occupation_ids == [LAGER, KOCK]
        assert saved.municipality_code == "1761"


def test_occupation_autocomplete_while_typing(server, browser):  # noqa: F811
    """Typed one key at a time, a word stub lists the names it begins; a job title is shown
    beside the occupation it leads to."""
    page, _ = _edit_lager(server, browser)
    search = page.locator("#employer-occupation-search")
    results = page.locator("#employer-occupation-results button")
    search.press_sequentially("underskö", delay=40)
    page.wait_for_function(
        "document.querySelectorAll('#employer-occupation-results button').length > 0"
        " && document.querySelector('#employer-occupation-results button')"
        ".textContent.includes('Undersköterska')"
    )
    first_three = results.all_inner_texts()[:3]
    assert all("Undersköterska" in text for text in first_three), first_three
    page.screenshot(path=str(ARTIFACTS / "liaison-3-occupation-autocomplete.png"), full_page=True)
    search.fill("")
    search.press_sequentially("postilj", delay=40)
    page.locator("#employer-occupation-results button:has-text('Postiljon')").first.wait_for()
    assert any(text.startswith("Brevbärare – Postiljon") for text in results.all_inner_texts()), (
        results.all_inner_texts()
    )
    # By keyboard: down to the second listed occupation, back up, down again, Enter picks it.
    search.fill("")
    search.press_sequentially("kökschef", delay=40)
    page.wait_for_function(
        "(document.querySelector('#employer-occupation-results button') || {}).textContent"
        " === 'Kökschef (1720)'"
    )
    second = results.nth(1).inner_text().split(" (")[0].split(" – ")[0]
    for key in ("ArrowDown", "ArrowDown", "ArrowUp", "ArrowDown", "Enter"):
        page.keyboard.press(key)
    chosen = page.locator("#employer-occupations .chip").all_inner_texts()
    assert any(second in text for text in chosen), (second, chosen)
    assert results.count() == 0 and search.input_value() == ""
