"""Web-layer glue between the participant side and the employer register.

Neither profiles/ nor employers/ may use the other's adapters, so what needs both lives here:
the register as matcher offers (employers/adapters.py, with the places profiles/coaching.py
counts as taken), the matcher fitted on it (cached per app while the register is unchanged),
and the JSON shape of a ranking for the API and `ipsmatch rank --json`.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlmodel import Session

from matching.ranking import Matcher
from matching.types import Offer, RankingResult, ScoredSuggestion
from profiles import coaching as profiles_coaching

_lock = threading.Lock()


# ------------------------------------------------------------------ the register as offers
def register_offers(session: Session) -> list[Offer]:
    """Every open opening, practice slot and employer as matcher offers, with places taken."""
    from employers.adapters import load_offers

    return load_offers(session, taken=profiles_coaching.taken_places(session))


def fitted_matcher(session: Session, *, state: Any) -> Matcher:
    """The matcher fitted on the current register, cached on the app state until it changes."""
    from matching.vocabulary import default_matcher

    signature = profiles_coaching.register_signature(session)
    cached = getattr(state, "coach_matcher", None)
    if cached is not None and cached[0] == signature:
        return cached[1]
    with _lock:
        cached = getattr(state, "coach_matcher", None)
        if cached is not None and cached[0] == signature:
            return cached[1]
        matcher = Matcher(top_k=10).fit(register_offers(session), vocabulary=default_matcher())
        state.coach_matcher = (signature, matcher)
        return matcher


# ------------------------------------------------------------------ JSON
def suggestion_json(s: ScoredSuggestion) -> dict[str, Any]:
    """One ranked suggestion as JSON (also used by `ipsmatch rank --json`)."""
    o = s.offer
    return {
        "rank": s.rank,
        "offer_id": o.offer_id,
        "kind": o.kind.value,
        "title": o.title,
        "employer_id": o.employer_id,
        "employer_name": o.employer_name,
        "employment_form": o.employment_form.value,
        "subsidy_label": o.subsidy_label,
        "score": round(s.score, 4),
        "components": {k: round(float(v), 4) for k, v in s.components.items()},
        "distance_km": None if s.distance_km is None else round(s.distance_km, 2),
        "distance_is_straight_line": True,
        "matched_occupation": s.matched_occupation,
        "reasons_sv": list(s.reasons_sv),
        "reasons_en": list(s.reasons_en),
    }


def result_json(result: RankingResult) -> dict[str, Any]:
    """A whole RankingResult as JSON: three lists and the hard-constraint counts."""
    return {
        "participant_id": result.participant_id,
        "practice_included": result.practice_included,
        "openings": [suggestion_json(s) for s in result.openings],
        "practice": [suggestion_json(s) for s in result.practice],
        "employers": [suggestion_json(s) for s in result.employers],
        "exclusions": [
            {
                "kind": e.kind.value,
                "reason": e.reason.value,
                "detail": e.detail,
                "count": e.count,
                "text_sv": e.text_sv,
                "text_en": e.text_en,
            }  # fmt: skip
            for e in result.exclusions
        ],
    }
