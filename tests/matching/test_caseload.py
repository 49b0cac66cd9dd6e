"""Caseload ranking: scarce places never over-promised, spread, urgent participants first."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.caseload import (
    CaseloadParticipant,
    diversify,
    rank_caseload,
    urgency,
)
from matching.ranking import Matcher
from matching.types import Preferences, SuggestionKind
from tests.matching.test_ranking_support import HOME, TinyResolver, offer

TODAY = date(2025, 3, 3)


def person(pid: str, wish: str = "djur", days: int = 10, contact: bool = False, **kw):
    prefs = Preferences(
        participant_id=pid, wished_texts=(wish,), home=HOME, commute_limit_km=30.0, **kw
    )
    entry = TODAY - timedelta(days=days)
    return CaseloadParticipant(prefs, entry, entry + timedelta(days=1) if contact else None)


def test_urgency_clock() -> None:
    assert urgency(TODAY - timedelta(days=15), None, TODAY) == (15, 0.5)
    assert urgency(TODAY - timedelta(days=45), None, TODAY) == (45, 1.0)
    assert urgency(TODAY - timedelta(days=45), TODAY, TODAY) == (45, 0.0)
    assert urgency(TODAY + timedelta(days=3), None, TODAY) == (0, 0.0)


def test_single_vacancy_goes_to_one_participant_the_better_fit() -> None:
    m = Matcher().fit(
        [
            offer("opening:1", "occ_djur", capacity=1),  # exact for A, near for B
            offer("opening:2", "occ_hund", capacity=1),  # exact for B, near for A
        ],
        vocabulary=TinyResolver(),
    )
    result = rank_caseload(m, [person("A", "djurskötare"), person("B", "hundskötare")], today=TODAY)
    assert result.plan_for("A").promised_offer_ids == {"opening:1"}
    assert result.plan_for("B").promised_offer_ids == {"opening:2"}
    assert dict(result.promised_per_offer) == {"opening:1": 1, "opening:2": 1}
    assert [s.offer_id for s in result.plan_for("A").result.openings] == ["opening:1"]


def test_scarce_slot_goes_to_the_more_urgent_participant() -> None:
    m = Matcher().fit([offer("practice:1", capacity=1)], vocabulary=TinyResolver())
    people = [
        person("early", days=2, wants_practice=True),
        person("late", days=40, wants_practice=True),
    ]
    result = rank_caseload(m, people, today=TODAY)
    assert result.plan_for("late").promised_offer_ids == {"practice:1"}
    assert result.plan_for("early").result.practice == ()
    assert [p.participant_id for p in result.plans] == ["late", "early"]


def test_plans_ordered_by_clock_contact_last() -> None:
    m = Matcher().fit([offer("employer:1")], vocabulary=TinyResolver())
    people = [
        person("b", days=29, contact=True),
        person("c", days=5),
        person("a", days=31),
        person("d", days=29),
    ]
    result = rank_caseload(m, people, today=TODAY)
    assert [p.participant_id for p in result.plans] == ["a", "d", "c", "b"]
    assert result.plan_for("a").days_left == -1
    assert result.plan_for("a").urgency == 1.0
    assert result.plan_for("b").urgency == 0.0


def test_unlimited_suggestions_shared_and_capacity_respected() -> None:
    m = Matcher().fit(
        [offer("employer:1"), offer("opening:1"), offer("opening:2", capacity=2)],
        vocabulary=TinyResolver(),
    )
    result = rank_caseload(m, [person(f"p{i}") for i in range(5)], today=TODAY)
    for plan in result.plans:
        assert [s.offer_id for s in plan.result.employers] == ["employer:1"]
        assert "opening:1" in {s.offer_id for s in plan.result.openings}
    assert result.promised_per_offer["opening:2"] == 2


def test_employer_spread_across_caseload() -> None:
    # Two employers with equal fit; a convex cost sends the pair to different employers.
    m = Matcher().fit(
        [
            offer("opening:a1", capacity=1, employer_id="A"),
            offer("opening:a2", capacity=1, employer_id="A"),
            offer("opening:b1", capacity=1, employer_id="B", km=5.5),
        ],
        vocabulary=TinyResolver(),
    )
    people = [person("p1"), person("p2")]
    result = rank_caseload(m, people, today=TODAY, max_promised={SuggestionKind.OPENING: 1})
    employers = Counter(s.offer.employer_id for p in result.plans for s in p.result.openings)
    assert employers == {"A": 1, "B": 1}


def test_diversify_penalises_repeated_employer() -> None:
    m = Matcher().fit(
        [
            offer("opening:1", employer_id="A", km=1),
            offer("opening:2", employer_id="A", km=2),
            offer("opening:3", employer_id="B", km=4),
        ],
        vocabulary=TinyResolver(),
    )
    ranked = m.rank(person("p").preferences, today=TODAY).openings
    assert [s.offer_id for s in ranked] == ["opening:1", "opening:2", "opening:3"]
    spread = diversify(ranked, 3, employer_penalty=0.5)
    assert [s.offer_id for s in spread] == ["opening:1", "opening:3", "opening:2"]
    assert [s.rank for s in spread] == [1, 2, 3]
    assert diversify(ranked, 3, employer_penalty=0.0, occupation_penalty=0.0) == ranked


def test_duplicate_participants_rejected() -> None:
    m = Matcher().fit([offer("opening:1")])
    with pytest.raises(ValueError, match="unique"):
        rank_caseload(m, [person("a"), person("a")], today=TODAY)


OCCS = ["occ_djur", "occ_hund", "occ_hast", "occ_lager", "occ_truck"]
WISHES = ["djur", "hundar", "hästar", "lager", "truck"]


@settings(max_examples=40, deadline=None)
@given(
    offers=st.lists(
        st.tuples(
            st.sampled_from(["opening", "practice", "employer"]),
            st.sampled_from(OCCS),
            st.integers(0, 3),  # capacity
            st.integers(0, 3),  # taken
            st.sampled_from(["E1", "E2", "E3", "E4"]),
            st.floats(0, 25),
        ),
        min_size=1,
        max_size=25,
    ),
    people=st.lists(
        st.tuples(st.sampled_from(WISHES), st.integers(0, 60), st.booleans()),
        min_size=1,
        max_size=12,
    ),
    max_open=st.integers(1, 4),
)
def test_capacity_never_exceeded(offers, people, max_open) -> None:
    catalogue = [
        offer(
            f"{kind}:{i}",
            occ,
            capacity=None if kind == "employer" else cap,
            taken=0 if kind == "employer" else taken,
            employer_id=emp,
            km=km,
        )
        for i, (kind, occ, cap, taken, emp, km) in enumerate(offers)
    ]
    m = Matcher(top_k=3).fit(catalogue, vocabulary=TinyResolver())
    caseload = [
        person(f"p{i}", wish, days=days, wants_practice=practice)
        for i, (wish, days, practice) in enumerate(people)
    ]
    limits = {SuggestionKind.OPENING: max_open, SuggestionKind.PRACTICE: 1}
    result = rank_caseload(m, caseload, today=TODAY, max_promised=limits)
    free = {o.offer_id: o.free_capacity for o in catalogue}
    by_id = {o.offer_id: o for o in catalogue}
    shown = Counter()
    for plan in result.plans:
        kinds = Counter(by_id[o].kind for o in plan.promised_offer_ids)
        assert kinds[SuggestionKind.OPENING] <= max_open
        assert kinds[SuggestionKind.PRACTICE] <= 1
        for s in plan.result.openings + plan.result.practice:
            if free[s.offer_id] is not None:
                assert s.offer_id in plan.promised_offer_ids
                shown[s.offer_id] += 1
    for oid, n in shown.items():
        assert n <= free[oid]
    for oid, n in result.promised_per_offer.items():
        assert n <= free[oid]
    assert len(result.plans) == len(caseload)
