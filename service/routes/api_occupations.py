"""JSON API for the occupation vocabulary: suggestions for free text, one occupation with its
neighbours. The vocabulary is public taxonomy data; any signed-in user may read it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from service.deps import CurrentUser

if TYPE_CHECKING:
    from matching.vocabulary import OccupationCandidate

router = APIRouter(prefix="/api/occupations", tags=["occupations"])


class OccupationCandidatePublic(BaseModel):
    occupation_id: str
    label: str
    ssyk4_code: str
    score: float
    matched_term: str = Field(
        description="The taxonomy name that matched (a job title, say 'Postiljon' for "
        "Brevbärare); the label itself when that matched."
    )


class OccupationSuggestions(BaseModel):
    query: str
    candidates: list[OccupationCandidatePublic]


class OccupationNeighbourPublic(BaseModel):
    occupation_id: str
    label: str
    ssyk4_code: str
    weight: float
    relation_sv: str
    relation_en: str


class OccupationPublic(BaseModel):
    occupation_id: str
    label: str
    ssyk4_code: str
    ssyk4_label: str
    current: bool
    no_education_required: bool | None
    current_occupation_id: str
    neighbours: list[OccupationNeighbourPublic]


@router.get("", response_model=OccupationSuggestions)
def lookup_occupations(
    user: CurrentUser,
    q: Annotated[str, Query(max_length=500, description="Free text, e.g. 'jobba i butik'.")],
    top: Annotated[int, Query(ge=1, le=50)] = 5,
) -> OccupationSuggestions:
    """Taxonomy occupations that best match finished free text, best first (scores in [0, 1])."""
    from matching.vocabulary import default_matcher

    return _suggestions(q, default_matcher().lookup(q, top=top))


@router.get("/suggest", response_model=OccupationSuggestions)
def suggest_occupations(
    user: CurrentUser,
    q: Annotated[
        str, Query(max_length=500, description="What has been typed so far, e.g. 'unders'.")
    ],
    top: Annotated[int, Query(ge=1, le=50)] = 5,
) -> OccupationSuggestions:
    """Autocomplete for forms: occupations whose names the text being typed begins, with the
    spelling lookup's best matches, best first (scores in [0, 1])."""
    from matching.vocabulary import default_matcher

    return _suggestions(q, default_matcher().suggest(q, top=top))


def _suggestions(query: str, found: list[OccupationCandidate]) -> OccupationSuggestions:
    return OccupationSuggestions(
        query=query,
        candidates=[
            OccupationCandidatePublic(**c.as_dict(), matched_term=c.matched_term) for c in found
        ],
    )


@router.get("/{occupation_id}", response_model=OccupationPublic)
def get_occupation(user: CurrentUser, occupation_id: str) -> OccupationPublic:
    """One occupation by concept id, with its substitutes and same-group occupations."""
    from matching.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    occupation = vocabulary.get(occupation_id)
    neighbours = [
        OccupationNeighbourPublic(
            occupation_id=n.occupation_id,
            label=n.label,
            ssyk4_code=n.ssyk4_code,
            weight=n.weight,
            relation_sv=n.relation.sv,
            relation_en=n.relation.en,
        )
        for n in vocabulary.neighbours(occupation_id)
    ]
    return OccupationPublic(
        occupation_id=occupation.occupation_id,
        label=occupation.label,
        ssyk4_code=occupation.ssyk4_code,
        ssyk4_label=vocabulary.group(occupation.ssyk4_code).label,
        current=occupation.current,
        no_education_required=occupation.no_education_required,
        current_occupation_id=vocabulary.current_equivalent(occupation_id).occupation_id,
        neighbours=neighbours,
    )
