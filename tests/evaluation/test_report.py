"""The whole evaluation on a synthetic programme: JSON figures, and the files of the report."""

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from rich.console import Console

from evaluation.frames import EvaluationFrames
from evaluation.metrics import time_to_event
from evaluation.report import build_report, evaluate, evaluation_summary, render_report_body
from evaluation.survival import kaplan_meier

DAY1 = dt.date(2025, 1, 1)


def test_evaluation_summary_is_strict_json(frames: EvaluationFrames) -> None:
    data = evaluation_summary(frames)
    text = json.dumps(data, allow_nan=False)  # no NaN or inf may leak into the API
    assert "P-0" not in text  # aggregates only: no participant codes
    assert data["date_from"] == "2025-01-01"
    assert {item["key"] for item in data["fidelity"]} == {
        "caseload_size",
        "rapid_job_search",
        "employer_contacts",
        "diversity_job_types",
        "diversity_employers",
        "competitive_jobs",
        "follow_along",
    }
    assert [q["quarter"] for q in data["tables"]["quarterly_rates"]] == [
        "2025Q1",
        "2025Q2",
        "2025Q3",
        "2025Q4",
    ]
    assert data["summaries"]["overview"]["participants_active"] > 0


def test_evaluate_agrees_with_the_metric_functions(frames: EvaluationFrames) -> None:
    evaluation = evaluate(frames)
    people = frames.participants
    entry = pd.to_datetime(people["entry_date"])
    cohort = people[entry.between("2025-01-01", "2025-12-31")]
    tte = time_to_event(
        cohort, frames.contacts, date_to="2025-12-31", event_mask=frames.contacts["face_to_face"]
    )
    km = kaplan_meier(tte["days"], tte["observed"])
    assert evaluation.summaries["time_to_first_contact"]["n"] == len(cohort)
    assert evaluation.summaries["time_to_first_contact"]["km_median_days"] == km.median
    # The coach H4 has no contacts and still counts in the per-coach mean.
    contacts = evaluation.tables["employer_contacts_by_coach"]
    assert contacts["coach"].tolist() == ["H1", "H2", "H3", "H4"]
    assert contacts.loc[3, "face_to_face_contacts"] == 0
    # Breakdown by coach: 12 + 12 + 12 participants minus those outside the period, none < 5.
    by_coach = evaluation.tables["by_coach"]
    assert by_coach["participants"].sum() == evaluation.summaries["overview"]["participants_active"]


def test_small_groups_are_suppressed_in_the_report(frames: EvaluationFrames) -> None:
    evaluation = evaluate(frames)
    by_muni = evaluation.tables["by_municipality"].set_index("group")
    # Every 4th participant lives in 1481 (9 people), the rest in 1480; all are active in 2025
    # apart from those who left before it, so both groups are publishable and counted exactly.
    people = frames.participants
    active = people[pd.to_datetime(people["exit_date"]).isna() | (people["exit_date"] >= DAY1)]
    expected = active.groupby("municipality").size()
    assert by_muni["participants"].to_dict() == expected.to_dict()
    assert not by_muni["suppressed"].any()
    strict = evaluate(frames, min_group=100)
    for name in ("by_coach", "by_municipality", "by_group", "quarterly_rates"):
        table = strict.tables[name]
        assert table["suppressed"].all(), name
        keys = [c for c in table.columns if c in ("group", "quarter", "suppressed")]
        assert table.drop(columns=keys).isna().all().all(), name


def test_build_report_writes_html_csv_xlsx_png(frames: EvaluationFrames, tmp_path: Path) -> None:
    out = io.StringIO()
    files = build_report(
        frames, "2025-01-01", "2025-12-31", tmp_path, console=Console(file=out, width=120)
    )
    html = files.html.read_text(encoding="utf-8")
    assert "Andel i arbete per kvartal" in html and "Programtrohet (IPS-25)" in html
    assert "P-0" not in html
    for png in files.png:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'src="charts/{png.name}"' in html
    names = {p.stem for p in files.csv}
    assert {"quarterly_rates", "fidelity", "by_coach", "engine_settings"} <= names
    rates = pd.read_csv(tmp_path / "tables" / "quarterly_rates.csv")
    assert list(rates["quarter"]) == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    workbook = load_workbook(files.xlsx, read_only=True)
    assert set(workbook.sheetnames) == names
    assert json.loads(files.json.read_text(encoding="utf-8"))["k"] == 5
    assert "Rapporten är klar" in out.getvalue()


def test_build_report_in_english(frames: EvaluationFrames, tmp_path: Path) -> None:
    files = build_report(
        frames, "2025-01-01", "2025-12-31", tmp_path, lang="en", console=Console(file=io.StringIO())
    )
    html = files.html.read_text(encoding="utf-8")
    assert "Employment rate per quarter" in html and 'lang="en"' in html


def test_build_report_rejects_mismatched_period_and_language(
    frames: EvaluationFrames, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="loaded for"):
        build_report(frames, "2025-01-01", "2025-06-30", tmp_path)
    with pytest.raises(ValueError, match="lang"):
        build_report(frames, "2025-01-01", "2025-12-31", tmp_path, lang="de")


def test_report_on_an_empty_period(tmp_path: Path) -> None:
    empty = EvaluationFrames(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 3, 31))
    data = evaluation_summary(empty)
    json.dumps(data, allow_nan=False)
    assert all(item["score"] is None for item in data["fidelity"])
    files = build_report(
        empty, "2025-01-01", "2025-03-31", tmp_path, console=Console(file=io.StringIO())
    )
    assert files.html.exists()


def test_engine_settings_are_compared_with_an_interval(frames: EvaluationFrames) -> None:
    evaluation = evaluate(frames, k=3)
    settings = evaluation.tables["engine_settings"]
    assert settings["engine_settings"].tolist() == ["default", "wide"]
    diff = evaluation.tables["engine_settings_difference"].iloc[0]
    assert (diff["baseline"], diff["engine_settings"]) == ("default", "wide")
    assert diff["ndcg_baseline"] == pytest.approx(settings.loc[0, "ndcg_at_k"])
    assert diff["ndcg"] == pytest.approx(settings.loc[1, "ndcg_at_k"])
    assert diff["ci_low"] <= diff["difference"] <= diff["ci_high"]
    ranks = evaluation.tables["placement_ranks"]
    linked = frames.placements["suggestion_decision_id"].notna().sum()
    assert ranks["placements"].sum() == linked


def test_report_body_for_the_evaluator_page(frames: EvaluationFrames) -> None:
    evaluation = evaluate(frames)
    body = str(render_report_body(evaluation, "en"))
    assert "<html" not in body and "Ranking quality" in body
    assert body.count('src="data:image/png;base64,') == 5
    given = str(render_report_body(evaluation, "sv", charts_src={"fidelity": "/x/fidelity.png"}))
    assert 'src="/x/fidelity.png"' in given
