"""Value types of the ranking engine: the contract between the register and the matcher.

Everything here is a frozen dataclass or a ``StrEnum``; nothing touches a database. Adapters in
``employers/adapters.py`` and ``profiles/adapters.py`` turn rows into :class:`Offer` and
:class:`Preferences`; :class:`matching.ranking.Matcher` turns them into a :class:`RankingResult`.

Protected grounds (age, sex, ethnicity, religion, diagnosis, ...) have no field anywhere in this
module on purpose: what is not in the type cannot enter a score.

Condition tags
--------------
A participant's ``refusals`` and an offer's ``conditions`` share one vocabulary of tags,
:data:`CONDITION_TAGS`. A refusal that matches a condition removes the offer (a hard constraint).
Schedule tags are also derived from an offer's :class:`Schedule` set, so an offer with
``Schedule.NIGHT`` counts as ``"night_work"`` even if the adapter did not tag it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from typing import Protocol, runtime_checkable

__all__ = [
    "CONDITION_TAGS",
    "COMPONENTS",
    "DEFAULT_COMMUTE_LIMIT_KM",
    "CAR_LICENCES",
    "Schedule",
    "Transport",
    "SuggestionKind",
    "EmploymentForm",
    "PhysicalDemand",
    "ExclusionReason",
    "Place",
    "LanguageSkill",
    "Preferences",
    "Offer",
    "ScoredSuggestion",
    "Exclusion",
    "RankingResult",
    "OccupationCandidate",
    "OccupationNeighbour",
    "OccupationResolver",
    "condition_label",
    "schedule_conditions",
]


class Schedule(StrEnum):
    """When the work is done. A participant accepts a set; an offer has a set."""

    DAY = "day"
    EVENING = "evening"
    NIGHT = "night"
    WEEKEND = "weekend"


class Transport(StrEnum):
    """How a participant can travel to work. ``CAR`` only counts with a car licence."""

    CAR = "car"
    PUBLIC = "public"
    BIKE = "bike"
    WALK = "walk"


class SuggestionKind(StrEnum):
    """The three lists a coach sees for one participant."""

    OPENING = "opening"  # an advertised job
    PRACTICE = "practice"  # a practice / work-trial slot
    EMPLOYER = "employer"  # an employer to approach without an opening ("hidden job")


class EmploymentForm(StrEnum):
    """Form of employment. Competitive work is the IPS goal; subsidised jobs are marked."""

    COMPETITIVE = "competitive"
    SUBSIDISED = "subsidised"  # lönebidrag, nystartsjobb, introduktionsjobb ...
    PRACTICE = "practice"  # praktik / arbetsträning, unpaid


class PhysicalDemand(IntEnum):
    """Physical demand of a job, and the most a participant wants to take on."""

    LIGHT = 1
    MEDIUM = 2
    HEAVY = 3


class ExclusionReason(StrEnum):
    """Why a hard constraint removed an offer. Each removed offer counts once, under the first
    reason that applies in this order (the order of the members)."""

    CLOSED = "closed"  # opening closed / employer inactive
    DEADLINE_PASSED = "deadline_passed"
    DECLINED = "declined"  # the participant already declined this suggestion
    REFUSAL = "refusal"  # one of the participant's refusals; ``Exclusion.detail`` holds the tag
    LICENCE = "licence"  # a required driving licence the participant lacks
    COMMUTE = "commute"  # straight-line distance beyond the participant's limit
    FULL = "full"  # slot has no free capacity
    OUTSIDE_PERIOD = "outside_period"  # slot period ended, or starts after it ends for them


#: Tag -> (Swedish label, English label). Used for refusals and offer conditions alike.
CONDITION_TAGS: Mapping[str, tuple[str, str]] = {
    "night_work": ("nattarbete", "night work"),
    "evening_work": ("kvällsarbete", "evening work"),
    "weekend_work": ("helgarbete", "weekend work"),
    "early_mornings": ("tidiga morgnar", "early mornings"),
    "shift_work": ("skiftarbete", "shift work"),
    "pork": ("hantering av fläskkött", "handling pork"),
    "alcohol": ("hantering av alkohol", "handling alcohol"),
    "meat": ("hantering av kött", "handling meat"),
    "animals": ("arbete med djur", "working with animals"),
    "heavy_lifting": ("tunga lyft", "heavy lifting"),
    "customer_contact": ("kundkontakt", "customer contact"),
    "phone_work": ("telefonarbete", "phone work"),
    "cash_handling": ("kontanthantering", "cash handling"),
    "working_alone": ("ensamarbete", "working alone"),
    "heights": ("arbete på höjd", "working at heights"),
    "noise": ("bullrig miljö", "noisy environment"),
    "cold": ("kall miljö", "cold environment"),
    "dust_allergens": ("damm eller allergener", "dust or allergens"),
    "children": ("arbete med barn", "working with children"),
    "care_work": ("vård och omsorg av personer", "personal care work"),
    "uniform": ("krav på arbetskläder/uniform", "uniform required"),
    "background_check": ("utdrag ur belastningsregistret", "criminal record check"),
}

#: Schedule -> the condition tag it implies.
_SCHEDULE_TAGS: Mapping[Schedule, str] = {
    Schedule.NIGHT: "night_work",
    Schedule.EVENING: "evening_work",
    Schedule.WEEKEND: "weekend_work",
}

#: Names of the score components, in display order. Each is in [0, 1].
COMPONENTS: tuple[str, ...] = (
    "occupation",
    "hours",
    "schedule",
    "commute",
    "requirements",
    "freshness",
    "relationship",
    "demand",
)

#: Straight-line commute limit (km) used when a participant has no own limit, per transport.
#: The effective default limit is the largest over the transports the person can use.
DEFAULT_COMMUTE_LIMIT_KM: Mapping[Transport, float] = {
    Transport.WALK: 3.0,
    Transport.BIKE: 10.0,
    Transport.PUBLIC: 30.0,
    Transport.CAR: 50.0,
}

#: Licence classes that allow driving an ordinary car to work.
CAR_LICENCES: frozenset[str] = frozenset(
    {"B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"}
)


def condition_label(tag: str, lang: str = "sv") -> str:
    """Plain-language label of a condition tag.

    Parameters
    ----------
    tag : str
        A key of :data:`CONDITION_TAGS`; unknown tags are shown with underscores as spaces.
    lang : {"sv", "en"}
        Language of the label.

    Returns
    -------
    str
    """
    labels = CONDITION_TAGS.get(tag)
    if labels is None:
        return tag.replace("_", " ")
    return labels[0] if lang == "sv" else labels[1]


def schedule_conditions(schedules: frozenset[Schedule]) -> frozenset[str]:
    """Condition tags implied by a set of schedules (night -> ``"night_work"`` etc.).

    Parameters
    ----------
    schedules : frozenset of Schedule

    Returns
    -------
    frozenset of str
    """
    return frozenset(_SCHEDULE_TAGS[s] for s in schedules if s in _SCHEDULE_TAGS)


@dataclass(frozen=True, slots=True)
class Place:
    """A point on the map.

    Parameters
    ----------
    lat, lon : float
        WGS84 degrees.
    municipality_code : str or None
        Four-digit kommunkod, e.g. ``"0180"`` for Stockholm.
    label : str
        What to show, e.g. a locality or municipality name.
    """

    lat: float
    lon: float
    municipality_code: str | None = None
    label: str = ""


@dataclass(frozen=True, slots=True)
class LanguageSkill:
    """A language and a level.

    Parameters
    ----------
    name : str
        Language name as in the taxonomy (``"Svenska"``, ``"Engelska"``), compared
        case-insensitively.
    level : int
        1 (a few words) to 5 (mother tongue / fluent). For a requirement: the minimum level.
    """

    name: str
    level: int = 3


@dataclass(frozen=True, slots=True)
class Preferences:
    """What one participant wants: the only input about a person the matcher sees.

    Parameters
    ----------
    participant_id : str
        Pseudonymous id, echoed in the result.
    wished_texts : tuple of str
        The person's own words ("jobba med djur", "lager"); resolved through the vocabulary.
    occupation_ids : tuple of str
        Taxonomy occupation concept ids chosen with the coach; score 1.0 when an offer has one.
    hours_min, hours_max : float or None
        Wished hours per week; None means no bound.
    schedules : frozenset of Schedule
        Acceptable schedules; empty means any. Not hard: use ``refusals`` for hard limits.
    home : Place or None
        Where the person lives; None disables the commute component and constraint.
    commute_limit_km : float or None
        Straight-line limit; None means the default for the person's transports
        (:data:`DEFAULT_COMMUTE_LIMIT_KM`).
    transports : frozenset of Transport
        Ways the person can travel; empty means public transport and walking.
    driving_licences : frozenset of str
        Licence classes held ("B", "C", ...).
    languages : tuple of LanguageSkill
    refusals : frozenset of str
        Condition tags (:data:`CONDITION_TAGS`) the person refuses: hard constraints.
    max_physical_demand : PhysicalDemand or None
        Most physical demand the person wants; heavier offers score lower (not removed; use the
        ``"heavy_lifting"`` refusal for a hard limit).
    wants_practice : bool
        Whether practice slots are suggested by default.
    available_from : date or None
        First day the person can start; slots whose period ends before it are removed.
    declined_offer_ids : frozenset of str
        Offers the person already declined; never suggested again.
    """

    participant_id: str
    wished_texts: tuple[str, ...] = ()
    occupation_ids: tuple[str, ...] = ()
    hours_min: float | None = None
    hours_max: float | None = None
    schedules: frozenset[Schedule] = frozenset()
    home: Place | None = None
    commute_limit_km: float | None = None
    transports: frozenset[Transport] = frozenset()
    driving_licences: frozenset[str] = frozenset()
    languages: tuple[LanguageSkill, ...] = ()
    refusals: frozenset[str] = frozenset()
    max_physical_demand: PhysicalDemand | None = None
    wants_practice: bool = False
    available_from: date | None = None
    declined_offer_ids: frozenset[str] = frozenset()

    def usable_transports(self) -> frozenset[Transport]:
        """Transports the person can really use (a car needs a car licence).

        Returns
        -------
        frozenset of Transport
        """
        ts = self.transports or frozenset({Transport.PUBLIC, Transport.WALK})
        if Transport.CAR in ts and not (self.driving_licences & CAR_LICENCES):
            ts = ts - {Transport.CAR}
        return ts or frozenset({Transport.WALK})

    def effective_commute_limit_km(self) -> float:
        """The straight-line commute limit in km: the person's own, or the transport default.

        Returns
        -------
        float
            > 0.
        """
        if self.commute_limit_km is not None:
            return float(self.commute_limit_km)
        return max(DEFAULT_COMMUTE_LIMIT_KM[t] for t in self.usable_transports())


@dataclass(frozen=True, slots=True)
class Offer:
    """Something to suggest: an opening, a practice slot, or an employer to approach.

    Parameters
    ----------
    offer_id : str
        Stable and unique, prefixed by kind, e.g. ``"opening:12"``, ``"practice:3"``,
        ``"employer:7"``. Ties in the ranking break on it.
    kind : SuggestionKind
    employer_id : str
    employer_name : str
    title : str
        Title as the employer writes it (for an employer to approach: its trade).
    occupation_ids : tuple of str
        Taxonomy occupation concept ids (for an employer: the occupations it employs).
    ssyk4_codes : tuple of str
        SSYK-4 codes ("5131"); used when no occupation id matches exactly.
    place : Place or None
        Workplace; None means unknown (no commute score, never removed for commute).
    hours_per_week : float or None
    schedules : frozenset of Schedule
    employment_form : EmploymentForm
    required_licences : frozenset of str
        Licence classes required; lacking any removes the offer.
    required_languages : tuple of LanguageSkill
        Soft: scored in ``requirements``.
    physical_demand : PhysicalDemand or None
    conditions : frozenset of str
        Condition tags (:data:`CONDITION_TAGS`) of the work.
    deadline : date or None
        Last application day; passed removes the offer.
    is_open : bool
        False removes the offer (closed opening, inactive employer).
    capacity : int or None
        Places in a slot or vacancies in an opening; None = not limited (employers).
    taken : int
        Places already promised or filled.
    period_start, period_end : date or None
        Period of a practice slot.
    relationship_warmth : float
        In [0, 1]: how warm our relationship with the employer is (recent contacts, earlier hires).
    demand_2024 : int or None
        Number of 2024 job ads for this SSYK-4 group in this municipality.
    subsidy_label : str or None
        What kind of subsidy ("lönebidrag", "nystartsjobb"), shown for subsidised jobs.
    """

    offer_id: str
    kind: SuggestionKind
    employer_id: str
    employer_name: str
    title: str
    occupation_ids: tuple[str, ...] = ()
    ssyk4_codes: tuple[str, ...] = ()
    place: Place | None = None
    hours_per_week: float | None = None
    schedules: frozenset[Schedule] = frozenset()
    employment_form: EmploymentForm = EmploymentForm.COMPETITIVE
    required_licences: frozenset[str] = frozenset()
    required_languages: tuple[LanguageSkill, ...] = ()
    physical_demand: PhysicalDemand | None = None
    conditions: frozenset[str] = frozenset()
    deadline: date | None = None
    is_open: bool = True
    capacity: int | None = None
    taken: int = 0
    period_start: date | None = None
    period_end: date | None = None
    relationship_warmth: float = 0.0
    demand_2024: int | None = None
    subsidy_label: str | None = None

    @property
    def free_capacity(self) -> int | None:
        """Free places (``capacity - taken``, at least 0); None when not limited."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.taken)

    @property
    def all_conditions(self) -> frozenset[str]:
        """Explicit conditions plus those implied by the schedules."""
        return self.conditions | schedule_conditions(self.schedules)

    @property
    def is_subsidised(self) -> bool:
        """True for subsidised employment (shown as such to the coach)."""
        return self.employment_form is EmploymentForm.SUBSIDISED


