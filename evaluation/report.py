"""Compute a whole evaluation from :class:`~evaluation.frames.EvaluationFrames` and write it out.

``evaluate`` runs every metric; ``evaluation_summary`` returns the result as a JSON-able dict (for
``/api/evaluation`` and the evaluator page); ``build_report`` writes an HTML report with PNG charts,
every table as CSV and all tables in one XLSX workbook.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from evaluation import charts, fidelity
from evaluation._frame import flags
from evaluation.frames import EvaluationFrames
from evaluation.metrics import (
    COMPETITIVE_TYPES,
    JOB_TYPES,
    job_endings,
    job_tenure,
    job_tenure_summary,
    quarterly_outcome_rates,
    time_to_event,
    time_to_event_summary,
)
from evaluation.ranking_quality import (
    acceptance_by_rank,
    bootstrap_difference,
    compare_settings,
    placement_rank_summary,
    placement_ranks,
    with_relevance,
)
from evaluation.suppression import MIN_GROUP_SIZE, breakdown, suppress_small_groups
from evaluation.survival import KaplanMeierResult, kaplan_meier
from evaluation.text import LANGUAGES, column, t

BREAKDOWNS = {"coach": "by_coach", "municipality": "by_municipality", "group_label": "by_group"}


@dataclass(frozen=True)
class Evaluation:
    """All figures of one evaluation period (pseudonymised, small groups suppressed).

    Attributes
    ----------
    tables : dict of str to DataFrame
        Every table of the report by name (the CSV file names).
    summaries : dict of str to dict
        Scalar figures by topic (``overview``, ``time_to_first_contact``, ``tenure``, ...).
    fidelity : list of FidelityItem
        The scored IPS-25 items.
    curves : dict of str to list of KaplanMeierResult
        ``time_to_event`` (first contact, first competitive job, first job) and ``tenure``.
    """

    date_from: dt.date
    date_to: dt.date
    k: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    fidelity: list[fidelity.FidelityItem] = field(default_factory=list)
    curves: dict[str, list[KaplanMeierResult]] = field(default_factory=dict)


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def evaluate(
    frames: EvaluationFrames, *, k: int = 5, min_group: int = MIN_GROUP_SIZE
) -> Evaluation:
    """Run every metric over ``frames`` for its period.

    Parameters
    ----------
    frames : EvaluationFrames
        Output of :func:`evaluation.loaders.load_frames` (or built by hand).
    k : int
        Cut-off for precision@k and nDCG@k, >= 1.
    min_group : int
        Groups (breakdown rows, quarters) with fewer people are suppressed.

    Returns
    -------
    Evaluation
    """
    date_from, date_to = frames.date_from, frames.date_to
    people, contacts = frames.participants, frames.contacts
    placements = frames.placements
    tables: dict[str, pd.DataFrame] = {}
    summaries: dict[str, dict[str, Any]] = {}

    rates = quarterly_outcome_rates(people, placements, date_from=date_from, date_to=date_to)
    tables["quarterly_rates"] = suppress_small_groups(
        rates, count_col="active", key_cols=("quarter",), min_count=min_group, secondary=False
    )

    entry = pd.to_datetime(people["entry_date"])
    cohort = people[entry.between(pd.Timestamp(date_from), pd.Timestamp(date_to))]
    f2f = flags(contacts["face_to_face"])
    jobs = placements[placements["placement_type"].isin(list(JOB_TYPES))]
    competitive = placements[placements["placement_type"].isin(list(COMPETITIVE_TYPES))]
    events: dict[str, tuple[pd.DataFrame, str, pd.Series | None]] = {
        "first_contact": (contacts, "contact_date", f2f),
        "first_competitive_job": (competitive, "start_date", None),
        "first_job": (jobs, "start_date", None),
    }
    waits = {
        name: time_to_event(cohort, ev, date_to=date_to, event_date_col=date_col, event_mask=mask)
        for name, (ev, date_col, mask) in events.items()
    }
    tte_rows = []
    for name, frame in waits.items():
        summary = time_to_event_summary(frame)
        summaries[f"time_to_{name}"] = summary
        tte_rows.append({"event": name, **summary})
    tables["time_to_event"] = pd.DataFrame(tte_rows)
    curves = {
        "time_to_event": [
            kaplan_meier(frame["days"], frame["observed"], label=name)
            for name, frame in waits.items()
        ]
    }

    tenure = job_tenure(placements, date_to=date_to)
    summaries["tenure"] = job_tenure_summary(tenure)
    tables["tenure"] = pd.DataFrame([summaries["tenure"]])
    curves["tenure"] = [kaplan_meier(tenure["tenure_days"], tenure["ended"], label="tenure")]
    tables["job_endings"] = job_endings(placements, date_from=date_from, date_to=date_to)

    typed = placements.assign(
        job_type=placements["occupation_id"].where(
            placements["occupation_id"].notna(), placements["ssyk4_code"]
        )
    )
    items = [
        fidelity.caseload_size(people, as_of=date_to),
        fidelity.rapid_job_search(cohort, contacts, date_to=date_to),
        fidelity.employer_contacts_per_week(
            contacts, date_from=date_from, date_to=date_to, coaches=frames.coaches
        ),
        fidelity.diversity_of_job_types(
            typed, date_from=date_from, date_to=date_to, job_type_col="job_type"
        ),
        fidelity.diversity_of_employers(placements, date_from=date_from, date_to=date_to),
        fidelity.competitive_jobs(placements, date_from=date_from, date_to=date_to),
        fidelity.follow_along_supports(placements, frames.follow_along, date_to=date_to),
    ]
    by_key = {item.key: item for item in items}
    tables["fidelity"] = fidelity.fidelity_table(items)
    tables["caseload_by_coach"] = by_key["caseload_size"].data
    tables["employer_contacts_by_coach"] = by_key["employer_contacts"].data
    follow = by_key["follow_along"].data
    months = follow["months_supported"].value_counts().sort_index()
    tables["follow_along_months"] = pd.DataFrame(
        {"months_supported": months.index.astype(int), "jobs": months.to_numpy(dtype=int)}
    )

    settings = frames.decisions["engine_settings"].astype("string").fillna("unknown")
    decisions = with_relevance(frames.decisions.assign(engine_settings=settings.astype(object)))
    tables["acceptance_by_rank"] = acceptance_by_rank(decisions)
    tables["engine_settings"] = compare_settings(decisions, k=k)
    tables["engine_settings_difference"] = _settings_differences(
        decisions, tables["engine_settings"]["engine_settings"].tolist(), k=k
    )
    ranks = placement_ranks(placements, decisions)
    summaries["placement_ranks"] = placement_rank_summary(ranks)
    shown = ranks["rank_shown"].dropna().astype(int).value_counts().sort_index()
    tables["placement_ranks"] = pd.DataFrame(
        {"rank": shown.index.astype(int), "placements": shown.to_numpy(dtype=int)}
    )

    for by, name in BREAKDOWNS.items():
        tables[name] = breakdown(
            people,
            placements,
            contacts,
            by=by,
            date_from=date_from,
            date_to=date_to,
            min_count=min_group,
        )

    started = pd.to_datetime(jobs["start_date"])
    summaries["overview"] = {
        "participants_active": int(people["participant_code"].nunique()),
        "participants_new": int(cohort["participant_code"].nunique()),
        "jobs_started": int(started.between(pd.Timestamp(date_from), pd.Timestamp(date_to)).sum()),
        "fidelity_points": int(pd.to_numeric(tables["fidelity"]["score"]).fillna(0).sum()),
        "fidelity_items_scored": int(tables["fidelity"]["score"].notna().sum()),
    }
    return Evaluation(
        date_from=date_from,
        date_to=date_to,
        k=k,
        tables=tables,
        summaries=summaries,
        fidelity=items,
        curves=curves,
    )


def _settings_differences(decisions: pd.DataFrame, settings: list[str], *, k: int) -> pd.DataFrame:
    """nDCG@k of every other engine setting against the first, with bootstrap 95 % intervals."""
    columns = [
        "baseline",
        "engine_settings",
        "ndcg_baseline",
        "ndcg",
        "difference",
        "ci_low",
        "ci_high",
    ]
    rows = []
    for other in settings[1:]:
        diff = bootstrap_difference(decisions, setting_a=settings[0], setting_b=other, k=k)
        rows.append(
            {
                "baseline": settings[0],
                "engine_settings": other,
                "ndcg_baseline": diff["mean_a"],
                "ndcg": diff["mean_b"],
                "difference": diff["difference"],
                "ci_low": diff["ci_low"],
                "ci_high": diff["ci_high"],
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _jsonable(value: Any) -> Any:
    """Plain JSON types: NaN/inf become None, dates ISO strings, numpy scalars Python numbers."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()[:10]
    return str(value)


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [_jsonable(row) for row in table.to_dict("records")]


