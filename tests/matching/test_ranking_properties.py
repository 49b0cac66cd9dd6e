"""Properties of the Matcher over random catalogues (hypothesis): hard constraints are never
violated, a closer or better-fitting opening never ranks lower, same input gives same output."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from matching.geo import haversine_km
from matching.ranking import Matcher
from matching.types import (
    CAR_LICENCES,
    EmploymentForm,
    Offer,
    PhysicalDemand,
    Preferences,
    Schedule,
    SuggestionKind,
    Transport,
)
from tests.matching.test_ranking_support import HOME, OCCUPATIONS, TinyResolver, offer

TODAY = date(2025, 3, 3)
TAGS = ["night_work", "weekend_work", "pork", "alcohol", "heavy_lifting", "customer_contact"]
LICENCES = ["B", "C", "CE", "D"]
WISHES = ["djur", "hundar", "lager", "truck", "kock", "stall"]

schedules = st.frozensets(st.sampled_from(list(Schedule)), max_size=3)

offer_fields = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(list(SuggestionKind)),
        "occupation": st.sampled_from(list(OCCUPATIONS)),
        "km": st.one_of(st.none(), st.floats(0, 80)),
        "hours_per_week": st.one_of(st.none(), st.sampled_from([10.0, 20.0, 30.0, 40.0])),
        "schedules": schedules,
        "conditions": st.frozensets(st.sampled_from(TAGS), max_size=2),
        "required_licences": st.frozensets(st.sampled_from(LICENCES), max_size=1),
        "deadline_days": st.one_of(st.none(), st.integers(-5, 10)),
        "is_open": st.booleans(),
        "capacity": st.one_of(st.none(), st.integers(0, 3)),
        "taken": st.integers(0, 3),
        "period_end_days": st.one_of(st.none(), st.integers(-10, 60)),
        "warmth": st.floats(0, 1),
        "demand": st.one_of(st.none(), st.integers(0, 1000)),
        "physical": st.one_of(st.none(), st.sampled_from(list(PhysicalDemand))),
        "subsidised": st.booleans(),
    }
)


def build(i: int, f: dict) -> Offer:
    kind = f["kind"]
    return offer(
        f"{kind.value}:{i:03d}",
        f["occupation"],
        kind=kind,
        km=f["km"],
        hours_per_week=f["hours_per_week"],
        schedules=f["schedules"],
        conditions=f["conditions"],
        required_licences=f["required_licences"],
        deadline=None if f["deadline_days"] is None else TODAY + timedelta(f["deadline_days"]),
        is_open=f["is_open"],
        capacity=f["capacity"],
        taken=f["taken"],
        period_end=None
        if f["period_end_days"] is None
        else TODAY + timedelta(f["period_end_days"]),
        relationship_warmth=f["warmth"],
        demand_2024=f["demand"],
        physical_demand=f["physical"],
        employment_form=EmploymentForm.SUBSIDISED
        if f["subsidised"]
        else EmploymentForm.COMPETITIVE,
        employer_id=f"e{i % 4}",
    )


preferences = st.builds(
    Preferences,
    participant_id=st.just("p"),
    wished_texts=st.lists(st.sampled_from(WISHES), max_size=2).map(tuple),
    occupation_ids=st.lists(st.sampled_from(list(OCCUPATIONS)), max_size=1).map(tuple),
    hours_min=st.one_of(st.none(), st.just(15.0)),
    hours_max=st.one_of(st.none(), st.just(35.0)),
    schedules=schedules,
    home=st.one_of(st.none(), st.just(HOME)),
    commute_limit_km=st.one_of(st.none(), st.floats(1, 60)),
    transports=st.frozensets(st.sampled_from(list(Transport)), max_size=2),
    driving_licences=st.frozensets(st.sampled_from(LICENCES), max_size=2),
    refusals=st.frozensets(st.sampled_from(TAGS), max_size=3),
    max_physical_demand=st.one_of(st.none(), st.sampled_from(list(PhysicalDemand))),
    wants_practice=st.booleans(),
    available_from=st.one_of(st.none(), st.just(TODAY + timedelta(20))),
)

COVER = {"B": {"B"}, "C": {"C", "B"}, "CE": {"CE", "C", "B"}, "D": {"D", "B"}}


@settings(max_examples=150, deadline=None)
@given(fields=st.lists(offer_fields, min_size=1, max_size=30), p=preferences)
def test_hard_constraints_never_violated(fields, p) -> None:
    offers = [build(i, f) for i, f in enumerate(fields)]
    m = Matcher(top_k=50).fit(offers, vocabulary=TinyResolver())
    result = m.rank(p, today=TODAY)
    held = set().union(*(COVER[x] for x in p.driving_licences)) if p.driving_licences else set()
    start = max(TODAY, p.available_from or TODAY)
    for s in result.all_suggestions():
        o = s.offer
        assert o.is_open
        assert o.deadline is None or o.deadline >= TODAY
        assert not (o.all_conditions & p.refusals)
        assert o.required_licences <= held
        if p.home is not None and o.place is not None:
            d = haversine_km(p.home.lat, p.home.lon, o.place.lat, o.place.lon)
            assert d <= p.effective_commute_limit_km() + 1e-9
        if o.capacity is not None:
            assert o.free_capacity > 0
        if o.kind is SuggestionKind.PRACTICE:
            assert o.period_end is None or o.period_end >= start
        assert 0.0 <= s.score <= 1.0
    if not p.wants_practice:
        assert result.practice == ()
    # Every candidate is either suggested or counted as removed (top_k is large enough).
    shown = {s.offer_id for s in result.all_suggestions()}
    assert len(shown) + result.excluded_count <= len(offers)
    # Lists are sorted by score, ties by offer id.
    for kind in SuggestionKind:
        lst = result.by_kind(kind)
        keys = [(-round(s.score, 9), s.offer_id) for s in lst]
        assert keys == sorted(keys)
        assert [s.rank for s in lst] == list(range(1, len(lst) + 1))


def test_car_needs_a_car_licence() -> None:
    assert "B" in CAR_LICENCES
    p = Preferences("p", transports=frozenset({Transport.CAR}))
    assert Transport.CAR not in p.usable_transports()


def _position(result, offer_id: str) -> int:
    return [s.offer_id for s in result.openings].index(offer_id)


@settings(max_examples=100, deadline=None)
@given(
    f=offer_fields,
    p=preferences,
    km_near=st.floats(0, 30),
    extra=st.floats(0.5, 30),
    others=st.lists(offer_fields, max_size=10),
)
def test_closer_opening_never_ranks_lower(f, p, km_near, extra, others) -> None:
    assume(p.home is not None)
    f = {**f, "kind": SuggestionKind.OPENING}
    near = dataclasses.replace(build(900, {**f, "km": km_near}), offer_id="opening:far-or-near-b")
    far = dataclasses.replace(
        build(900, {**f, "km": km_near + extra}), offer_id="opening:far-or-near-a"
    )
    rest = [build(i, g) for i, g in enumerate(others)]
    m = Matcher(top_k=100).fit([far, near, *rest], vocabulary=TinyResolver())
    result = m.rank(p, today=TODAY)
    ids = [s.offer_id for s in result.openings]
    if far.offer_id in ids:
        assert near.offer_id in ids
        assert _position(result, near.offer_id) < _position(result, far.offer_id) or (
            result.openings[_position(result, near.offer_id)].score
            == result.openings[_position(result, far.offer_id)].score
        )


@settings(max_examples=100, deadline=None)
@given(f=offer_fields, p=preferences, others=st.lists(offer_fields, max_size=10))
def test_better_fitting_occupation_never_ranks_lower(f, p, others) -> None:
    # "occ_djur" is the wish; "occ_hund" near it; "occ_hast" only in the same group.
    p = dataclasses.replace(p, occupation_ids=("occ_djur",), wished_texts=())
    f = {**f, "kind": SuggestionKind.OPENING}
    chain = ["occ_djur", "occ_hund", "occ_hast"]
    offers = [
        dataclasses.replace(build(900, {**f, "occupation": oc}), offer_id=f"opening:z{j}")
        for j, oc in enumerate(reversed(chain))
    ]
    rest = [build(i, g) for i, g in enumerate(others)]
    m = Matcher(top_k=100).fit([*offers, *rest], vocabulary=TinyResolver())
    result = m.rank(p, today=TODAY)
    scores = {s.offer_id: s.score for s in result.openings}
    # z2 = wished, z1 = near, z0 = same group; same everything else.
    present = [oid for oid in ("opening:z2", "opening:z1", "opening:z0") if oid in scores]
    assert present in ([], ["opening:z2", "opening:z1", "opening:z0"])
    if present:
        ids = [s.offer_id for s in result.openings]
        assert ids.index("opening:z2") < ids.index("opening:z1") < ids.index("opening:z0")


@settings(max_examples=50, deadline=None)
@given(fields=st.lists(offer_fields, min_size=1, max_size=25), p=preferences, seed=st.randoms())
def test_deterministic_and_independent_of_catalogue_order(fields, p, seed) -> None:
    offers = [build(i, f) for i, f in enumerate(fields)]
    shuffled = list(offers)
    seed.shuffle(shuffled)
    a = Matcher().fit(offers, vocabulary=TinyResolver()).rank(p, today=TODAY)
    b = Matcher().fit(shuffled, vocabulary=TinyResolver()).rank(p, today=TODAY)
    c = Matcher().fit(offers, vocabulary=TinyResolver()).rank(p, today=TODAY)
    assert a == b == c


@settings(max_examples=80, deadline=None)
@given(fields=st.lists(offer_fields, min_size=1, max_size=30), p=preferences)
def test_every_offer_is_suggested_or_counted_when_there_is_no_wish(fields, p) -> None:
    p = dataclasses.replace(p, wished_texts=(), occupation_ids=())
    offers = [build(i, f) for i, f in enumerate(fields)]
    result = Matcher(top_k=100).fit(offers, vocabulary=TinyResolver()).rank(p, today=TODAY)
    considered = [o for o in offers if p.wants_practice or o.kind is not SuggestionKind.PRACTICE]
    assert len(result.all_suggestions()) + result.excluded_count == len(considered)
    for kind in SuggestionKind:
        removed = sum(e.count for e in result.exclusions_for(kind))
        listed = len(result.by_kind(kind))
        assert listed + removed == sum(1 for o in considered if o.kind is kind)