@dataclass(frozen=True, slots=True)
class ScoredSuggestion:
    """One ranked suggestion with its explanation.

    Parameters
    ----------
    offer : Offer
    score : float
        Total in [0, 1]; higher is better.
    components : Mapping[str, float]
        Component name (:data:`COMPONENTS`) -> value in [0, 1]. Treat as read-only.
    distance_km : float or None
        Straight-line (great-circle) distance from home to the workplace; None if unknown.
    reasons_sv, reasons_en : tuple of str
        Plain-language reasons, Swedish and English, same order.
    rank : int
        1-based position within its list.
    matched_occupation : str or None
        Label of the occupation (or wish) that matched best.
    """

    offer: Offer
    score: float
    components: Mapping[str, float]
    distance_km: float | None
    reasons_sv: tuple[str, ...]
    reasons_en: tuple[str, ...]
    rank: int
    matched_occupation: str | None = None

    @property
    def offer_id(self) -> str:
        """Shortcut to ``offer.offer_id``."""
        return self.offer.offer_id

    @property
    def kind(self) -> SuggestionKind:
        """Shortcut to ``offer.kind``."""
        return self.offer.kind

    def reasons(self, lang: str = "sv") -> tuple[str, ...]:
        """Reasons in ``"sv"`` (default) or ``"en"``."""
        return self.reasons_sv if lang == "sv" else self.reasons_en


