"""Paging of the liaison page /employers: 100 employers a page, the total, and links to the
previous and next pages that keep the filters (synthetic employers only)."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlmodel import Session

from employers import service
from employers.models import Employer, Opening, OpeningStatus
from employers.relationship import RelationshipStatus
from profiles.models import Role
from service.routes.employers import _number

KARLSTAD = "1780"
HAMMARO = "1761"
NAME = re.compile(r'<a href="/employers/\d+">([^<]+)</a>')
HX = {"HX-Request": "true"}


def _add_employers(session: Session, count: int, municipality_code: str = KARLSTAD) -> None:
    """``count`` employers named ``Arbetsgivare 0001``... , inserted out of name order."""
    numbers = list(range(1, count + 1))
    order = numbers[1::2] + numbers[::2][::-1]  # neither by name nor by id
    session.add_all(
        Employer(name=f"Arbetsgivare {n:04d}", municipality_code=municipality_code) for n in order
    )
    session.commit()


def _names(page_html: str) -> list[str]:
    return NAME.findall(page_html)


def _expected(first: int, last: int) -> list[str]:
    return [f"Arbetsgivare {n:04d}" for n in range(first, last + 1)]


def _link(page_html: str, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}"', page_html)
    return html.unescape(match.group(1)) if match else None


@pytest.fixture
def register(session: Session) -> Session:
    """130 employers in Karlstad, and three in Hammarö whose names sort after them."""
    _add_employers(session, 130)
    session.add_all(
        Employer(name=f"Hammarö Bygg {n}", municipality_code=HAMMARO) for n in (1, 2, 3)
    )
    session.commit()
    return session


def test_first_page_shows_the_first_hundred_by_name_and_the_total(client, login_as, register):
    login_as(Role.liaison)
    page = client.get("/employers", params={"municipality_code": KARLSTAD, "lang": "sv"})
    assert page.status_code == 200
    assert _names(page.text) == _expected(1, 100)
    assert "Visar 1–100 av 130 arbetsgivare" in page.text
    assert "Sida 1 av 2" in page.text
    assert _link(page.text, "prev") is None
    assert _link(page.text, "next") == f"/employers?municipality_code={KARLSTAD}&page=2"


def test_second_page_shows_the_rest(client, login_as, register):
    login_as(Role.liaison)
    page = client.get("/employers", params={"municipality_code": KARLSTAD, "page": 2, "lang": "sv"})
    assert page.status_code == 200
    assert _names(page.text) == _expected(101, 130)
    assert "Visar 101–130 av 130 arbetsgivare" in page.text
    assert _link(page.text, "next") is None
    assert _link(page.text, "prev") == f"/employers?municipality_code={KARLSTAD}&page=1"
    english = client.get(
        "/employers", params={"municipality_code": KARLSTAD, "page": 2, "lang": "en"}
    )
    assert "Showing 101–130 of 130 employers" in english.text
    assert "Page 2 of 2" in english.text and "Previous page" in english.text


def test_without_filters_every_employer_is_on_some_page(client, login_as, register):
    login_as(Role.liaison)
    first = client.get("/employers", params={"lang": "sv"})
    assert "Visar 1–100 av 133 arbetsgivare" in first.text
    assert _link(first.text, "next") == "/employers?page=2"
    second = client.get(_link(first.text, "next"))
    assert _names(second.text) == [
        *_expected(101, 130),
        "Hammarö Bygg 1",
        "Hammarö Bygg 2",
        "Hammarö Bygg 3",
    ]
    assert "Visar 101–133 av 133 arbetsgivare" in second.text


def test_next_link_keeps_every_filter(client, login_as, register):
    login_as(Role.liaison)
    params = {"q": "arbetsgivare", "municipality_code": KARLSTAD, "status": "new", "lang": "sv"}
    page = client.get("/employers", params=params)
    assert "Visar 1–100 av 130 arbetsgivare" in page.text
    following = _link(page.text, "next")
    assert following is not None
    assert "q=arbetsgivare" in following and f"municipality_code={KARLSTAD}" in following
    assert "status=new" in following and "page=2" in following
    second = client.get(following)
    assert _names(second.text) == _expected(101, 130)
    assert "Visar 101–130 av 130 arbetsgivare" in second.text


def test_filters_narrow_the_total_and_the_pages(client, login_as, register):
    login_as(Role.liaison)
    # "Arbetsgivare 01" matches 0100-0130 only: one page, no links.
    page = client.get("/employers", params={"q": "Arbetsgivare 01", "lang": "sv"})
    assert _names(page.text) == _expected(100, 130)
    assert "Visar 1–31 av 31 arbetsgivare" in page.text
    assert _link(page.text, "next") is None and _link(page.text, "prev") is None
    hammaro = client.get("/employers", params={"municipality_code": HAMMARO, "lang": "sv"})
    assert _names(hammaro.text) == ["Hammarö Bygg 1", "Hammarö Bygg 2", "Hammarö Bygg 3"]
    assert "Visar 1–3 av 3 arbetsgivare" in hammaro.text
    nobody = client.get("/employers", params={"status": "dormant", "lang": "sv"})
    assert "Inga arbetsgivare matchar." in nobody.text and "Visar" not in nobody.text


def test_has_openings_filter_counts_open_openings_only(client, login_as, register):
    login_as(Role.liaison)
    by_name = {e.employer.name: e.employer for e in service.list_employers(register, limit=500)}
    for number, status in ((5, OpeningStatus.open), (125, OpeningStatus.open), (9, "filled")):
        employer = by_name[f"Arbetsgivare {number:04d}"]
        register.add(Opening(employer_id=employer.id, title="Lagerarbetare", status=status))
    register.commit()
    page = client.get("/employers", params={"has_openings": "1", "lang": "sv"})
    assert _names(page.text) == ["Arbetsgivare 0005", "Arbetsgivare 0125"]
    assert "Visar 1–2 av 2 arbetsgivare" in page.text


def test_htmx_filter_answer_carries_rows_and_paging_line_together(client, login_as, register):
    login_as(Role.liaison)
    full = client.get("/employers", params={"page": 2, "lang": "sv"})
    # The filter form has no page field (a filter change starts from page 1) and the
    # paging line lies inside the element the form's answer replaces.
    form = re.search(r"<form[^>]*hx-get[^>]*>.*?</form>", full.text, re.S)
    assert form is not None and 'name="page"' not in form.group(0)
    assert 'hx-target="#employer-rows"' in form.group(0)
    rows_at = full.text.index('id="employer-rows"')
    assert full.text.index("Visar 101–133 av 133") > rows_at
    assert full.text.index('rel="prev"') > rows_at
    # What the form sends on a change: the filters, no page.
    partial = client.get(
        "/employers", params={"municipality_code": KARLSTAD, "lang": "sv"}, headers=HX
    )
    assert partial.status_code == 200 and "<html" not in partial.text
    assert _names(partial.text) == _expected(1, 100)
    assert "Visar 1–100 av 130 arbetsgivare" in partial.text
    assert _link(partial.text, "next") == f"/employers?municipality_code={KARLSTAD}&page=2"
    assert "HX-Request" in partial.headers.get("vary", "")
    # htmx asking for a page it lost from its history cache gets the whole page.
    restore = client.get("/employers", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


@pytest.mark.parametrize(
    ("page", "shown"),
    [("0", (1, 100)), ("-3", (1, 100)), ("3", (101, 130)), ("99999999999999999999", (101, 130))],
)
def test_out_of_range_page_shows_the_nearest_page(client, login_as, register, page, shown):
    login_as(Role.liaison)
    response = client.get(
        "/employers", params={"municipality_code": KARLSTAD, "page": page, "lang": "sv"}
    )
    assert response.status_code == 200
    assert _names(response.text) == _expected(*shown)
    assert f"Visar {shown[0]}–{shown[1]} av 130 arbetsgivare" in response.text


@pytest.mark.parametrize("page", ["abc", "1.5", "", "2e3"])
def test_nonsense_page_is_invalid_input_naming_the_field(client, login_as, register, page):
    login_as(Role.liaison)
    for headers in ({}, HX):
        response = client.get("/employers", params={"page": page}, headers=headers)
        assert response.status_code == 422, page
        assert "page" in response.text


def test_thousands_are_written_as_in_each_language(client, login_as, session: Session):
    login_as(Role.liaison)
    _add_employers(session, 1234)
    page = client.get("/employers", params={"page": 2, "lang": "sv"})
    assert _names(page.text) == _expected(101, 200)
    assert "Visar 101–200 av 1\u00a0234 arbetsgivare" in page.text
    last = client.get("/employers", params={"page": 13, "lang": "en"})
    assert _names(last.text) == _expected(1201, 1234)
    assert "Showing 1,201–1,234 of 1,234 employers" in last.text
    assert "Page 13 of 13" in last.text
    assert _number(1234, "sv") == "1\u00a0234" and _number(1234, "en") == "1,234"


def test_api_limit_and_offset_still_page_the_register(client, login_as, register):
    login_as(Role.liaison)
    first = client.get("/api/employers", params={"limit": 100})
    rest = client.get("/api/employers", params={"limit": 100, "offset": 100})
    names = [e["name"] for e in first.json() + rest.json()]
    assert names == [*_expected(1, 130), "Hammarö Bygg 1", "Hammarö Bygg 2", "Hammarö Bygg 3"]


def test_page_total_agrees_with_the_list_under_every_filter(register):
    today = date.today()
    cases = [
        {},
        {"municipality_code": KARLSTAD},
        {"q": "bygg"},
        {"status": RelationshipStatus.new},
        {"status": RelationshipStatus.dormant},
        {"has_openings": False},
        {"q": "Arbetsgivare 00", "municipality_code": KARLSTAD},
    ]
    for filters in cases:
        everything = service.list_employers(register, today=today, limit=10_000, **filters)
        count = service.count_employers(register, today=today, **filters)
        paged: list[str] = []
        result = service.list_employers_page(register, today=today, per_page=40, **filters)
        while True:
            assert result.total == count == len(everything), filters
            paged += [r.employer.name for r in result.rows]
            if not result.has_next:
                break
            result = service.list_employers_page(
                register, today=today, per_page=40, page=result.page + 1, **filters
            )
        assert paged == [r.employer.name for r in everything], filters
    with pytest.raises(ValueError, match="per_page"):
        service.list_employers_page(register, per_page=0)
