"""Name completion (``matching.completion``) and autocomplete (``OccupationMatcher.suggest``):
what a person is still typing lists the occupations whose names it begins."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.completion import NameCompleter, fold, words
from matching.vocabulary import OccupationMatcher, default_matcher

NAMES = [
    "Undersköterska",
    "Steriltekniker/Undersköterska, sterilcentral",
    "Städare",
    "Stadsbud",
    "Lärare i förskoleklass",
    "Lärare i grundskolan",
    "Lagerarbetare",
    "Lågstadielärare",
    "IT-tekniker",
]


@pytest.fixture(scope="module")
def completer() -> NameCompleter:
    return NameCompleter(NAMES)


def completed(completer: NameCompleter, text: str) -> dict[str, float]:
    return {NAMES[c.name]: c.coverage for c in completer.complete(text)}


@pytest.fixture(scope="module")
def shipped() -> OccupationMatcher:
    return default_matcher()


def labels(found: list) -> list[str]:
    return [c.label for c in found]


# --------------------------------------------------------------------------- NameCompleter


def test_words_keep_diacritics_and_split_on_punctuation() -> None:
    assert words("IT-tekniker, Städ") == ["it", "tekniker", "städ"]
    assert fold("städare") == "stadare"


def test_a_typed_word_begins_a_word_of_the_name(completer: NameCompleter) -> None:
    found = completed(completer, "unders")
    assert set(found) == {"Undersköterska", "Steriltekniker/Undersköterska, sterilcentral"}
    # The name's own beginning is the stronger reading, and more of a short name is typed.
    assert found["Undersköterska"] > found["Steriltekniker/Undersköterska, sterilcentral"]
    assert completed(completer, "sköterska") == {}  # inside a word is not a beginning


def test_diacritics_typed_must_match_and_missing_ones_match_either_way(
    completer: NameCompleter,
) -> None:
    assert set(completed(completer, "städ")) == {"Städare"}
    typed_plain = completed(completer, "stad")
    assert set(typed_plain) == {"Städare", "Stadsbud"}
    # Without its diacritics a match is weaker than an exact one of the same length.
    assert typed_plain["Städare"] / (4 / 7) < typed_plain["Stadsbud"] / (4 / 8)
    assert set(completed(completer, "lag")) == {"Lagerarbetare", "Lågstadielärare"}
    assert set(completed(completer, "låg")) == {"Lågstadielärare"}


def test_every_typed_word_needs_its_own_word(completer: NameCompleter) -> None:
    assert set(completed(completer, "lärare f")) == {"Lärare i förskoleklass"}
    assert set(completed(completer, "f lärare")) == {"Lärare i förskoleklass"}
    assert set(completed(completer, "lärare l")) == set()  # "lärare" is taken
    assert set(completed(completer, "it tek")) == {"IT-tekniker"}


def test_whole_names_and_stop_words(completer: NameCompleter) -> None:
    whole = {NAMES[c.name]: c.whole for c in completer.complete("städare")}
    assert whole == {"Städare": True}
    assert completer.complete("stadare")[0].whole  # typed without diacritics
    assert completer.complete("städare")[0].coverage == 1.0
    assert not completer.complete("städar")[0].whole
    skip = frozenset({"jobba", "med", "i"})
    assert set(completed(completer, "jobba med städ")) == set()  # no name has "jobba"
    assert {NAMES[c.name] for c in completer.complete("jobba med städ", skip=skip)} == {"Städare"}
    assert completer.complete("") == [] and completer.complete("?!") == []
    # More words than any name has: nothing, without trying every name.
    assert completer.complete("l " * 4) == [] and completer.complete("l") != []
    with pytest.raises(ValueError, match="inner_weight"):
        NameCompleter(NAMES, inner_weight=0.0)


@given(st.text(max_size=30))
@settings(max_examples=200, deadline=None)
def test_any_text_completes_only_names_it_begins(text: str) -> None:
    completer = NameCompleter(NAMES)
    for completion in completer.complete(text):
        name_words = [fold(w) for w in words(NAMES[completion.name])]
        assert all(any(w.startswith(fold(t)) for w in name_words) for t in words(text))
        assert 0.0 < completion.coverage <= 1.0


# --------------------------------------------------------------------------- suggest


STUBS = ["unders", "kö", "förs", "städ", "snick", "elekt", "barnsk", "progr", "bus", "lag"]
STUBS += ["hund", "it-t", "lärare f", "sjuksk"]


def test_word_stubs_list_the_names_they_begin(shipped: OccupationMatcher) -> None:
    def begun(found: list, stub: str) -> int:
        return sum(bool(NameCompleter([c.matched_term]).complete(stub)) for c in found)

    listed = sum(len(shipped.suggest(stub, top=5)) for stub in STUBS)
    ours = sum(begun(shipped.suggest(stub, top=5), stub) for stub in STUBS) / listed
    # The lookup reads a stub as finished text: "kö" is spelt like "Chief Operations/CO",
    # "förs" like "Forskarassistent".
    lookup = sum(begun(shipped.lookup(stub, top=5), stub) for stub in STUBS) / listed
    assert ours >= 0.85 and ours >= lookup + 0.1, (ours, lookup)
    for stub in ("unders", "underskö"):
        first = labels(shipped.suggest(stub, top=3))
        assert all("Undersköterska" in label for label in first), (stub, first)
    # Every name listed for "förs" is one it begins a word of ("Regionchef, försäkring"), none
    # merely spelt like it ("Forskarassistent").
    begun_by = shipped.suggest("förs", top=5)
    assert begun(begun_by, "förs") == len(begun_by) == 5, labels(begun_by)
    assert begun_by[0].label == "Förskollärare"
    cleaning = shipped.suggest("städ", top=4)
    assert cleaning[0].label == "Städare/Lokalvårdare"
    assert not any("Stadsdirektör" in c.label for c in cleaning)


def test_a_job_title_leads_to_its_occupation_and_says_so(shipped: OccupationMatcher) -> None:
    found = {c.label: c.matched_term for c in shipped.suggest("postil", top=3)}
    assert found.get("Brevbärare") == "Postiljon"


def test_a_whole_name_comes_first_with_score_one(shipped: OccupationMatcher) -> None:
    first = shipped.suggest("busschaufför", top=5)[0]
    assert (first.label, first.score, first.matched_term) == (
        "Bussförare/Busschaufför",
        1.0,
        "Busschaufför",
    )
    assert shipped.suggest("Kock à la carte", top=5)[0].label == "Kock à la carte"


def test_text_no_name_begins_is_looked_up(shipped: OccupationMatcher) -> None:
    # An inflection, a typo and a wish in plain words: the resolver's answer, meaning included.
    for text in ("lagerarbetaren", "adminstratör", "hjälpa äldre till vardags"):
        assert shipped.suggest(text, top=5) == shipped.lookup(text, top=5), text


def test_suggest_bad_and_empty_input(shipped: OccupationMatcher) -> None:
    assert shipped.suggest("") == [] and shipped.suggest("u") == [] and shipped.suggest("?!") == []
    with pytest.raises(ValueError, match="top"):
        shipped.suggest("kock", top=0)


@given(st.text(max_size=25))
@settings(max_examples=60, deadline=None)
def test_suggest_any_text(text: str) -> None:
    found = default_matcher().suggest(text, top=8)
    assert len(found) <= 8
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert len({c.occupation_id for c in found}) == len(found)