_REASON_LABELS: Mapping[ExclusionReason, tuple[str, str]] = {
    ExclusionReason.CLOSED: ("stängd", "closed"),
    ExclusionReason.DEADLINE_PASSED: ("sista ansökningsdag passerad", "deadline passed"),
    ExclusionReason.DECLINED: ("redan avböjd", "already declined"),
    ExclusionReason.REFUSAL: ("", ""),
    ExclusionReason.LICENCE: ("körkort saknas", "driving licence missing"),
    ExclusionReason.COMMUTE: ("för långt bort (fågelväg)", "too far away (straight line)"),
    ExclusionReason.FULL: ("inga lediga platser", "no free places"),
    ExclusionReason.OUTSIDE_PERIOD: ("utanför perioden", "outside the period"),
}


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A count of offers one hard constraint removed from one list.

    Parameters
    ----------
    kind : SuggestionKind
        The list the offers would have been in.
    reason : ExclusionReason
    detail : str or None
        For ``REFUSAL`` the condition tag; for ``LICENCE`` the licence class.
    count : int
        >= 1.
    """

    kind: SuggestionKind
    reason: ExclusionReason
    detail: str | None
    count: int

    def label(self, lang: str = "sv") -> str:
        """What removed them, e.g. ``"nattarbete"`` / ``"night work"``."""
        if self.reason is ExclusionReason.REFUSAL and self.detail:
            return condition_label(self.detail, lang)
        sv, en = _REASON_LABELS[self.reason]
        text = sv if lang == "sv" else en
        if self.reason is ExclusionReason.LICENCE and self.detail:
            text = f"{text} ({self.detail})"
        return text

    @property
    def text_sv(self) -> str:
        """E.g. ``"3 borttagna: nattarbete"``."""
        word = "borttagen" if self.count == 1 else "borttagna"
        return f"{self.count} {word}: {self.label('sv')}"

    @property
    def text_en(self) -> str:
        """E.g. ``"3 removed: night work"``."""
        return f"{self.count} removed: {self.label('en')}"


@dataclass(frozen=True, slots=True)
class RankingResult:
    """Everything the matcher says about one participant.

    Parameters
    ----------
    participant_id : str
    openings, practice, employers : tuple of ScoredSuggestion
        Ranked lists (rank 1 first). ``practice`` is empty unless practice was asked for.
    exclusions : tuple of Exclusion
        Hard-constraint removals, per list and reason, sorted by kind then count (descending).
        Counted among the offers that fit the person's occupations (all offers when the person
        has no wish yet); practice slots are not counted when practice was not asked for.
    practice_included : bool
        Whether practice slots were ranked at all.
    """

    participant_id: str
    openings: tuple[ScoredSuggestion, ...] = ()
    practice: tuple[ScoredSuggestion, ...] = ()
    employers: tuple[ScoredSuggestion, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    practice_included: bool = False

    def by_kind(self, kind: SuggestionKind) -> tuple[ScoredSuggestion, ...]:
        """The ranked list of one kind."""
        return {
            SuggestionKind.OPENING: self.openings,
            SuggestionKind.PRACTICE: self.practice,
            SuggestionKind.EMPLOYER: self.employers,
        }[kind]

    def all_suggestions(self) -> tuple[ScoredSuggestion, ...]:
        """Openings, then practice, then employers."""
        return self.openings + self.practice + self.employers

    def exclusions_for(self, kind: SuggestionKind) -> tuple[Exclusion, ...]:
        """Exclusions of one list."""
        return tuple(e for e in self.exclusions if e.kind is kind)

    @property
    def excluded_count(self) -> int:
        """Number of offers removed by hard constraints, all lists."""
        return sum(e.count for e in self.exclusions)


@runtime_checkable
class OccupationCandidate(Protocol):
    """A candidate occupation for a text (what ``OccupationResolver.lookup`` returns)."""

    @property
    def occupation_id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def ssyk4_code(self) -> str: ...
    @property
    def score(self) -> float: ...


@runtime_checkable
class OccupationNeighbour(Protocol):
    """A near occupation (same SSYK-4 group or a substitute), weight in [0, 1]."""

    @property
    def occupation_id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def ssyk4_code(self) -> str: ...
    @property
    def weight(self) -> float: ...


@runtime_checkable
class OccupationResolver(Protocol):
    """What the matcher needs from the occupation vocabulary (``matching.vocabulary``).

    ``lookup`` maps free text to candidate occupations best first, scores in [0, 1], an empty
    list for empty or garbage input; ``meaning=True`` asks it to weigh what the text means, not
    only how it is spelt, where it can (a wish in plain words), ``None`` leaves that to it.
    ``neighbours`` lists near occupations of one occupation id (empty if unknown), weights in
    [0, 1].
    """

    def lookup(
        self, text: str, top: int = 10, *, meaning: bool | None = None
    ) -> Sequence[OccupationCandidate]: ...

    def neighbours(self, occupation_id: str) -> Sequence[OccupationNeighbour]: ...
