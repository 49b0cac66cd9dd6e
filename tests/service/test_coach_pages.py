"""What a coach sees on the participant page: regression tests for confusing or broken spots."""

from __future__ import annotations

import re
from datetime import date, timedelta

from employers.models import ContactStatus, EmployerContact, Opening
from profiles.models import Role
from tests.profiles.factories import KARLSTAD, LAGER, STADARE, make_participant, make_register


def _between(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i : html.index(end, i)]


def test_every_form_that_reaches_an_employer_shows_the_disclosure_choice(client, login_as, session):
    coach, _ = login_as(Role.coach)
    make_register(session)
    p = make_participant(session, coach, profile={"occupation_ids": [LAGER], "disclosure": "no"})
    page = client.get(f"/participants/{p.id}").text
    for form in ('id="contact-form"', f'action="/participants/{p.id}/placements"',
                 f'action="/participants/{p.id}/follow-along"'):  # fmt: skip
        inside = _between(page, form, "</form>")
        assert "Deltagaren har sagt nej" in inside, form
    english = client.get(f"/participants/{p.id}?lang=en").text
    assert "The participant said no" in _between(english, 'id="contact-form"', "</form>")


def test_disclosure_without_a_profile_says_ask_first(client, login_as, session):
    coach, _ = login_as(Role.coach)
    make_register(session)
    p = make_participant(session, coach)
    page = client.get(f"/participants/{p.id}").text
    assert "fråga deltagaren innan" in _between(page, 'id="contact-form"', "</form>")


def test_long_suggestion_lists_show_five_and_the_rest_behind_one_click(client, login_as, session):
    coach, _ = login_as(Role.coach)
    reg = make_register(session)
    for n in range(7):
        session.add(
            Opening(employer_id=reg["lager"].id, title=f"Lagerjobb {n}", occupation_ids=[LAGER],
                    ssyk4_codes=["4322"], hours_per_week=30, schedules=["day"],
                    municipality_code=KARLSTAD, lat=59.38, lon=13.50)
        )  # fmt: skip
    session.commit()
    p = make_participant(session, coach, profile={"occupation_ids": [LAGER]})
    page = client.get(f"/participants/{p.id}").text
    openings = _between(page, 'id="list-opening"', "</section>")
    first, _, rest = openings.partition('<details class="more">')
    assert first.count('<li class="suggestion') == 5
    hidden = rest.count('<li class="suggestion')
    assert hidden >= 3  # at least 8 openings fit: the top 5 first, the others one click away
    assert f"Visa fler ({hidden})" in openings


def test_employer_pickers_put_the_participants_employers_first(client, login_as, session):
    coach, _ = login_as(Role.coach)
    reg = make_register(session)
    p = make_participant(session, coach, profile={"occupation_ids": [STADARE]})
    session.add(
        EmployerContact(employer_id=reg["krog"].id, participant_id=p.id, status=ContactStatus.done,
                        contact_date=date.today() - timedelta(days=1), mode="visit")
    )  # fmt: skip
    session.commit()
    page = client.get(f"/participants/{p.id}").text
    picker = _between(page, 'id="contact-form"', "</select>")
    mine = _between(picker, "Aktuella för deltagaren", "</optgroup>")
    # contacted first, then the suggested cleaning firm; the warehouse is only among all
    names = re.findall(r">([^<>]+)</option>", mine)
    assert names[:2] == ["Restaurang Sandgrund", "Klarälvens Städ AB"]
    assert "Värmlands Lager AB" not in mine
    assert "Värmlands Lager AB" in _between(picker, "Alla arbetsgivare", "</optgroup>")


def test_exclusion_note_says_why_once(client, login_as, session):
    coach, _ = login_as(Role.coach)
    make_register(session)
    p = make_participant(
        session, coach, profile={"occupation_ids": [LAGER], "refusals": ["night_work"]}
    )
    page = client.get(f"/participants/{p.id}").text
    assert "Borttagna:" not in page
    assert "Visas inte, för att de bryter mot deltagarens villkor:" in page


