"""Completion of a partly typed name: which taxonomy names the text a person is typing begins.

An autocomplete box sees "unders", "underskö", "lärare f" while the person types. Looked up as
finished text, a word stub fits names that share its letters anywhere ("kö" is spelt much like
"Chief Operations/CO"), and by meaning it is noise ("underskö" is near "Läkarstuderande" and
"Kock storhushåll"). A completion is exact
instead: every typed word begins a word of the name. :class:`NameCompleter` finds those names
by binary search over the sorted words of all names (a few microseconds per typed word).

A typed word with å, ä, ö or another diacritic must match it ("städ" completes "Städare", not
"Stadsbyggnadsdirektör"); a word typed without any matches either way, since people type
without a Swedish keyboard ("stad" completes both).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"[^\W_]+")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_AFTER_ALL = "\U0010ffff"


def words(text: str) -> list[str]:
    """The words of a text, lower case, diacritics kept ("IT-tekniker" -> it, tekniker)."""
    return _WORD.findall(unicodedata.normalize("NFC", text.casefold()))


def fold(word: str) -> str:
    """A word without diacritics ("städare" -> "stadare")."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", word))


@dataclass(frozen=True, slots=True)
class Completion:
    """One name that the typed text begins."""

    name: int
    """Index of the name in the sequence the completer was built from."""
    coverage: float
    """Typed letters over the name's letters, in (0, 1]; 1 when the text is the whole name.
    Lower by ``inner_weight`` when the first typed word begins a later word of the name."""
    whole: bool
    """The text is the whole name (every word typed in full, in order)."""


class NameCompleter:
    """The names a partly typed text begins, word by word.

    Parameters
    ----------
    names : sequence of str
        The names to complete, as written (case and diacritics are handled here).
    inner_weight : float in (0, 1], default=0.75
        Coverage factor when the first typed word begins a later word of the name ("unders"
        in "Steriltekniker/Undersköterska, sterilcentral"), a weaker reading than the name's own
        beginning.
    folded_weight : float in (0, 1], default=0.85
        Coverage factor when a word typed without diacritics begins the name's word only once
        its diacritics are dropped ("lag" in "Lågstadielärare"): "lag" more likely begins
        "Lager...".
    """

    def __init__(
        self, names: Sequence[str], inner_weight: float = 0.75, folded_weight: float = 0.85
    ) -> None:
        for name, value in (("inner_weight", inner_weight), ("folded_weight", folded_weight)):
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1]")
        self.inner_weight = inner_weight
        self.folded_weight = folded_weight
        self._words = [words(name) for name in names]
        self._letters = np.array([sum(map(len, w)) for w in self._words], dtype=np.float64)
        self._most_words = max(map(len, self._words), default=0)
        exact: list[tuple[str, int]] = []
        folded: list[tuple[str, int]] = []
        for index, name_words in enumerate(self._words):
            for word in set(name_words):
                exact.append((word, index))
                folded.append((fold(word), index))
        exact.sort()
        folded.sort()
        self._exact_words = [w for w, _ in exact]
        self._exact_names = np.array([i for _, i in exact], dtype=np.int64)
        self._folded_words = [w for w, _ in folded]
        self._folded_names = np.array([i for _, i in folded], dtype=np.int64)

    def _beginning(self, typed: str) -> np.ndarray:
        """Indices of the names with a word that begins with one typed word."""
        plain = fold(typed)
        if plain == typed:
            keys, names = self._folded_words, self._folded_names
        else:
            keys, names, plain = self._exact_words, self._exact_names, typed
        start = bisect.bisect_left(keys, plain)
        stop = bisect.bisect_left(keys, plain + _AFTER_ALL, lo=start)
        return np.unique(names[start:stop])

    def complete(self, text: str, skip: frozenset[str] = frozenset()) -> list[Completion]:
        """Every name that ``text`` begins, in the order of the names.

        Parameters
        ----------
        text : str
            What has been typed so far.
        skip : frozenset of str
            Folded words to ignore when the text has other words too ("jobba", "med").

        Returns
        -------
        list of Completion
            Empty when the text has no word or no name has a word for each typed word.
        """
        typed = words(text)
        kept = [w for w in typed if fold(w) not in skip]
        typed = kept or typed
        if not typed or len(typed) > self._most_words:
            return []  # each typed word needs a word of its own
        found = self._beginning(typed[0])
        for word in typed[1:]:
            if not len(found):
                break
            found = np.intersect1d(found, self._beginning(word), assume_unique=True)
        typed_letters = sum(map(len, typed))
        result = []
        for index in found.tolist():
            name_words = self._words[index]
            slots = _assign(typed, name_words)
            if slots is None:
                continue
            coverage = min(typed_letters / max(self._letters[index], 1.0), 1.0)
            if slots[0] != 0:
                coverage *= self.inner_weight
            if not all(
                name_words[slot].startswith(w) for w, slot in zip(typed, slots, strict=True)
            ):
                coverage *= self.folded_weight
            whole = (
                len(typed) == len(name_words)
                and slots == list(range(len(typed)))
                and all(_same(a, b) for a, b in zip(typed, name_words, strict=True))
            )
            result.append(Completion(name=index, coverage=1.0 if whole else coverage, whole=whole))
        return result


def _same(typed: str, word: str) -> bool:
    return typed == word or (fold(typed) == typed and typed == fold(word))


def _begins(typed: str, word: str) -> bool:
    if fold(typed) == typed:
        return fold(word).startswith(typed)
    return word.startswith(typed)


def _assign(typed: list[str], name_words: list[str]) -> list[int] | None:
    """A distinct word of the name for each typed word, or None.

    Longer typed words choose first ("l lärare": "lärare" takes "Lärare", "l" another word),
    each the name's first free word it begins.
    """
    used: set[int] = set()
    slots = [0] * len(typed)
    for position in sorted(range(len(typed)), key=lambda p: -len(typed[p])):
        word = typed[position]
        slot = next(
            (i for i, w in enumerate(name_words) if i not in used and _begins(word, w)), None
        )
        if slot is None:
            return None
        used.add(slot)
        slots[position] = slot
    return slots
