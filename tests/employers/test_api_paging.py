"""Totals and page links of the register's JSON lists (/api/employers, /api/contacts,
/api/openings, /api/slots): the body stays a plain JSON list, the total over all pages is in
X-Total-Count and the neighbouring pages are RFC 8288 links keeping the filters (synthetic
employers only)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, select

from employers import service
from employers.models import (
    ContactMode,
    ContactStatus,
    Employer,
    EmployerContact,
    Opening,
    OpeningStatus,
    PracticeSlot,
)
from employers.relationship import RelationshipStatus
from profiles.models import Role

KARLSTAD = "1780"
HAMMARO = "1761"
LINK = re.compile(r'<([^>]*)>;\s*rel="([^"]+)"')
TODAY = date.today()


def _add_employers(session: Session, count: int, municipality_code: str = KARLSTAD) -> None:
    """``count`` employers named ``Arbetsgivare 0001``... , inserted out of name order."""
    numbers = list(range(1, count + 1))
    order = numbers[1::2] + numbers[::2][::-1]  # neither by name nor by id
    session.add_all(
        Employer(name=f"Arbetsgivare {n:04d}", municipality_code=municipality_code) for n in order
    )
    session.commit()


def _expected(first: int, last: int) -> list[str]:
    return [f"Arbetsgivare {n:04d}" for n in range(first, last + 1)]


def _links(response) -> dict[str, dict[str, list[str]]]:
    """rel -> the query of the linked page, parsed; also checks each link's path."""
    header = response.headers.get("link")
    if header is None:
        return {}
    found = {}
    for url, rel in LINK.findall(header):
        parts = urlsplit(url)
        assert parts.path == urlsplit(str(response.url)).path
        found[rel] = parse_qs(parts.query)
    assert len(found) == header.count("rel="), header
    return found


@pytest.fixture
def register(session: Session) -> Session:
    """250 employers in Karlstad, three in Hammarö whose names sort after them."""
    _add_employers(session, 250)
    session.add_all(
        Employer(name=f"Hammarö Bygg {n}", municipality_code=HAMMARO) for n in (1, 2, 3)
    )
    session.commit()
    return session


@pytest.fixture
def liaison(login_as):
    return login_as(Role.liaison)


# ------------------------------------------------------------------ /api/employers


def test_first_page_links_only_to_the_next(client, liaison, register):
    response = client.get("/api/employers", params={"municipality_code": KARLSTAD, "limit": 100})
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list), "the body stays a plain JSON list"
    assert [e["name"] for e in body] == _expected(1, 100)
    assert response.headers["x-total-count"] == "250"
    assert _links(response) == {
        "next": {"municipality_code": [KARLSTAD], "limit": ["100"], "offset": ["100"]}
    }


def test_middle_page_links_both_ways(client, liaison, register):
    response = client.get(
        "/api/employers", params={"municipality_code": KARLSTAD, "limit": 100, "offset": 100}
    )
    assert [e["name"] for e in response.json()] == _expected(101, 200)
    assert response.headers["x-total-count"] == "250"
    links = _links(response)
    assert links["next"] == {"municipality_code": [KARLSTAD], "limit": ["100"], "offset": ["200"]}
    assert links["prev"] == {"municipality_code": [KARLSTAD], "limit": ["100"], "offset": ["0"]}


def test_last_page_links_only_to_the_previous(client, liaison, register):
    response = client.get(
        "/api/employers", params={"municipality_code": KARLSTAD, "limit": 100, "offset": 200}
    )
    assert [e["name"] for e in response.json()] == _expected(201, 250)
    assert response.headers["x-total-count"] == "250"
    assert _links(response) == {
        "prev": {"municipality_code": [KARLSTAD], "limit": ["100"], "offset": ["100"]}
    }


def test_following_next_links_walks_the_whole_register_once(client, liaison, register):
    names: list[str] = []
    response = client.get("/api/employers", params={"limit": 100})
    while True:
        names += [e["name"] for e in response.json()]
        assert response.headers["x-total-count"] == "253"
        next_link = re.search(r'<([^>]*)>;\s*rel="next"', response.headers.get("link", ""))
        if next_link is None:
            break
        response = client.get(next_link.group(1))
    assert names == [*_expected(1, 250), "Hammarö Bygg 1", "Hammarö Bygg 2", "Hammarö Bygg 3"]


