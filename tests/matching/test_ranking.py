"""Known-answer tests of the Matcher: catalogues small enough to rank by hand."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sklearn.base import clone

from matching.ranking import Matcher, NotFittedError, _one_wish
from matching.types import (
    EmploymentForm,
    ExclusionReason,
    LanguageSkill,
    PhysicalDemand,
    Preferences,
    Schedule,
    SuggestionKind,
    Transport,
)
from tests.matching.test_ranking_support import HOME, Candidate, TinyResolver, offer

TODAY = date(2025, 3, 3)


def prefs(**kw: object) -> Preferences:
    base: dict[str, object] = {
        "participant_id": "p1",
        "wished_texts": ("jobba med djur",),
        "home": HOME,
        "commute_limit_km": 30.0,
    }
    base.update(kw)
    return Preferences(**base)  # type: ignore[arg-type]


def fitted(*offers, **params) -> Matcher:
    return Matcher(**params).fit(offers, vocabulary=TinyResolver())


def ids(suggestions) -> list[str]:
    return [s.offer_id for s in suggestions]


def test_wished_then_near_then_same_group_and_unrelated_left_out() -> None:
    m = fitted(
        offer("opening:1", "occ_hast"),  # same SSYK-4 group only
        offer("opening:2", "occ_hund"),  # substitute of the wish
        offer("opening:3", "occ_djur"),  # the wish
        offer("opening:4", "occ_kock"),  # unrelated
    )
    result = m.rank(prefs(), today=TODAY)
    assert ids(result.openings) == ["opening:3", "opening:2", "opening:1"]
    occ = [s.components["occupation"] for s in result.openings]
    assert occ == pytest.approx([1.0, 0.6 * 0.8, 0.4])
    assert [s.rank for s in result.openings] == [1, 2, 3]
    assert result.exclusions == ()


def test_reasons_in_swedish_and_english() -> None:
    m = fitted(offer("opening:1", "occ_djur", km=12.2, hours_per_week=20.0))
    s = m.rank(prefs(), today=TODAY).openings[0]
    assert s.reasons_sv[:3] == (
        "Du vill jobba med djur: Djurskötare",
        "12 km fågelväg",
        "deltid 50 %",
    )
    assert s.reasons_en[0] == 'Your wish "jobba med djur": Djurskötare'
    assert "12 km in a straight line" in s.reasons_en
    assert "part time 50%" in s.reasons_en
    assert len(s.reasons_sv) == len(s.reasons_en)
    assert s.distance_km == pytest.approx(12.2, abs=0.01)
    assert s.matched_occupation == "Djurskötare"


def test_chosen_occupation_scores_one_without_vocabulary() -> None:
    m = Matcher().fit([offer("opening:1", "occ_lager"), offer("opening:2", "occ_djur")])
    result = m.rank(prefs(wished_texts=(), occupation_ids=("occ_lager",)), today=TODAY)
    assert ids(result.openings) == ["opening:1"]
    assert result.openings[0].components["occupation"] == 1.0


def test_title_match_without_vocabulary() -> None:
    m = Matcher().fit([offer("opening:1", "occ_lager"), offer("opening:2", "occ_kock")])
    result = m.rank(prefs(wished_texts=("lagerarbetare",)), today=TODAY)
    assert ids(result.openings) == ["opening:1"]


def test_wishes_are_looked_up_by_meaning() -> None:
    # A wish is the participant's own words: the engine asks the vocabulary to weigh meaning.
    resolver = TinyResolver()
    m = Matcher().fit([offer("opening:1", "occ_djur")], vocabulary=resolver)
    m.rank(prefs(wished_texts=("jobba med djur",)), today=TODAY)
    assert resolver.calls == ["jobba med djur"]
    assert resolver.meanings == [True]


def test_refusal_removes_and_is_counted() -> None:
    m = fitted(
        offer("opening:1", schedules=frozenset({Schedule.NIGHT})),
        offer("opening:2", schedules=frozenset({Schedule.DAY, Schedule.NIGHT})),
        offer("opening:3", conditions=frozenset({"night_work"})),
        offer("opening:4", schedules=frozenset({Schedule.DAY})),
        offer("opening:5", conditions=frozenset({"pork"})),
    )
    result = m.rank(prefs(refusals=frozenset({"night_work", "pork"})), today=TODAY)
    assert ids(result.openings) == ["opening:4"]
    by_detail = {e.detail: e for e in result.exclusions}
    assert by_detail["night_work"].count == 3
    assert by_detail["night_work"].text_sv == "3 borttagna: nattarbete"
    assert by_detail["night_work"].text_en == "3 removed: night work"
    assert by_detail["pork"].text_sv == "1 borttagen: hantering av fläskkött"
    assert result.excluded_count == 4


def test_licence_required_and_covered_by_higher_class() -> None:
    m = fitted(
        offer("opening:1", required_licences=frozenset({"C"})),
        offer("opening:2", required_licences=frozenset({"B"})),
        offer("opening:3"),
    )
    none = m.rank(prefs(), today=TODAY)
    assert ids(none.openings) == ["opening:3"]
    assert {(e.reason, e.detail, e.count) for e in none.exclusions} == {
        (ExclusionReason.LICENCE, "B", 1),
        (ExclusionReason.LICENCE, "C", 1),
    }
    ce = m.rank(prefs(driving_licences=frozenset({"CE"})), today=TODAY)
    assert sorted(ids(ce.openings)) == ["opening:1", "opening:2", "opening:3"]
    b = m.rank(prefs(driving_licences=frozenset({"B"})), today=TODAY)
    assert sorted(ids(b.openings)) == ["opening:2", "opening:3"]


def test_commute_limit_own_and_by_transport() -> None:
    m = fitted(offer("opening:1", km=2.0), offer("opening:2", km=8.0), offer("opening:3", km=45.0))
    own = m.rank(prefs(commute_limit_km=10.0), today=TODAY)
    assert ids(own.openings) == ["opening:1", "opening:2"]
    assert own.exclusions[0].reason is ExclusionReason.COMMUTE
    assert own.exclusions[0].text_en == "1 removed: too far away (straight line)"
    walk = m.rank(prefs(commute_limit_km=None, transports=frozenset({Transport.WALK})), today=TODAY)
    assert ids(walk.openings) == ["opening:1"]
    # A car without a licence does not count; with one it reaches 50 km.
    car = frozenset({Transport.CAR, Transport.WALK})
    no_licence = m.rank(prefs(commute_limit_km=None, transports=car), today=TODAY)
    assert ids(no_licence.openings) == ["opening:1"]
    licence = m.rank(
        prefs(commute_limit_km=None, transports=car, driving_licences=frozenset({"B"})),
        today=TODAY,
    )
    assert len(licence.openings) == 3


def test_unknown_workplace_is_kept_with_neutral_commute() -> None:
    m = fitted(offer("opening:1", km=None))
    s = m.rank(prefs(), today=TODAY).openings[0]
    assert s.distance_km is None
    assert s.components["commute"] == 0.5


def test_closed_and_deadline_passed_removed() -> None:
    m = fitted(
        offer("opening:1", is_open=False),
        offer("opening:2", deadline=date(2025, 3, 2)),
        offer("opening:3", deadline=date(2025, 3, 3)),
    )
    result = m.rank(prefs(), today=TODAY)
    assert ids(result.openings) == ["opening:3"]
    reasons = {e.reason for e in result.exclusions}
    assert reasons == {ExclusionReason.CLOSED, ExclusionReason.DEADLINE_PASSED}


def test_practice_only_when_wanted_or_asked_and_only_with_free_places() -> None:
    m = fitted(
        offer("opening:1"),
        offer("practice:1", capacity=2, taken=2, employment_form=EmploymentForm.PRACTICE),
        offer("practice:2", capacity=2, taken=1, employment_form=EmploymentForm.PRACTICE),
        offer(
            "practice:3",
            capacity=1,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 2, 28),
            employment_form=EmploymentForm.PRACTICE,
        ),
    )
    default = m.rank(prefs(), today=TODAY)
    assert default.practice == () and not default.practice_included
    assert ids(default.openings) == ["opening:1"]
    assert default.exclusions == ()  # practice not asked for: nothing to explain
    wanted = m.rank(prefs(wants_practice=True), today=TODAY)
    assert ids(wanted.practice) == ["practice:2"]
    assert {e.reason for e in wanted.exclusions} == {
        ExclusionReason.FULL,
        ExclusionReason.OUTSIDE_PERIOD,
    }
    assert "Praktikplats: 1 av 2 platser lediga" in wanted.practice[0].reasons_sv
    asked = m.rank(prefs(), include_practice=True, today=TODAY)
    assert ids(asked.practice) == ["practice:2"]
    refused = m.rank(prefs(wants_practice=True), include_practice=False, today=TODAY)
    assert refused.practice == ()


def test_practice_period_ending_before_available_from_removed() -> None:
    m = fitted(offer("practice:1", capacity=1, period_end=date(2025, 4, 1)))
    later = m.rank(prefs(wants_practice=True, available_from=date(2025, 5, 1)), today=TODAY)
    assert later.practice == ()
    assert later.exclusions[0].reason is ExclusionReason.OUTSIDE_PERIOD


def test_subsidised_marked_and_after_competitive_at_equal_fit() -> None:
    m = fitted(
        offer(
            "opening:1",
            employment_form=EmploymentForm.SUBSIDISED,
            subsidy_label="lönebidrag",
        ),
        offer("opening:2"),
    )
    result = m.rank(prefs(), today=TODAY)
    assert ids(result.openings) == ["opening:2", "opening:1"]
    assert "Subventionerad anställning (lönebidrag)" in result.openings[1].reasons_sv
    assert result.openings[0].score - result.openings[1].score == pytest.approx(0.05)


def test_employers_ranked_by_warmth_and_demand() -> None:
    m = fitted(
        offer("employer:1", relationship_warmth=0.1, demand_2024=10),
        offer("employer:2", relationship_warmth=0.9, demand_2024=10),
        offer("employer:3", relationship_warmth=0.9, demand_2024=500),
        offer("employer:4", "occ_kock", relationship_warmth=1.0, demand_2024=900),
    )
    result = m.rank(prefs(), today=TODAY)
    assert ids(result.employers) == ["employer:3", "employer:2", "employer:1"]
    assert "Efterfrågan: 500 annonser 2024 i kommunen" in result.employers[0].reasons_sv
    assert "Vi har en god relation med arbetsgivaren" in result.employers[0].reasons_sv


def test_soft_components_hours_schedule_requirements() -> None:
    m = fitted(
        offer("opening:1", hours_per_week=20.0, schedules=frozenset({Schedule.DAY})),
        offer("opening:2", hours_per_week=40.0, schedules=frozenset({Schedule.DAY})),
        offer("opening:3", hours_per_week=20.0, schedules=frozenset({Schedule.EVENING})),
        offer(
            "opening:4",
            hours_per_week=20.0,
            physical_demand=PhysicalDemand.HEAVY,
            required_languages=(LanguageSkill("Svenska", 4),),
        ),
    )
    p = prefs(
        hours_min=15.0,
        hours_max=25.0,
        schedules=frozenset({Schedule.DAY}),
        max_physical_demand=PhysicalDemand.LIGHT,
        languages=(LanguageSkill("svenska", 2),),
    )
    result = m.rank(p, today=TODAY)
    comps = {s.offer_id: s.components for s in result.openings}
    assert comps["opening:1"]["hours"] == 1.0
    assert comps["opening:2"]["hours"] == pytest.approx(1 - 15 / 20)
    assert comps["opening:3"]["schedule"] == 0.0
    assert comps["opening:4"]["requirements"] == pytest.approx(0.0 * 0.5)
    assert ids(result.openings)[0] == "opening:1"


def test_no_wish_ranks_everything_by_other_components() -> None:
    m = fitted(offer("opening:1", "occ_kock", km=20.0), offer("opening:2", "occ_lager", km=1.0))
    result = m.rank(prefs(wished_texts=()), today=TODAY)
    assert ids(result.openings) == ["opening:2", "opening:1"]
    assert all(s.components["occupation"] == 0.0 for s in result.openings)


def test_declined_offers_not_suggested_again() -> None:
    m = fitted(offer("opening:1"), offer("opening:2"))
    result = m.rank(prefs(declined_offer_ids=frozenset({"opening:1"})), today=TODAY)
    assert ids(result.openings) == ["opening:2"]
    assert result.exclusions[0].reason is ExclusionReason.DECLINED


def test_ties_break_on_offer_id_and_top_k() -> None:
    m = fitted(*(offer(f"opening:{i:02d}") for i in range(30, 0, -1)), top_k=5)
    result = m.rank(prefs(), today=TODAY)
    assert ids(result.openings) == [f"opening:{i:02d}" for i in range(1, 6)]
    assert len(m.rank(prefs(), top_k=12, today=TODAY).openings) == 12


def test_scores_in_unit_interval_and_components_named() -> None:
    m = fitted(offer("opening:1"), offer("employer:1"), offer("practice:1", capacity=1))
    result = m.rank(prefs(wants_practice=True), today=TODAY)
    for s in result.all_suggestions():
        assert 0.0 <= s.score <= 1.0
        assert set(s.components) == {
            "occupation",
            "hours",
            "schedule",
            "commute",
            "requirements",
            "freshness",
            "relationship",
            "demand",
        }
        assert all(0.0 <= v <= 1.0 for v in s.components.values())


def test_not_fitted_and_bad_input() -> None:
    with pytest.raises(NotFittedError):
        Matcher().rank(prefs())
    with pytest.raises(ValueError, match="duplicate"):
        Matcher().fit([offer("opening:1"), offer("opening:1")])
    with pytest.raises(ValueError, match="top_k"):
        Matcher(top_k=0).fit([offer("opening:1")])
    with pytest.raises(ValueError, match="unknown components"):
        Matcher(weights={SuggestionKind.OPENING: {"age": 1.0}}).fit([offer("opening:1")])


def test_fit_stores_only_learned_state_and_init_only_params() -> None:
    m = Matcher(top_k=3)
    assert not [k for k in vars(m) if k.endswith("_")]
    m.fit([offer("opening:1")])
    assert m.n_offers_ == 1
    assert m.top_k == 3
    fresh = clone(m)
    assert fresh.get_params() == m.get_params()
    with pytest.raises(NotFittedError):
        fresh.rank(prefs())


def test_preferences_have_no_protected_attributes() -> None:
    names = {f.name for f in dataclasses.fields(Preferences)}
    words = {w for n in names for w in n.split("_")}
    protected = {"age", "birth", "born", "sex", "gender", "ethnicity", "religion", "diagnosis"}
    assert not words & protected
    assert not {n for n in names if "health" in n or "diagnos" in n}


def test_real_vocabulary_ranks_warehouse_wish() -> None:
    vocabulary = pytest.importorskip("matching.vocabulary")
    resolver = vocabulary.default_matcher()
    lager = resolver.lookup("lagerarbetare", top=1)[0]
    kock = resolver.lookup("kock", top=1)[0]
    offers = [
        dataclasses.replace(
            offer("opening:1", None), occupation_ids=(kock.occupation_id,), title="Kock"
        ),
        dataclasses.replace(
            offer("opening:2", None),
            occupation_ids=(lager.occupation_id,),
            ssyk4_codes=(lager.ssyk4_code,),
            title="Lagermedarbetare",
        ),
    ]
    m = Matcher().fit(offers, vocabulary=resolver)
    result = m.rank(prefs(wished_texts=("lagerjobb",)), today=TODAY)
    assert ids(result.openings)[:1] == ["opening:2"]
    assert result.openings[0].reasons_sv[0].startswith("Du vill jobba med lagerjobb: ")


def test_title_as_written_counts_when_the_vocabulary_does_not_know_it() -> None:
    m = fitted(
        dataclasses.replace(offer("opening:1", None), title="Stallansvarig ridskola"),
        offer("opening:2", "occ_kock"),
    )
    result = m.rank(prefs(wished_texts=("stallansvarig",)), today=TODAY)
    assert ids(result.openings) == ["opening:1"]
    s = result.openings[0]
    assert s.components["occupation"] == pytest.approx(0.9)  # WRatio 90: a partial match
    assert s.reasons_sv[0] == "Titeln liknar din önskan: Stallansvarig ridskola"
    off = Matcher(title_factor=0.0).fit(m.offers_, vocabulary=TinyResolver())
    assert off.rank(prefs(wished_texts=("stallansvarig",)), today=TODAY).openings == ()


def test_resolved_candidates_weighted_by_rank_and_trade_consensus() -> None:
    m = fitted(offer("opening:1"))
    w = m.occupation_weights(prefs(wished_texts=("hundar och hästar i lager",)))
    # Three candidates at 0.8: two in group 6129, one alone in 4322.
    assert w["occ_hund"].weight == pytest.approx(1.0)
    assert w["occ_hast"].weight == pytest.approx(1.0)
    assert w["occ_lager"].weight == pytest.approx(0.5 + 0.5 * 0.8 / 1.6)
    assert w["occ_djur"].relation == "near"
    assert w["occ_djur"].weight == pytest.approx(0.6 * 0.8)
    assert w["occ_truck"].weight == pytest.approx(0.75 * 0.6 * 0.5)
    flat = fitted(offer("opening:1"), consensus=0.0).occupation_weights(
        prefs(wished_texts=("hundar och hästar i lager",))
    )
    assert flat["occ_lager"].weight == pytest.approx(1.0)
    # Sharpness: relative scores are squared; a best under 0.5 keeps every weight below 1.
    cands = [Candidate("a", "A", "1111", 0.9), Candidate("b", "B", "1111", 0.45)]
    assert m._candidate_weights(cands) == pytest.approx([1.0, 0.25])
    weak = [Candidate("a", "A", "1111", 0.4)]
    assert m._candidate_weights(weak) == pytest.approx([0.64])
    with pytest.raises(ValueError, match="sharpness"):
        Matcher(sharpness=0).fit([offer("opening:1")])


def test_a_wish_of_one_thing_settled_by_a_choice_keeps_no_other_readings() -> None:
    # "djurrestaurang" reads as both trades (0.8 each). The coach chose Djurskötare from its
    # readings, so the word is settled: the restaurant reading is a look-alike of the spelling
    # and counts for nothing (a baker who says "baka" gets no bacteriologist's openings).
    m = fitted(
        offer("opening:1", "occ_djur"),
        offer("opening:2", "occ_kock"),
        offer("opening:3", "occ_lager"),
    )
    settled = prefs(wished_texts=("djurrestaurang",), occupation_ids=("occ_djur",))
    weights = m.occupation_weights(settled)
    assert "occ_kock" not in weights
    assert weights["occ_djur"].weight == 1.0 and weights["occ_hund"].relation == "near"
    assert ids(m.rank(settled, today=TODAY).openings) == ["opening:1"]
    # Without a choice among its readings the word keeps them all ...
    words_only = m.occupation_weights(prefs(wished_texts=("djurrestaurang",)))
    assert words_only["occ_kock"].weight == words_only["occ_djur"].weight
    # ... and a choice that is none of its readings leaves them (discounted, as before).
    other = m.occupation_weights(
        prefs(wished_texts=("djurrestaurang",), occupation_ids=("occ_lager",))
    )
    assert other["occ_kock"].weight == pytest.approx(0.5 * words_only["occ_kock"].weight)


@pytest.mark.parametrize(
    ("text", "one"),
    [
        ("baka", True),
        ("laga mat", True),
        ("jobba med hästar", True),
        ("undersköterska natt", True),
        ("djur och restaurang", False),
        ("butik, typ sport eller kläder", False),
        ("lager/truck", False),
        ("kock + servering", False),
        ("animals or kitchen", False),
    ],
)
def test_a_wish_joining_several_things_is_not_one_wish(text: str, one: bool) -> None:
    assert _one_wish(text) is one


def test_a_settled_multi_word_wish_drops_look_alikes_but_a_joined_one_keeps_them() -> None:
    m = fitted(
        offer("opening:1", "occ_djur"),
        offer("opening:2", "occ_kock"),
        offer("opening:3", "occ_lager"),
    )
    # "jobba med djur i restaurang" reads as both trades; the coach chose Djurskötare.
    one = m.occupation_weights(
        prefs(wished_texts=("jobba med djur i restaurang",), occupation_ids=("occ_djur",))
    )
    assert "occ_kock" not in one
    joined = m.occupation_weights(
        prefs(wished_texts=("djur och restaurang",), occupation_ids=("occ_djur",))
    )
    assert joined["occ_kock"].weight > 0


def test_chosen_occupations_outweigh_loose_look_alikes_of_the_words() -> None:
    # "djur och restaurang" resolves to both trades at 0.8; the participant chose Djurskötare
    # with the coach, so the restaurant look-alike from their words counts half.
    m = fitted(offer("opening:1", "occ_djur"), offer("opening:2", "occ_kock"))
    chosen = prefs(wished_texts=("djur och restaurang",), occupation_ids=("occ_djur",))
    weights = m.occupation_weights(chosen)
    assert weights["occ_djur"].weight == 1.0
    words_only = m.occupation_weights(prefs(wished_texts=("djur och restaurang",)))
    assert weights["occ_kock"].weight == pytest.approx(0.5 * words_only["occ_kock"].weight)
    off = Matcher(chosen_first=1.0).fit(m.offers_, vocabulary=TinyResolver())
    assert off.occupation_weights(chosen)["occ_kock"].weight == words_only["occ_kock"].weight
