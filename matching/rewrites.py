"""Rewrite rules mined from the taxonomy's own synonyms.

Swedish job titles are compounds, and the taxonomy's synonyms of one occupation often differ in
one part only: "Lastbilschaufför" and "Lastbilsförare", "Lagerkoordinator" and
"Lagersamordnare", "Byggnadsarbetare" and "Byggarbetare". Every such pair is a rule: the ending
"chaufför" can be written "förare", the beginning "byggnads" can be written "bygg". Counted over
the whole vocabulary, the rules that many occupations agree on are the ways titles are really
written, and a title the vocabulary has never seen ("Budbilschaufför") can be rewritten into one
it has ("Budbilsförare").

:meth:`RewriteRules.mine` learns the rules from names grouped by occupation; nothing is written
by hand. :meth:`RewriteRules.variants` gives the rewritings of one word with the support of the
rule that made each.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["RewriteRules"]

_AFTER_ALL = "\U0010ffff"
# The part two names share must be at least this long: "el" or "bil" alone are parts of too
# many unrelated words for a swap next to them to mean anything.
MIN_SHARED = 4


def _shared_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _shared_suffix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return i


@dataclass(frozen=True)
class RewriteRules:
    """Part swaps learnt from names of one occupation, with how often each was seen.

    ``endings[x]`` lists ``(y, weight)``: a word ending in ``x`` may end in ``y`` instead;
    ``beginnings`` likewise for the start of a word. ``weight`` is ``log(1 + support)``, support
    being the number of name pairs that showed the swap.
    """

    endings: dict[str, tuple[tuple[str, float], ...]]
    beginnings: dict[str, tuple[tuple[str, float], ...]]
    ending_pairs: dict[tuple[str, str], float]
    beginning_pairs: dict[tuple[str, str], float]

    @classmethod
    def mine(cls, names_by_occupation: Iterable[Iterable[str]]) -> RewriteRules:
        """Learn the rules from normalised one-word names, one collection per occupation.

        Two names of one occupation that share a beginning of at least ``MIN_SHARED`` letters
        give an ending swap (both ways); sharing an ending gives a beginning swap.
        """
        endings: Counter[tuple[str, str]] = Counter()
        beginnings: Counter[tuple[str, str]] = Counter()
        for names in names_by_occupation:
            words = sorted({n for n in names if len(n) >= MIN_SHARED and " " not in n})
            # Only names that share their first (last) MIN_SHARED letters can give a rule.
            by_start: dict[str, list[str]] = defaultdict(list)
            by_end: dict[str, list[str]] = defaultdict(list)
            for word in words:
                by_start[word[:MIN_SHARED]].append(word)
                by_end[word[-MIN_SHARED:]].append(word)
            for bucket in by_start.values():
                for i, a in enumerate(bucket):
                    for b in bucket[i + 1 :]:
                        p = _shared_prefix(a, b)
                        endings[(a[p:], b[p:])] += 1
                        endings[(b[p:], a[p:])] += 1
            for bucket in by_end.values():
                for i, a in enumerate(bucket):
                    for b in bucket[i + 1 :]:
                        q = _shared_suffix(a, b)
                        beginnings[(a[:-q], b[:-q])] += 1
                        beginnings[(b[:-q], a[:-q])] += 1
        return cls(
            _index(endings),
            _index(beginnings),
            {pair: math.log1p(n) for pair, n in endings.items()},
            {pair: math.log1p(n) for pair, n in beginnings.items()},
        )

    def __len__(self) -> int:
        return sum(map(len, self.endings.values())) + sum(map(len, self.beginnings.values()))

    def variants(self, word: str) -> dict[str, float]:
        """Every rewriting of one normalised word, with the weight of its best rule.

        The part of the word that stays is at least ``MIN_SHARED`` letters, as when mined.
        """
        found: dict[str, float] = {}
        n = len(word)
        for i in range(MIN_SHARED, n + 1):
            for replacement, weight in self.endings.get(word[i:], ()):
                variant = word[:i] + replacement
                if weight > found.get(variant, 0.0):
                    found[variant] = weight
        for i in range(n - MIN_SHARED + 1):
            for replacement, weight in self.beginnings.get(word[:i], ()):
                variant = replacement + word[i:]
                if weight > found.get(variant, 0.0):
                    found[variant] = weight
        found.pop(word, None)
        return found

    def into_names(
        self, word: str, names: Sequence[str], reversed_words: Sequence[str]
    ) -> dict[str, float]:
        """The rewritings of one word, as :meth:`variants`, looked for among known names.

        ``names`` are the known names sorted; ``reversed_words`` the one-word names spelt
        backwards, sorted. For each way to cut the word, whichever is fewer is tried: the
        rules for the part that goes, or the names that share the part that stays. So a cut
        with thousands of rules but a handful of fitting names costs a handful of look-ups.
        Texts from the rules side may not be names; the caller checks.
        """
        found: dict[str, float] = {}
        n = len(word)
        for i in range(MIN_SHARED, n + 1):
            stem, ending = word[:i], word[i:]
            lo = bisect.bisect_left(names, stem)
            hi = bisect.bisect_left(names, stem + _AFTER_ALL)
            if lo == hi:
                break  # a longer stem begins no name either
            rules = self.endings.get(ending, ())
            if len(rules) <= hi - lo:
                candidates = [(stem + target, weight) for target, weight in rules]
            else:
                candidates = [
                    (name, weight)
                    for name in names[lo:hi]
                    if (weight := self.ending_pairs.get((ending, name[i:]), 0.0)) > 0.0
                ]
            for variant, weight in candidates:
                if weight > found.get(variant, 0.0):
                    found[variant] = weight
        for i in range(n - MIN_SHARED, -1, -1):
            beginning, tail = word[:i], word[i:]
            backwards = tail[::-1]
            lo = bisect.bisect_left(reversed_words, backwards)
            hi = bisect.bisect_left(reversed_words, backwards + _AFTER_ALL)
            if lo == hi:
                break  # a longer tail ends no name either
            rules = self.beginnings.get(beginning, ())
            if len(rules) <= hi - lo:
                candidates = [(source + tail, weight) for source, weight in rules]
            else:
                size = len(tail)
                candidates = []
                for reversed_name in reversed_words[lo:hi]:
                    name = reversed_name[::-1]
                    weight = self.beginning_pairs.get((beginning, name[:-size]), 0.0)
                    if weight > 0.0:
                        candidates.append((name, weight))
            for variant, weight in candidates:
                if weight > found.get(variant, 0.0):
                    found[variant] = weight
        found.pop(word, None)
        return found


def _index(counts: Counter[tuple[str, str]]) -> dict[str, tuple[tuple[str, float], ...]]:
    by_source: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for (source, target), support in counts.items():  # deterministic: insertion order
        by_source[source].append((target, math.log1p(support)))
    return {source: tuple(targets) for source, targets in by_source.items()}