def test_offset_past_the_end_is_an_empty_list_with_the_total(client, liaison, register):
    response = client.get(
        "/api/employers", params={"municipality_code": KARLSTAD, "limit": 100, "offset": 1000}
    )
    assert response.status_code == 200
    assert response.json() == []
    assert response.headers["x-total-count"] == "250"
    # The previous page is the last one with rows, not another empty one.
    assert _links(response) == {
        "prev": {"municipality_code": [KARLSTAD], "limit": ["100"], "offset": ["150"]}
    }


def test_no_rows_is_a_total_of_zero_and_no_links(client, liaison, register):
    response = client.get("/api/employers", params={"q": "finns inte", "offset": 100})
    assert response.status_code == 200
    assert response.json() == []
    assert response.headers["x-total-count"] == "0"
    assert "link" not in response.headers


def test_an_empty_register_has_a_total_of_zero(client, liaison):
    response = client.get("/api/employers")
    assert response.json() == []
    assert response.headers["x-total-count"] == "0"
    assert "link" not in response.headers


def test_one_page_holding_everything_has_no_links(client, liaison, register):
    response = client.get("/api/employers", params={"municipality_code": HAMMARO})
    assert len(response.json()) == 3
    assert response.headers["x-total-count"] == "3"
    assert "link" not in response.headers


def test_a_page_ending_exactly_at_the_last_row_has_no_next(client, liaison, register):
    response = client.get(
        "/api/employers", params={"municipality_code": KARLSTAD, "limit": 50, "offset": 200}
    )
    assert len(response.json()) == 50
    assert set(_links(response)) == {"prev"}


def test_the_count_respects_every_filter(client, liaison, register, session):
    hammaro_bygg = list(session.exec(_by_municipality(HAMMARO)))
    session.add(Opening(employer_id=hammaro_bygg[0].id, title="Snickare"))
    session.add(
        Opening(employer_id=hammaro_bygg[1].id, title="Målare", status=OpeningStatus.closed)
    )
    session.add(
        EmployerContact(
            employer_id=hammaro_bygg[2].id,
            contact_date=TODAY - timedelta(days=3),
            mode=ContactMode.visit,
            status=ContactStatus.done,
        )
    )
    first = session.exec(_by_name("Arbetsgivare 0001")).one()
    first.ssyk4_codes = ["4322"]
    session.add(first)
    session.commit()
    cases = [
        ({"q": "hammarö"}, 3),
        ({"q": "ARBETSGIVARE 01"}, 100),  # 0100-0199
        ({"municipality_code": HAMMARO}, 3),
        ({"municipality_code": KARLSTAD, "q": "bygg"}, 0),
        ({"has_openings": "true"}, 1),
        ({"has_openings": "false"}, 252),
        ({"ssyk4_code": "4322"}, 1),
        ({"status": RelationshipStatus.new.value}, 252),
        ({"status": RelationshipStatus.new.value, "municipality_code": HAMMARO}, 2),
    ]
    for params, total in cases:
        response = client.get("/api/employers", params={**params, "limit": 10})
        assert response.status_code == 200, params
        assert response.headers["x-total-count"] == str(total), params
        assert len(response.json()) == min(total, 10), params
        links = _links(response)
        if total > 10:
            kept = {k: [str(v)] for k, v in params.items()}
            assert links["next"] == {**kept, "limit": ["10"], "offset": ["10"]}, params
        else:
            assert links == {}, params


def _by_municipality(code: str):
    return select(Employer).where(Employer.municipality_code == code).order_by(Employer.name)


def _by_name(name: str):
    return select(Employer).where(Employer.name == name)


def test_the_slice_and_the_count_agree_with_the_list(register):
    for filters in (
        {},
        {"municipality_code": HAMMARO},
        {"q": "arbetsgivare 02"},
        {"status": RelationshipStatus.new},
    ):
        found = service.list_employers_slice(register, limit=7, offset=45, **filters)
        assert found.total == service.count_employers(register, **filters)
        listed = service.list_employers(register, limit=7, offset=45, **filters)
        assert [r.employer.id for r in found.rows] == [r.employer.id for r in listed]


# ------------------------------------------------------------------ contacts, openings, slots


