"""The register's forms let a liaison pick a municipality by name and occupations by searching
words, instead of typing municipality codes (1780) and taxonomy concept ids (sizv_uPq_nWf)."""

from __future__ import annotations

import re

from profiles.models import Role
from tests.profiles.factories import LAGER, make_register


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no <select name={name}>"
    return match.group(1)


def test_municipality_is_picked_by_name_in_every_register_form(client, login_as, session):
    login_as(Role.liaison)
    reg = make_register(session)
    lager = reg["lager"]
    pages = ["/employers/new", f"/employers/{lager.id}/edit", f"/employers/{lager.id}",
             f"/employers/{lager.id}/openings/new", f"/employers/{lager.id}/slots/new"]  # fmt: skip
    for url in pages:
        html = client.get(url).text
        options = _select(html, "municipality_code")
        assert re.search(r'<option value="1780"[^>]*>\s*Karlstad\s*</option>', options), url
        assert 'placeholder="1780"' not in html, url
    edit = _select(client.get(f"/employers/{lager.id}/edit").text, "municipality_code")
    assert re.search(r'<option value="1780" selected>', edit)


def test_employer_occupations_are_shown_by_name_with_a_search(client, login_as, session):
    login_as(Role.liaison)
    lager = make_register(session)["lager"]
    html = client.get(f"/employers/{lager.id}/edit").text
    assert 'id="employer-occupation-search"' in html
    assert re.search(rf'<input type="checkbox" class="occupation-pick" value="{LAGER}" checked>\s*'
                     r"Lagerarbetare", html)  # fmt: skip
    assert f'name="occupation_ids" id="occupation-ids-value" value="{LAGER}"' in html


def test_the_merge_page_names_the_municipality(client, login_as, session):
    login_as(Role.liaison)
    reg = make_register(session)
    page = client.get(f"/employers/{reg['lager'].id}/merge?other={reg['stad'].id}").text
    assert "<td>Karlstad</td>" in page and "<td>1780</td>" not in page


def test_new_openings_and_slots_start_at_one_place(client, login_as, session):
    login_as(Role.liaison)
    lager = make_register(session)["lager"]
    opening = client.get(f"/employers/{lager.id}/openings/new").text
    assert re.search(r'name="vacancies" value="1"', opening)
    slot = client.get(f"/employers/{lager.id}/slots/new").text
    assert re.search(r'name="capacity" value="1"', slot)
