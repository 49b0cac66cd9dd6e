"""IPS-25 items scored from hand-built logs; each expected score is derived in a comment."""

import datetime as dt

import pandas as pd
import pytest

from evaluation.fidelity import (
    caseload_size,
    competitive_jobs,
    diversity_of_employers,
    diversity_of_job_types,
    employer_contacts_per_week,
    fidelity_table,
    follow_along_supports,
    rapid_job_search,
)

D = dt.date


def _caseload_participants() -> pd.DataFrame:
    rows = [(f"a{i}", "k1", D(2025, 1, 1), None) for i in range(22)]
    rows += [(f"b{i}", "k2", D(2025, 1, 1), None) for i in range(18)]
    rows += [("gone", "k2", D(2024, 1, 1), D(2025, 2, 1)), ("later", "k1", D(2025, 6, 1), None)]
    return pd.DataFrame(rows, columns=["participant_code", "coach", "entry_date", "exit_date"])


def test_caseload_size_twenty_per_coach_is_full_marks() -> None:
    item = caseload_size(_caseload_participants(), as_of="2025-03-01")
    # 22 + 18 active on 1 March (one left in February, one enters in June) over 2 coaches = 20.
    assert item.value == 20.0 and item.score == 5
    assert item.data.to_dict("list")["active"] == [22, 18]
    assert item.details["max_caseload"] == 22.0


def test_caseload_size_uses_full_time_equivalents() -> None:
    item = caseload_size(_caseload_participants(), as_of="2025-03-01", coach_fte={"k2": 0.5})
    # 40 participants / 1.5 FTE = 26.7 -> 27 people -> the 26-30 anchor, score 3; k2 carries 36.
    assert item.value == pytest.approx(40 / 1.5)
    assert item.score == 3
    assert item.details["max_caseload"] == 36.0


def test_caseload_size_41_is_lowest_score_and_no_data_is_none() -> None:
    rows = pd.DataFrame(
        {
            "participant_code": [f"p{i}" for i in range(41)],
            "coach": ["k"] * 41,
            "entry_date": [D(2025, 1, 1)] * 41,
            "exit_date": [None] * 41,
        }
    )
    assert caseload_size(rows, as_of="2025-02-01").score == 1
    assert caseload_size(rows, as_of="2024-02-01").score is None


def test_rapid_job_search_counts_waiting_participants_as_lower_bounds() -> None:
    participants = pd.DataFrame(
        {
            "participant_code": ["P1", "P2", "P3", "P4", "P6"],
            "entry_date": [D(2025, 1, 1), D(2025, 1, 1), D(2025, 3, 1), D(2025, 2, 1)]
            + [D(2025, 1, 1)],
            "exit_date": [None, D(2025, 2, 15), None, None, None],
        }
    )
    contacts = pd.DataFrame(
        {
            "participant_code": ["P1", "P1", "P6"],
            "contact_date": [D(2025, 1, 10), D(2025, 1, 21), D(2025, 3, 2)],
            "face_to_face": [False, True, True],
        }
    )
    item = rapid_job_search(participants, contacts, date_to="2025-03-31")
    # Days: P1 20 (phone call on day 9 ignored), P2 45+, P3 30+, P4 58+, P6 60 -> mean 42.6.
    assert item.value == pytest.approx(42.6)
    assert item.score == 4  # 31-60 days
    assert item.details["mean_days_with_contact"] == 40.0
    assert item.details["still_waiting"] == 3


def _contacts() -> pd.DataFrame:
    rows = [("a", D(2025, 3, 3) + dt.timedelta(days=i % 14), True) for i in range(12)]
    rows += [("b", D(2025, 3, 4), True)] * 9 + [("b", D(2025, 3, 5), False)] * 3
    rows += [("a", D(2025, 3, 20), True)] * 5  # after the period
    return pd.DataFrame(rows, columns=["coach", "contact_date", "face_to_face"])


def test_employer_contacts_per_coach_per_week() -> None:
    item = employer_contacts_per_week(_contacts(), date_from="2025-03-03", date_to="2025-03-16")
    # Two weeks: a 12 face-to-face -> 6/week, b 9 face-to-face (3 calls ignored) -> 4.5/week.
    assert item.data.to_dict("list") == {
        "coach": ["a", "b"],
        "face_to_face_contacts": [12, 9],
        "per_week": [6.0, 4.5],
    }
    assert item.value == 5.25
    assert item.score == 4  # 5 whole contacts a week


def test_employer_contacts_count_silent_coaches_as_zero() -> None:
    item = employer_contacts_per_week(
        _contacts(), date_from="2025-03-03", date_to="2025-03-16", coaches=["a", "b", "c"]
    )
    assert item.value == pytest.approx(3.5)  # (6 + 4.5 + 0) / 3
    assert item.score == 2


def test_employer_contacts_leave_out_people_who_are_not_coaches() -> None:
    item = employer_contacts_per_week(
        _contacts(), date_from="2025-03-03", date_to="2025-03-16", coaches=["b"]
    )
    # Only b is an employment specialist: 9 visits in 2 weeks; a's 12 are someone else's.
    assert item.data["coach"].tolist() == ["b"]
    assert item.value == 4.5 and item.score == 3
    assert item.details["contacts_by_others"] == 12


