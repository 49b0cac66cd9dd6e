"""Rank a whole caseload: scarce places promised once, suggestions spread, urgent people first.

:func:`rank_caseload` ranks every participant with a fitted :class:`~matching.ranking.Matcher`,
then decides which participants are *promised* which scarce offers (practice slots and openings
with a limited number of places) so that no offer is promised to more participants than its free
capacity, by a min-cost flow solved exactly (a transportation linear programme over a network
matrix, so the optimum is integral; scipy's HiGHS dual simplex returns a vertex). The flow
maximises total fit, with

- an urgency bonus for participants near or past the 30-day mark without an employer contact,
- at most one promised place per employer, kind and participant (spread within a person's list),
- a convex cost per employer across the caseload: the k-th participant sent to the same employer
  costs ``(k - 1) * employer_spread`` more (diminishing returns, spread across employers).

Each person's final lists keep the unlimited suggestions (employers to approach, openings without
a capacity) and only the scarce offers promised to them, re-ranked so the same employer and the
same occupation do not fill a list (a penalty per repeat).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from matching.ranking import Matcher, check_is_fitted
from matching.types import Preferences, RankingResult, ScoredSuggestion, SuggestionKind

__all__ = [
    "CONTACT_DEADLINE_DAYS",
    "Assignment",
    "CaseloadParticipant",
    "CaseloadResult",
    "ParticipantPlan",
    "diversify",
    "rank_caseload",
    "urgency",
]

#: IPS: first face-to-face employer contact within about a month of programme entry.
CONTACT_DEADLINE_DAYS = 30


@dataclass(frozen=True, slots=True)
class CaseloadParticipant:
    """One participant of a caseload.

    Parameters
    ----------
    preferences : Preferences
    entry_date : date
        Programme entry; starts the 30-day clock.
    first_employer_contact_date : date or None
        First face-to-face employer contact made for the person; None while there is none.
    """

    preferences: Preferences
    entry_date: date
    first_employer_contact_date: date | None = None

    @property
    def participant_id(self) -> str:
        """Shortcut to ``preferences.participant_id``."""
        return self.preferences.participant_id


@dataclass(frozen=True, slots=True)
class Assignment:
    """A scarce offer promised to one participant.

    Parameters
    ----------
    participant_id : str
    offer_id : str
    score : float
        The suggestion's score for this participant, in [0, 1].
    """

    participant_id: str
    offer_id: str
    score: float


@dataclass(frozen=True, slots=True)
class ParticipantPlan:
    """What one participant's coach sees for the caseload run.

    Parameters
    ----------
    participant_id : str
    days_since_entry : int
    days_left : int
        Days until the 30-day mark (negative when past); meaningful while there is no contact.
    has_employer_contact : bool
    urgency : float
        In [0, 1]; 1 at or past the 30-day mark without a contact, 0 once there is a contact.
    result : RankingResult
        The final lists (scarce offers only where promised), ranks renumbered.
    promised_offer_ids : frozenset of str
        The scarce offers promised to this participant.
    """

    participant_id: str
    days_since_entry: int
    days_left: int
    has_employer_contact: bool
    urgency: float
    result: RankingResult
    promised_offer_ids: frozenset[str]


@dataclass(frozen=True, slots=True)
class CaseloadResult:
    """Plans for a caseload, most urgent first, and the scarce-place assignment.

    Parameters
    ----------
    plans : tuple of ParticipantPlan
        Ordered: no employer contact yet by days since entry (descending), then the others by
        days since entry (descending), then participant id.
    assignments : tuple of Assignment
        Sorted by offer id, then participant id.
    promised_per_offer : Mapping[str, int]
        Offer id -> number of participants promised; never above the offer's free capacity.
    objective : float
        Total adjusted fit of the assignment (what the flow maximised).
    """

    plans: tuple[ParticipantPlan, ...]
    assignments: tuple[Assignment, ...]
    promised_per_offer: Mapping[str, int]
    objective: float

    def plan_for(self, participant_id: str) -> ParticipantPlan:
        """The plan of one participant; raises ``KeyError``."""
        for plan in self.plans:
            if plan.participant_id == participant_id:
                return plan
        raise KeyError(participant_id)


def urgency(
    entry_date: date, first_employer_contact_date: date | None, today: date
) -> tuple[int, float]:
    """Days since entry and urgency of the 30-day clock.

    Parameters
    ----------
    entry_date : date
    first_employer_contact_date : date or None
    today : date

    Returns
    -------
    days_since_entry : int
        >= 0 (an entry in the future counts as 0).
    urgency : float
        In [0, 1]: ``days_since_entry / 30`` capped at 1 while there is no employer contact,
        0 once there is one.
    """
    days = max(0, (today - entry_date).days)
    if first_employer_contact_date is not None:
        return days, 0.0
    return days, min(1.0, days / CONTACT_DEADLINE_DAYS)


def diversify(
    suggestions: Sequence[ScoredSuggestion],
    k: int,
    *,
    employer_penalty: float = 0.15,
    occupation_penalty: float = 0.05,
) -> tuple[ScoredSuggestion, ...]:
    """Re-rank a list so one employer or one occupation does not fill it.

    Greedy maximal-marginal-relevance: each pick maximises
    ``score - employer_penalty * (times its employer is already listed)
    - occupation_penalty * (times its first occupation is already listed)``; ties by offer id.

    Parameters
    ----------
    suggestions : sequence of ScoredSuggestion
        Candidates (any order).
    k : int
        Length of the result, >= 0.
    employer_penalty, occupation_penalty : float
        >= 0.

    Returns
    -------
    tuple of ScoredSuggestion
        At most ``k``, ranks renumbered from 1; scores are the original ones.
    """
    pool = sorted(suggestions, key=lambda s: (-s.score, s.offer_id))
    chosen: list[ScoredSuggestion] = []
    employers: Counter[str] = Counter()
    occupations: Counter[str] = Counter()
    while pool and len(chosen) < k:
        best_i, best_v = 0, -np.inf
        for i, s in enumerate(pool):
            occ = s.offer.occupation_ids[0] if s.offer.occupation_ids else s.offer.title
            v = (
                s.score
                - employer_penalty * employers[s.offer.employer_id]
                - occupation_penalty * occupations[occ]
            )
            if v > best_v + 1e-12:
                best_i, best_v = i, v
            if employers[s.offer.employer_id] == 0 and occupations[occ] == 0:
                break  # the list is sorted: nothing later can beat an unpenalised item
        s = pool.pop(best_i)
        chosen.append(s)
        employers[s.offer.employer_id] += 1
        occupations[s.offer.occupation_ids[0] if s.offer.occupation_ids else s.offer.title] += 1
    return tuple(dataclasses.replace(s, rank=r + 1) for r, s in enumerate(chosen))


def _is_scarce(s: ScoredSuggestion) -> bool:
    return s.offer.kind is not SuggestionKind.EMPLOYER and s.offer.free_capacity is not None


def rank_caseload(
    matcher: Matcher,
    participants: Sequence[CaseloadParticipant],
    *,
    today: date,
    top_k: int | None = None,
    pool_factor: int = 3,
    max_promised: Mapping[SuggestionKind, int] | None = None,
    urgency_bonus: float = 0.2,
    employer_spread: float = 0.02,
    employer_penalty: float = 0.15,
    occupation_penalty: float = 0.05,
) -> CaseloadResult:
    """Rank a caseload and promise scarce places without over-promising.

    Parameters
    ----------
    matcher : Matcher
        Fitted.
    participants : sequence of CaseloadParticipant
        Participant ids must be unique.
    today : date
        Reference day for the 30-day clock, deadlines and periods.
    top_k : int, optional
        Final list length per kind; defaults to ``matcher.top_k``.
    pool_factor : int, default 3
        Each participant's candidates per kind are the ``pool_factor * top_k`` best.
    max_promised : mapping, optional
        Most scarce offers promised to one participant per kind; default one practice slot and
        ``top_k`` openings.
    urgency_bonus : float, default 0.2
        A participant's fit counts ``1 + urgency_bonus * urgency`` times in the assignment.
    employer_spread : float, default 0.02
        Extra cost of each further participant promised a place at the same employer.
    employer_penalty, occupation_penalty : float
        Repeat penalties of :func:`diversify` for the final lists.

    Returns
    -------
    CaseloadResult
        No offer is promised to more participants than its free capacity; each participant is
        promised at most one place per employer and kind, and ``max_promised[kind]`` per kind.
    """
    check_is_fitted(matcher)
    k = matcher.top_k if top_k is None else top_k
    if k < 1 or pool_factor < 1:
        raise ValueError("top_k and pool_factor must be >= 1")
    ids = [p.participant_id for p in participants]
    if len(set(ids)) != len(ids):
        raise ValueError("participant ids must be unique")
    limits = {SuggestionKind.PRACTICE: 1, SuggestionKind.OPENING: k}
    limits.update(max_promised or {})

    results: list[RankingResult] = []
    clocks: list[tuple[int, float]] = []
    for p in participants:
        results.append(matcher.rank(p.preferences, top_k=k * pool_factor, today=today))
        clocks.append(urgency(p.entry_date, p.first_employer_contact_date, today))

    assigned, objective = _assign(results, clocks, limits, urgency_bonus, employer_spread)

    plans: list[ParticipantPlan] = []
    for p, res, (days, urg) in zip(participants, results, clocks, strict=True):
        mine = assigned.get(p.participant_id, set())
        lists: dict[SuggestionKind, tuple[ScoredSuggestion, ...]] = {}
        for kind in SuggestionKind:
            kept = [s for s in res.by_kind(kind) if not _is_scarce(s) or s.offer_id in mine]
            lists[kind] = diversify(
                kept,
                k,
                employer_penalty=employer_penalty,
                occupation_penalty=occupation_penalty,
            )
        plans.append(
            ParticipantPlan(
                participant_id=p.participant_id,
                days_since_entry=days,
                days_left=CONTACT_DEADLINE_DAYS - days,
                has_employer_contact=p.first_employer_contact_date is not None,
                urgency=urg,
                result=dataclasses.replace(
                    res,
                    openings=lists[SuggestionKind.OPENING],
                    practice=lists[SuggestionKind.PRACTICE],
                    employers=lists[SuggestionKind.EMPLOYER],
                ),
                promised_offer_ids=frozenset(mine),
            )
        )
    plans.sort(key=lambda pl: (pl.has_employer_contact, -pl.days_since_entry, pl.participant_id))

    score_of = {
        (r.participant_id, s.offer_id): s.score for r in results for s in r.all_suggestions()
    }
    assignments = tuple(
        sorted(
            (
                Assignment(pid, oid, score_of[(pid, oid)])
                for pid, oids in assigned.items()
                for oid in oids
            ),
            key=lambda a: (a.offer_id, a.participant_id),
        )
    )
    per_offer = Counter(a.offer_id for a in assignments)
    return CaseloadResult(
        plans=tuple(plans),
        assignments=assignments,
        promised_per_offer=MappingProxyType(dict(sorted(per_offer.items()))),
        objective=objective,
    )


def _assign(
    results: Sequence[RankingResult],
    clocks: Sequence[tuple[int, float]],
    limits: Mapping[SuggestionKind, int],
    urgency_bonus: float,
    employer_spread: float,
) -> tuple[dict[str, set[str]], float]:
    """Min-cost flow source -> participant[kind] -> (participant, employer) -> offer -> employer
    -> sink, written as an LP over the edge variables; returns participant id -> offer ids."""
    # Edge variables x[e] for candidate (participant, scarce offer) pairs.
    pairs: list[tuple[int, str, str, SuggestionKind, float]] = []  # (p, offer, employer, kind, v)
    capacity: dict[str, int] = {}
    for pi, (res, (_days, urg)) in enumerate(zip(results, clocks, strict=True)):
        for s in res.openings + res.practice:
            if not _is_scarce(s):
                continue
            free = s.offer.free_capacity or 0
            if free <= 0 or limits.get(s.offer.kind, 0) <= 0:
                continue
            capacity[s.offer_id] = free
            value = s.score * (1.0 + urgency_bonus * urg)
            pairs.append((pi, s.offer_id, s.offer.employer_id, s.offer.kind, value))
    if not pairs:
        return {}, 0.0
    pairs.sort(key=lambda t: (t[0], t[1]))

    # Employer spread: z[E, j] carries the j-th unit into employer E at cost j * spread.
    emp_units: dict[str, int] = {}
    offer_emp: dict[str, str] = {}
    for _pi, oid, emp, _kind, _v in pairs:
        offer_emp[oid] = emp
    for oid, emp in offer_emp.items():
        emp_units[emp] = emp_units.get(emp, 0) + capacity[oid]
    emps = sorted(emp_units)
    z_index: list[tuple[str, int]] = [(e, j) for e in emps for j in range(emp_units[e])]

    n_x, n_z = len(pairs), len(z_index)
    cost = np.concatenate(
        [
            -np.array([t[4] for t in pairs]),
            np.array([j * employer_spread for _e, j in z_index], dtype=np.float64),
        ]
    )
    # Inequalities (<=): per participant and kind; per participant and employer; per offer.
    rows: list[int] = []
    cols: list[int] = []
    rhs: list[float] = []
    keys: dict[tuple[object, ...], int] = {}

    def row(key: tuple[object, ...], bound: float) -> int:
        r = keys.get(key)
        if r is None:
            r = keys[key] = len(rhs)
            rhs.append(bound)
        return r

    for xi, (pi, oid, emp, kind, _v) in enumerate(pairs):
        for key, bound in (
            (("pk", pi, kind), limits[kind]),
            (("pe", pi, kind, emp), 1),
            (("o", oid), capacity[oid]),
        ):
            rows.append(row(key, float(bound)))
            cols.append(xi)
    a_ub = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(rhs), n_x + n_z)).tocsr()
    # Equalities: flow into employer E equals the z units it uses.
    emp_row = {e: i for i, e in enumerate(emps)}
    er: list[int] = []
    ec: list[int] = []
    ev: list[float] = []
    for xi, (_pi, _oid, emp, _kind, _v) in enumerate(pairs):
        er.append(emp_row[emp])
        ec.append(xi)
        ev.append(1.0)
    for zi, (e, _j) in enumerate(z_index):
        er.append(emp_row[e])
        ec.append(n_x + zi)
        ev.append(-1.0)
    a_eq = coo_matrix((ev, (er, ec)), shape=(len(emps), n_x + n_z)).tocsr()
    res = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.array(rhs),
        A_eq=a_eq,
        b_eq=np.zeros(len(emps)),
        bounds=(0.0, 1.0),
        method="highs-ds",
    )
    if res.status != 0:  # pragma: no cover - the zero flow is always feasible
        raise RuntimeError(f"assignment failed: {res.message}")
    x = np.asarray(res.x[:n_x])
    chosen = x > 0.5
    # A vertex of a network LP is integral; a fractional value would mean a solver fault.
    if np.any(np.abs(x - chosen) > 1e-6):  # pragma: no cover
        raise RuntimeError("assignment is not integral")
    out: dict[str, set[str]] = {}
    for xi in np.flatnonzero(chosen).tolist():
        pi, oid, _emp, _kind, _v = pairs[xi]
        out.setdefault(results[pi].participant_id, set()).add(oid)
    return out, float(-res.fun)