def test_declined_list_names_the_suggestion_not_its_id(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    reg = make_register(session)
    p = make_participant(session, coach, profile={"occupation_ids": [STADARE]})
    ref = f"opening:{reg['subsidised'].id}"
    client.post(
        f"/participants/{p.id}/decisions",
        data={"csrf_token": csrf, "offer_ref": ref, "decision": "declined",
              "reason_code": "too_far"},
    )  # fmt: skip
    page = client.get(f"/participants/{p.id}?declined=1").text
    item = _between(page, f'data-declined="{ref}"', "</li>")
    assert "Städare med lönebidrag" in item and "Klarälvens Städ AB" in item
    assert f"{ref} ·" not in item
    assert "Lediga jobb" in item  # which list it came from


def test_a_declined_employer_is_named_once(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    reg = make_register(session)
    p = make_participant(session, coach, profile={"occupation_ids": [STADARE]})
    ref = f"employer:{reg['krog'].id}"
    client.post(
        f"/participants/{p.id}/decisions",
        data={"csrf_token": csrf, "offer_ref": ref, "decision": "declined",
              "reason_code": "not_interested"},
    )  # fmt: skip
    page = client.get(f"/participants/{p.id}?declined=1").text
    item = _between(page, f'data-declined="{ref}"', "</li>")
    assert item.count("Restaurang Sandgrund") == 1 and "Arbetsgivare att kontakta" in item
    saved = f"employer:{reg['stad'].id}"
    client.post(
        f"/participants/{p.id}/decisions",
        data={"csrf_token": csrf, "offer_ref": saved, "decision": "saved"},
    )
    page = client.get(f"/participants/{p.id}").text
    item = _between(page, f'data-kept="{saved}"', "</li>")
    assert item.count("Klarälvens Städ AB") == 1


def test_profile_form_shows_whole_numbers_as_typed(client, login_as, session):
    coach, _ = login_as(Role.coach)
    p = make_participant(
        session, coach, profile={"hours_min": 15.0, "hours_max": 22.5, "commute_limit_km": 25.0}
    )
    page = client.get(f"/participants/{p.id}/profile/edit").text
    assert 'name="hours_min" inputmode="decimal" value="15"' in page
    assert 'value="22.5"' in page
    assert 'name="commute_limit_km" inputmode="decimal" value="25"' in page
    assert "15.0" not in page and "25.0" not in page


def test_home_municipality_is_picked_by_name_not_typed_as_a_code(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach, profile={})
    page = client.get(f"/participants/{p.id}/profile/edit").text
    picker = _between(page, 'name="home_municipality_code"', "</select>")
    assert re.search(r'<option value="1780" selected>Karlstad</option>', picker)
    assert "I samma län" in picker and "Kil</option>" in picker  # Värmland first
    assert "Kommunkod" not in page
    new = client.get("/participants/new").text
    picker = _between(new, 'name="municipality_code"', "</select>")
    assert re.search(r'<option value="1780" selected>Karlstad</option>', picker)  # the usual one


def test_history_shows_words_not_codes(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach)
    data = {"csrf_token": csrf, "version": "0", "wished_texts": "lager", "occupation_ids": LAGER,
            "refusals": ["early_mornings"], "schedules": ["day"], "hours_min": "20",
            "languages": "Svenska 5, Kurdiska 4", "home_municipality_code": "1780",
            "home_place": "Karlstad", "disclosure": "undecided"}  # fmt: skip
    r = client.post(f"/participants/{p.id}/profile", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(f"/participants/{p.id}/history").text
    for words in ("Lagerarbetare", "tidiga morgnar", "dag", "Svenska 5/5, Kurdiska 4/5",
                  "Karlstad", "inte bestämt", coach.display_name):  # fmt: skip
        assert words in page, words
    for code in (LAGER, "early_mornings", "{'name'", "20.0", "1780", "False", "Latitud"):
        assert code not in page, code


def test_decline_error_opens_that_suggestions_form_with_the_message(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    reg = make_register(session)
    p = make_participant(session, coach, profile={"occupation_ids": [LAGER]})
    ref = f"opening:{reg['day'].id}"
    r = client.post(
        f"/participants/{p.id}/decisions",
        data={"csrf_token": csrf, "offer_ref": ref, "decision": "declined",
              "reason_code": "other", "reason_text": " "},
    )  # fmt: skip
    assert r.status_code == 422
    item = _between(r.text, f'data-offer="{ref}"', "</form>\n            </details>")
    assert '<details class="decline" open' in item
    assert "Beskriv orsaken." in item
    assert '<option value="other" selected>' in item
    assert 'role="alert"' not in _between(r.text, 'id="suggestions"', 'class="lists"')


def test_an_ended_participant_leaves_the_caseload_and_can_come_back(client, login_as, session):
    coach, csrf = login_as(Role.coach)
    p = make_participant(session, coach, code="BYE-1", days_ago=60)  # overdue on the clock
    assert "BYE-1" in client.get("/caseload").text
    r = client.post(
        f"/participants/{p.id}",
        data={"csrf_token": csrf, "version": str(p.version), "status": "ended"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    session.refresh(p)
    assert p.exit_date == date.today()
    assert "BYE-1" not in client.get("/caseload").text
    ended = client.get("/caseload?ended=1").text
    assert "BYE-1" in ended and "Avslutade deltagare" in ended and "försenad" not in ended
    page = client.get(f"/participants/{p.id}")  # still the coach's to open, without a clock
    assert page.status_code == 200
    assert "försenad" not in page.text and f"Avslutad {date.today()}" in page.text

    r = client.post(
        f"/participants/{p.id}",
        data={"csrf_token": csrf, "version": str(p.version), "status": "searching"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    session.refresh(p)
    assert p.exit_date is None
    assert "BYE-1" in client.get("/caseload").text
