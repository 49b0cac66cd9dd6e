"""An opening's conditions written in words ("tunga lyft", "Heavy lifting") are the same
condition tags the participants' refusals use, so a refusal still removes the opening; the
opening and slot forms offer the conditions as labelled checkboxes, not as codes to type."""

from __future__ import annotations

from sqlmodel import select

from employers.adapters import condition_tags, opening_to_offer
from employers.models import Employer, Opening
from profiles.models import Role
from tests.profiles.factories import LAGER, make_participant, make_register


def test_conditions_in_words_become_the_tags_refusals_use():
    assert condition_tags(["tunga lyft", "Night work", "heavy_lifting", " Kundkontakt "]) == (
        frozenset({"heavy_lifting", "night_work", "customer_contact"})
    )
    assert condition_tags(["heavy lifting", "arbete med djur"]) == {"heavy_lifting", "animals"}
    assert condition_tags(["något helt annat"]) == {"något helt annat"}  # kept, not dropped


def test_an_opening_with_conditions_in_words_carries_the_tags():
    employer = Employer(id=3, name="Lagret", municipality_code="1780")
    opening = Opening(id=9, employer_id=3, title="Lagerarbetare", conditions=["tunga lyft"])
    assert opening_to_offer(opening, employer).conditions == {"heavy_lifting"}


def test_a_refusal_removes_an_opening_whose_condition_was_typed_in_swedish(
    client, login_as, session
):
    coach, _csrf = login_as(Role.coach)
    reg = make_register(session)
    heavy = Opening(employer_id=reg["lager"].id, title="Lagerarbetare tunga lyft",
                    occupation_ids=[LAGER], ssyk4_codes=["4322"], hours_per_week=30,
                    schedules=["day"], conditions=["tunga lyft"], municipality_code="1780",
                    lat=59.38, lon=13.50)  # fmt: skip
    session.add(heavy)
    session.commit()
    p = make_participant(
        session, coach,
        profile={"wished_texts": ["lager"], "occupation_ids": [LAGER], "hours_min": 20,
                 "hours_max": 35, "refusals": ["heavy_lifting"]},
    )  # fmt: skip
    page = client.get(f"/participants/{p.id}").text
    assert "Lagerarbetare dagtid" in page
    assert "Lagerarbetare tunga lyft" not in page


def test_the_opening_form_offers_labelled_conditions_not_codes(client, login_as, session):
    login_as(Role.liaison)
    reg = make_register(session)
    page = client.get(f"/employers/{reg['lager'].id}/openings/new").text
    assert 'value="heavy_lifting"' in page and "tunga lyft" in page
    assert 'placeholder="heavy_lifting; customer_contact"' not in page
    slot = client.get(f"/employers/{reg['lager'].id}/slots/new?lang=en").text
    assert 'value="heavy_lifting"' in slot and "heavy lifting" in slot


def test_conditions_ticked_in_the_opening_form_are_saved_as_tags(client, login_as, session):
    _user, csrf = login_as(Role.liaison)
    reg = make_register(session)
    # What the form's script sends: the ticked tags joined in the one "conditions" field.
    r = client.post(
        f"/employers/{reg['lager'].id}/openings/new",
        data={"csrf_token": csrf, "title": "Truckförare", "employment_form": "competitive",
              "conditions": "heavy_lifting; early_mornings"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text
    saved = session.exec(select(Opening).where(Opening.title == "Truckförare")).one()
    assert saved.conditions == ["heavy_lifting", "early_mornings"]
    edit = client.get(f"/openings/{saved.id}/edit").text
    assert 'value="heavy_lifting" checked' in edit and 'value="early_mornings" checked' in edit