def test_employer_contacts_six_a_week_is_full_marks() -> None:
    only_a = _contacts().query("coach == 'a'")
    item = employer_contacts_per_week(only_a, date_from="2025-03-03", date_to="2025-03-16")
    assert item.score == 5


def _jobs() -> pd.DataFrame:
    occupations = ["x", "x", "y", "z", "w", "w", "w", "v", "u", "u"]
    employers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 9]
    types = ["competitive"] * 9 + ["subsidised"]
    rows = [
        (o, e, t, D(2025, 2, 1) + dt.timedelta(days=i))
        for i, (o, e, t) in enumerate(zip(occupations, employers, types, strict=True))
    ]
    rows += [("x", 1, "practice", D(2025, 2, 1)), ("x", 1, "competitive", D(2024, 2, 1))]
    return pd.DataFrame(
        rows, columns=["occupation_id", "employer_id", "placement_type", "start_date"]
    )


def test_diversity_of_job_types_and_employers() -> None:
    jobs = _jobs()
    types = diversity_of_job_types(jobs, date_from="2025-01-01", date_to="2025-12-31")
    # 10 jobs in 2025 (the practice slot and the 2024 job do not count), 6 distinct occupations.
    assert (types.value, types.score) == (0.6, 3)
    assert types.details == {"jobs": 10, "distinct": 6, "jobs_without_value": 0}
    employers = diversity_of_employers(jobs, date_from="2025-01-01", date_to="2025-12-31")
    assert (employers.value, employers.score) == (0.9, 5)  # 9 distinct of 10 >= 85 %


def test_competitive_jobs_share() -> None:
    item = competitive_jobs(_jobs(), date_from="2025-01-01", date_to="2025-12-31")
    assert (item.value, item.score) == (0.9, 4)  # 9 of 10 jobs: 85-94 %
    assert item.data.to_dict("list") == {
        "placement_type": ["competitive", "subsidised"],
        "jobs": [9, 1],
    }


def _follow_along() -> tuple[pd.DataFrame, pd.DataFrame]:
    start = D(2025, 1, 1)
    placements = pd.DataFrame(
        {
            "placement_id": [1, 2, 3],
            "participant_code": ["P1", "P2", "P3"],
            "placement_type": ["competitive", "competitive", "practice"],
            "start_date": [start, start, start],
        }
    )
    p1 = [2, 8, 15, 22] + [30 * m + 5 for m in range(1, 13)]
    p2 = [10, 40, 70, 100, 130, 220]
    rows = [("P1", start + dt.timedelta(days=d), True) for d in p1]
    rows += [("P2", start + dt.timedelta(days=d), True) for d in p2]
    rows += [("P2", start + dt.timedelta(days=160), False), ("P3", start, True)]
    contacts = pd.DataFrame(rows, columns=["participant_code", "contact_date", "face_to_face"])
    return placements, contacts


def test_follow_along_supports_months_and_early_contact() -> None:
    placements, contacts = _follow_along()
    item = follow_along_supports(placements, contacts, date_to="2026-06-30")
    rows = item.data.set_index("placement_id")
    # P1: months 0-12 all have a contact -> 13; days 2/8/15/22 give early start and weekly month.
    assert rows.loc[1, "months_supported"] == 13
    assert bool(rows.loc[1, "early_start"]) and bool(rows.loc[1, "weekly_first_month"])
    # P2: months 0-4, then a gap (the phone call in month 5 does not count) -> 5.
    assert rows.loc[2, "months_supported"] == 5
    assert not rows.loc[2, "early_start"]
    assert list(rows.index) == [1, 2]  # the practice slot is no job
    assert item.value == 9.0 and item.score == 4


def test_follow_along_full_marks_need_early_and_weekly_start() -> None:
    placements, contacts = _follow_along()
    item = follow_along_supports(placements.iloc[:1], contacts, date_to="2026-06-30")
    assert (item.value, item.score) == (13.0, 5)
    late = contacts[~contacts["contact_date"].isin([D(2025, 1, 3)])]  # drop the day-2 visit
    item = follow_along_supports(placements.iloc[:1], late, date_to="2026-06-30")
    assert (item.value, item.score) == (13.0, 4)


def test_fidelity_table_and_missing_columns() -> None:
    placements, contacts = _follow_along()
    with pytest.raises(ValueError, match="face_to_face"):
        follow_along_supports(
            placements, contacts.drop(columns="face_to_face"), date_to="2026-06-30"
        )
    table = fidelity_table(
        [
            caseload_size(_caseload_participants(), as_of="2025-03-01"),
            competitive_jobs(_jobs(), date_from="2025-01-01", date_to="2025-12-31"),
        ]
    )
    assert list(table["score"]) == [5, 4]
    assert table.loc[0, "anchor"] == "20 or fewer participants per coach"