@pytest.fixture
def offers(session: Session) -> dict[str, Employer]:
    """Two employers: 'lager' with 25 openings (5 closed), 12 slots and 30 contacts; 'krog'
    with 2 openings, 1 slot and 4 contacts."""
    lager = Employer(name="Värmlands Lager AB", municipality_code=KARLSTAD)
    krog = Employer(name="Restaurang Sandgrund", municipality_code=KARLSTAD)
    session.add_all([lager, krog])
    session.commit()
    for employer, openings, slots, contacts in ((lager, 25, 12, 30), (krog, 2, 1, 4)):
        session.add_all(
            Opening(
                employer_id=employer.id,
                title=f"Jobb {n}",
                status=OpeningStatus.closed if n < 5 and employer is lager else OpeningStatus.open,
            )
            for n in range(openings)
        )
        session.add_all(
            PracticeSlot(employer_id=employer.id, title=f"Praktik {n}") for n in range(slots)
        )
        session.add_all(
            EmployerContact(
                employer_id=employer.id,
                contact_date=TODAY - timedelta(days=n % 7),
                mode=ContactMode.phone,
            )
            for n in range(contacts)
        )
    session.commit()
    return {"lager": lager, "krog": krog}


@pytest.mark.parametrize(
    ("path", "filters", "total"),
    [
        ("/api/openings", {}, 27),
        ("/api/openings", {"employer_id": "lager"}, 25),
        ("/api/openings", {"employer_id": "lager", "status": "open"}, 20),
        ("/api/openings", {"status": "closed"}, 5),
        ("/api/openings", {"status": "filled"}, 0),
        ("/api/slots", {}, 13),
        ("/api/slots", {"employer_id": "krog"}, 1),
        ("/api/slots", {"status": "closed"}, 0),
        ("/api/contacts", {}, 34),
        ("/api/contacts", {"employer_id": "lager"}, 30),
    ],
)
def test_lists_page_with_a_total_and_links(client, liaison, offers, path, filters, total):
    params = {k: (offers[v].id if k == "employer_id" else v) for k, v in filters.items()}
    everything = client.get(path, params={**params, "limit": 1000}).json()
    assert len(everything) == total
    assert client.get(path, params=params).headers["x-total-count"] == str(total)

    seen: list[int] = []
    limit = 4
    for offset in range(0, total + limit, limit):
        response = client.get(path, params={**params, "limit": limit, "offset": offset})
        assert response.status_code == 200
        assert response.headers["x-total-count"] == str(total)
        rows = response.json()
        seen += [r["id"] for r in rows]
        kept = {k: [str(v)] for k, v in params.items()}
        expected = {}
        if offset + limit < total:
            expected["next"] = {**kept, "limit": [str(limit)], "offset": [str(offset + limit)]}
        if 0 < offset and total:
            previous = max(0, min(offset - limit, total - limit))
            expected["prev"] = {**kept, "limit": [str(limit)], "offset": [str(previous)]}
        assert _links(response) == expected, offset
    assert seen == [r["id"] for r in everything], "the pages cover the list once, in order"


def test_counts_agree_with_the_lists(session, offers):
    lager = offers["lager"].id
    for employer_id in (None, lager, 999_999):
        assert service.count_contacts(session, employer_id=employer_id) == len(
            service.list_contacts(session, employer_id=employer_id, limit=10_000)
        )
        for status in (None, *OpeningStatus):
            assert service.count_openings(session, employer_id=employer_id, status=status) == len(
                service.list_openings(session, employer_id=employer_id, status=status, limit=10_000)
            )
            assert service.count_slots(session, employer_id=employer_id, status=status) == len(
                service.list_slots(session, employer_id=employer_id, status=status, limit=10_000)
            )


def test_contacts_page_with_offset(session, offers):
    everything = service.list_contacts(session, limit=10_000)
    pages = [service.list_contacts(session, limit=10, offset=o) for o in range(0, 40, 10)]
    assert [c.id for page in pages for c in page] == [c.id for c in everything]


# ------------------------------------------------------------------ the API's description


@pytest.mark.parametrize("path", ["/api/employers", "/api/contacts", "/api/openings", "/api/slots"])
def test_openapi_describes_the_paging_headers(client, path):
    spec = client.get("/openapi.json").json()
    get = spec["paths"][path]["get"]
    ok = get["responses"]["200"]
    assert set(ok["headers"]) == {"X-Total-Count", "Link"}
    assert ok["headers"]["X-Total-Count"]["schema"]["type"] == "integer"
    assert ok["headers"]["Link"]["schema"]["type"] == "string"
    assert ok["content"]["application/json"]["schema"]["type"] == "array"
    assert {"limit", "offset"} <= {p["name"] for p in get["parameters"]}
