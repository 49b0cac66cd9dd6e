"""The register's conflict page (a save over someone else's) speaks the page's language: no
developer message, no field identifiers, occupations by name."""

from __future__ import annotations

from profiles.models import Role
from tests.profiles.factories import LAGER, make_register


def test_employer_conflict_page_reads_as_words(client, login_as, session):
    _user, csrf = login_as(Role.liaison)
    lager = make_register(session)["lager"]
    form = {"csrf_token": csrf, "version": str(lager.version), "name": lager.name,
            "municipality_code": "1780", "occupation_ids": LAGER, "lat": "59.38",
            "lon": "13.5"}  # fmt: skip
    first = client.post(f"/employers/{lager.id}/edit", data={**form, "needs": "Truckkort"},
                        follow_redirects=False)  # fmt: skip
    assert first.status_code == 303
    r = client.post(f"/employers/{lager.id}/edit", data={**form, "needs": "Kvällsskift"})
    assert r.status_code == 409
    assert "Truckkort" in r.text and "Kvällsskift" in r.text
    assert "was changed by someone else" not in r.text
    for identifier in ("occupation_ids", "lat", "lon"):
        assert f"<td>{identifier}</td>" not in r.text, identifier
    assert "Lagerarbetare" in r.text
