"""Rewrite rules mined from synonyms: what is learnt, how it is applied."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from matching.rewrites import MIN_SHARED, RewriteRules

NAMES = [
    ["lastbilschauffor", "lastbilsforare"],
    ["taxichauffor", "taxiforare"],
    ["bussforare", "busschauffor", "bussforaren"],
    ["byggnadsarbetare", "byggarbetare"],
    ["lagerkoordinator", "lagersamordnare"],
]


def test_a_swap_many_occupations_agree_on_is_learnt_both_ways() -> None:
    rules = RewriteRules.mine(NAMES)
    endings = dict(rules.endings["chauffor"])
    assert endings["forare"] == math.log1p(3)  # three occupations showed it
    assert dict(rules.endings["forare"])["chauffor"] == math.log1p(3)
    assert dict(rules.beginnings["byggnads"])["bygg"] == math.log1p(1)
    assert dict(rules.beginnings["bygg"])["byggnads"] == math.log1p(1)


def test_an_unseen_title_is_rewritten_into_known_ones() -> None:
    rules = RewriteRules.mine(NAMES)
    variants = rules.variants("budbilschauffor")
    assert variants["budbilsforare"] == math.log1p(3)
    assert "budbilschauffor" not in variants  # the word itself is no rewriting
    assert rules.variants("byggnadsstallningsbyggare")["byggstallningsbyggare"] > 0


def test_short_shared_parts_teach_nothing() -> None:
    # "el" + "montor" / "el" + "installator": two shared letters are no evidence.
    rules = RewriteRules.mine([["elmontor", "elinstallator"]])
    assert len(rules) == 0
    assert rules.variants("anything") == {}


def test_multi_word_names_and_empty_names_are_ignored() -> None:
    rules = RewriteRules.mine([["lager arbetare", "lager medarbetare", ""]])
    assert len(rules) == 0


def test_looking_among_names_finds_the_same_names_as_every_rewriting() -> None:
    rules = RewriteRules.mine(NAMES)
    names = sorted({n for group in NAMES for n in group} | {"budbilsforare", "bygg arbetare"})
    backwards = sorted(n[::-1] for n in names if " " not in n)
    for word in ["budbilschauffor", "byggnadsarbetare", "taxichauffor", "lagerkoordinator", "x"]:
        every = {v: w for v, w in rules.variants(word).items() if v in names}
        found = {v: w for v, w in rules.into_names(word, names, backwards).items() if v in names}
        assert found == every
    assert rules.into_names("budbilschauffor", names, backwards)["budbilsforare"] == math.log1p(3)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö", max_size=20))
def test_every_rewriting_keeps_enough_of_the_word(word: str) -> None:
    rules = RewriteRules.mine(NAMES)
    for variant, weight in rules.variants(word).items():
        assert weight > 0
        kept_start = len(_common_prefix(word, variant))
        kept_end = len(_common_prefix(word[::-1], variant[::-1]))
        assert max(kept_start, kept_end) >= MIN_SHARED


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]
