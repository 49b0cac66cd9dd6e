"""A small synthetic programme as EvaluationFrames, built deterministically (no real people)."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from evaluation.frames import EvaluationFrames

D = dt.date


def synthetic_frames(seed: int = 1, n: int = 36) -> EvaluationFrames:
    rng = np.random.default_rng(seed)
    start, end = D(2025, 1, 1), D(2025, 12, 31)
    coaches = ["H1", "H2", "H3"]
    people, contacts, placements, decisions, follow = [], [], [], [], []
    for i in range(n):
        code = f"P-{i:03d}"
        coach = coaches[i % 3] if i < n - 2 else "H3"
        entry = start + dt.timedelta(days=int(rng.integers(-120, 300)))
        exit_ = entry + dt.timedelta(days=int(rng.integers(200, 500))) if i % 5 == 0 else None
        people.append(
            (
                code,
                coach,
                "1480" if i % 4 else "1481",
                "young" if i % 6 else None,
                "searching",
                entry,
                exit_,
            )
        )
        first = entry + dt.timedelta(days=int(rng.integers(3, 80)))
        for c in range(int(rng.integers(0, 4))):
            contacts.append(
                (
                    len(contacts) + 1,
                    code,
                    coach,
                    int(rng.integers(1, 25)),
                    first + dt.timedelta(days=14 * c),
                    "visit" if c % 3 else "meeting",
                    True,
                )
            )
        contacts.append((len(contacts) + 1, None, coach, 99, first, "phone", False))
        for rank in range(1, int(rng.integers(2, 7))):
            choice = rng.choice(["accepted", "declined", "saved"], p=[0.3, 0.5, 0.2])
            decisions.append(
                (
                    len(decisions) + 1,
                    code,
                    "opening",
                    f"opening:{rank}",
                    rank,
                    rank,
                    0.9 - rank / 10,
                    str(choice),
                    None,
                    "default" if i % 2 else "wide",
                    first,
                    False,
                )
            )
        if rng.random() < 0.55:
            job_start = first + dt.timedelta(days=int(rng.integers(5, 120)))
            kind = str(rng.choice(["competitive", "competitive", "subsidised", "practice"]))
            ended = rng.random() < 0.4
            job_end = job_start + dt.timedelta(days=int(rng.integers(20, 200))) if ended else None
            accepted = [d for d in decisions if d[1] == code and d[7] == "accepted"]
            suggestion = accepted[0][0] if accepted else None
            placements.append(
                (
                    len(placements) + 1,
                    code,
                    kind,
                    int(rng.integers(1, 30)),
                    f"occ{int(rng.integers(1, 12))}",
                    "5223",
                    job_start,
                    job_end,
                    "contract_ended" if ended else None,
                    float(rng.choice([10, 20, 30, 40])),
                    suggestion,
                )
            )
            for week in range(0, 200, 10):
                follow.append(
                    (code, len(placements), job_start + dt.timedelta(days=week), "meeting", True)
                )
    placed = {p[10] for p in placements if p[10]}
    decisions = [d[:-1] + (d[0] in placed,) for d in decisions]
    return EvaluationFrames(
        date_from=start,
        date_to=end,
        participants=pd.DataFrame(
            people,
            columns=[
                "participant_code",
                "coach",
                "municipality",
                "group_label",
                "status",
                "entry_date",
                "exit_date",
            ],
        ),
        contacts=pd.DataFrame(
            contacts,
            columns=[
                "contact_id",
                "participant_code",
                "coach",
                "employer_id",
                "contact_date",
                "mode",
                "face_to_face",
            ],
        ),
        placements=pd.DataFrame(
            placements,
            columns=[
                "placement_id",
                "participant_code",
                "placement_type",
                "employer_id",
                "occupation_id",
                "ssyk4_code",
                "start_date",
                "end_date",
                "end_reason",
                "hours_per_week",
                "suggestion_decision_id",
            ],
        ),
        decisions=pd.DataFrame(
            decisions,
            columns=[
                "decision_id",
                "participant_code",
                "kind",
                "offer_ref",
                "employer_id",
                "rank_shown",
                "score",
                "decision",
                "reason_code",
                "engine_settings",
                "decided_date",
                "placed",
            ],
        ),
        follow_along=pd.DataFrame(
            follow,
            columns=["participant_code", "placement_id", "contact_date", "mode", "face_to_face"],
        ),
        coaches=[*coaches, "H4"],
    )


@pytest.fixture
def frames() -> EvaluationFrames:
    return synthetic_frames()