def _curve(curve: KaplanMeierResult) -> dict[str, Any]:
    return {
        "label": curve.label,
        "n": curve.n,
        "events": curve.n_events,
        "median": _jsonable(curve.median),
        "median_reached": math.isfinite(curve.median),
        "points": _records(curve.table),
    }


def evaluation_to_dict(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as a JSON-able dict (NaN, inf and missing values as ``None``)."""
    return {
        "date_from": evaluation.date_from.isoformat(),
        "date_to": evaluation.date_to.isoformat(),
        "k": evaluation.k,
        "summaries": _jsonable(evaluation.summaries),
        "tables": {name: _records(table) for name, table in evaluation.tables.items()},
        "fidelity": [
            {**_jsonable(item.as_row()), "details": _jsonable(item.details)}
            for item in evaluation.fidelity
        ],
        "curves": {name: [_curve(c) for c in curves] for name, curves in evaluation.curves.items()},
    }


def evaluation_summary(
    frames: EvaluationFrames, *, k: int = 5, min_group: int = MIN_GROUP_SIZE
) -> dict[str, Any]:
    """Evaluate ``frames`` and return every figure as a JSON-able dict (for ``/api/evaluation``).

    Keys: ``date_from``, ``date_to``, ``k``, ``summaries`` (topic -> figures), ``tables`` (name ->
    list of row dicts, the same tables as the report's CSV files), ``fidelity`` (scored items
    with their details) and ``curves`` (Kaplan-Meier points).
    """
    return evaluation_to_dict(evaluate(frames, k=k, min_group=min_group))


@dataclass(frozen=True)
class ReportFiles:
    """Paths written by :func:`build_report`."""

    html: Path
    xlsx: Path
    json: Path
    csv: list[Path]
    png: list[Path]


PERCENT_SUFFIXES = ("_rate", "_share", "share_within", "share_20_hours_or_more", "_90_days")


def _is_share(name: str) -> bool:
    return (
        name.endswith(PERCENT_SUFFIXES)
        or name in ("share", "share_rank_1")
        or (name.startswith("share_top"))
    )


def _format(value: Any, name: str, lang: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if name == "event":
        return t(lang, str(value))
    if name == "band":
        return t(lang, f"band_{value}")
    if name == "end_reason":  # a coded reason reads as words; older free text stays as written
        key = f"end_reason_{value}"
        return t(lang, key) if t(lang, key) != key else str(value)
    if isinstance(value, bool | np.bool_):
        return ("ja" if value else "nej") if lang == "sv" else ("yes" if value else "no")
    if isinstance(value, float | np.floating):
        if math.isinf(value):
            return "> " + ("uppföljningen" if lang == "sv" else "follow-up")
        text = f"{value * 100:.0f} %" if _is_share(name) else f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if lang == "sv" else text
    return str(value)


def html_table(table: pd.DataFrame, lang: str) -> Markup:
    """Render a table for the report: translated headers, shares in percent, '–' for missing."""
    hidden = ("key", "suppressed") + (
        ("title_en", "unit", "anchor") if lang == "sv" else ("title_sv", "unit_sv", "anchor_sv")
    )
    shown = table.drop(columns=[c for c in hidden if c in table.columns])
    formatted = pd.DataFrame(
        {
            column(lang, name): [_format(v, str(name), lang) for v in shown[name].tolist()]
            for name in shown.columns
        }
    )
    if formatted.empty:
        return Markup(f"<p class='empty'>{t(lang, 'no_data')}</p>")  # noqa: S704
    return Markup(formatted.to_html(index=False, escape=True, classes="data", border=0))  # noqa: S704


def write_charts(evaluation: Evaluation, out: Path | str, lang: str = "sv") -> dict[str, Path]:
    """Draw the report's PNG charts into ``out``; returns chart name -> path."""
    out = Path(out)

    def tx(key: str) -> str:
        return t(lang, key)

    rates = evaluation.tables["quarterly_rates"]
    paths = {
        "quarterly_rates": charts.quarterly_rates_chart(
            rates,
            out / "quarterly_rates.png",
            labels={
                key: tx(key) for key in ("competitive", "any_job", "practice", "minimum", "average")
            }
            | {
                "excellent": tx("excellent"),
                "ylabel": tx("percent_participants"),
                "title": tx("rates"),
            },
        ),
    }
    curves = [replace(c, label=tx(c.label)) for c in evaluation.curves["time_to_event"]]
    paths["time_to_event"] = charts.cumulative_incidence_chart(
        curves,
        out / "time_to_event.png",
        title=tx("time"),
        xlabel=tx("days_since_entry"),
        ylabel=tx("share_with_event"),
    )
    paths["tenure"] = charts.survival_chart(
        evaluation.curves["tenure"][0],
        out / "tenure.png",
        title=tx("tenure"),
        xlabel=tx("days_in_job"),
        ylabel=tx("share_still_employed"),
    )
    fid = evaluation.tables["fidelity"]
    paths["fidelity"] = charts.fidelity_chart(
        fid, out / "fidelity.png", title=tx("fidelity"), title_col=f"title_{lang}"
    )
    acc = evaluation.tables["acceptance_by_rank"]
    paths["acceptance_by_rank"] = charts.bar_chart(
        acc["rank"].tolist(),
        acc["acceptance_rate"].tolist(),
        out / "acceptance_by_rank.png",
        title=tx("ranking"),
        xlabel=tx("rank"),
        ylabel=tx("acceptance_rate"),
        percent=True,
    )
    return paths


def _write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in tables.items():
            clean = table.astype(object).where(table.notna(), None)
            clean.to_excel(writer, sheet_name=name[:31], index=False)


def build_report(
    frames: EvaluationFrames,
    date_from: dt.date | str,
    date_to: dt.date | str,
    out_dir: Path | str,
    lang: str = "sv",
    *,
    k: int = 5,
    min_group: int = MIN_GROUP_SIZE,
    console: Console | None = None,
) -> ReportFiles:
    """Write the evaluation of [date_from, date_to] to ``out_dir``.

    Files: ``report.html`` (charts embedded by relative path), ``charts/*.png``,
    ``tables/*.csv`` (one per table, UTF-8, raw numbers), ``evaluation.xlsx`` (one sheet per table)
    and ``evaluation.json`` (:func:`evaluation_summary`). Progress and a short summary are printed
    on ``console`` (stderr by default).

    Raises
    ------
    ValueError
        For an unknown ``lang`` or when the dates differ from the period ``frames`` was loaded for.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    start, end = _as_date(date_from), _as_date(date_to)
    if (start, end) != (frames.date_from, frames.date_to):
        raise ValueError(
            f"frames were loaded for {frames.date_from}..{frames.date_to}, not {start}..{end}"
        )
    console = console or Console(stderr=True)
    out = Path(out_dir)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "charts").mkdir(parents=True, exist_ok=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("metrics", total=5)
        evaluation = evaluate(frames, k=k, min_group=min_group)
        progress.update(task, advance=1, description="charts")
        png = write_charts(evaluation, out / "charts", lang)
        progress.update(task, advance=1, description="tables")
        csv = []
        for name, table in evaluation.tables.items():
            path = out / "tables" / f"{name}.csv"
            table.to_csv(path, index=False)
            csv.append(path)
        xlsx = out / "evaluation.xlsx"
        _write_xlsx(evaluation.tables, xlsx)
        progress.update(task, advance=1, description="json")
        data = evaluation_to_dict(evaluation)
        json_path = out / "evaluation.json"
        json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        progress.update(task, advance=1, description="html")
        html = out / "report.html"
        html.write_text(_render(evaluation, png, out, lang), encoding="utf-8")
        progress.update(task, advance=1, description="done")

    overview = evaluation.summaries["overview"]
    summary = Table(title=f"{t(lang, 'summary_done')}: {out}", show_header=False)
    summary.add_row(t(lang, "period"), f"{start} – {end}")
    summary.add_row(t(lang, "participants_active"), str(overview["participants_active"]))
    summary.add_row(t(lang, "jobs_started"), str(overview["jobs_started"]))
    summary.add_row(
        "IPS-25", f"{overview['fidelity_points']} / {5 * overview['fidelity_items_scored']}"
    )
    summary.add_row("HTML", str(html))
    summary.add_row("CSV / PNG", f"{len(csv)} / {len(png)}")
    console.print(summary)
    return ReportFiles(html=html, xlsx=xlsx, json=json_path, csv=csv, png=list(png.values()))


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("evaluation", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )


def _context(evaluation: Evaluation, charts_src: dict[str, str], lang: str) -> dict[str, Any]:
    return {
        "lang": lang,
        "t": lambda key: t(lang, key),
        "evaluation": evaluation,
        "overview": evaluation.summaries["overview"],
        "tables": {name: html_table(table, lang) for name, table in evaluation.tables.items()},
        "charts": charts_src,
        "fidelity": evaluation.fidelity,
        "breakdowns": BREAKDOWNS,
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "csv_names": sorted(evaluation.tables),
    }


def chart_data_uris(evaluation: Evaluation, lang: str = "sv") -> dict[str, str]:
    """The report's charts as ``data:image/png;base64,...`` URIs, for a page without files."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_charts(evaluation, Path(tmp), lang)
        return {
            name: "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
            for name, path in paths.items()
        }


def render_report_body(
    evaluation: Evaluation, lang: str = "sv", charts_src: dict[str, str] | None = None
) -> Markup:
    """The report's sections (charts, tables, definitions) as an HTML fragment.

    For the evaluator page: ``charts_src`` maps chart names (``quarterly_rates``,
    ``time_to_event``, ``tenure``, ``fidelity``, ``acceptance_by_rank``) to image URLs; by
    default the charts are embedded as data URIs.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    src = charts_src if charts_src is not None else chart_data_uris(evaluation, lang)
    body = _environment().get_template("report_body.html.j2")
    return Markup(body.render(**_context(evaluation, src, lang)))  # noqa: S704


def render_report_html(evaluation: Evaluation, lang: str = "sv") -> str:
    """The whole report as one HTML file (charts embedded as data URIs, no links to other
    files), for downloading from the evaluator page."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    context = _context(evaluation, chart_data_uris(evaluation, lang), lang)
    context["csv_names"] = []
    return _environment().get_template("report.html.j2").render(**context)


def _render(evaluation: Evaluation, png: dict[str, Path], out: Path, lang: str) -> str:
    src = {name: path.relative_to(out).as_posix() for name, path in png.items()}
    return _environment().get_template("report.html.j2").render(**_context(evaluation, src, lang))
