"""`ipsmatch evaluate`: the evaluation report (HTML, CSV, XLSX, PNG) for a period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from service.inputs import check_period, in_range, parse_iso_date


def _parse(value: str | None, option: str) -> dt.date | None:
    """The option's date: ``YYYY-MM-DD`` only (not ``20240101``, not a timestamp), within
    the dates the report can hold; else a usage error naming the option (exit code 2)."""
    if value is None:
        return None
    try:
        return in_range(parse_iso_date(value))
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def default_period(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    """Fill in the period: --to defaults to today, --from to the day after --to a year earlier."""
    end = date_to or dt.date.today()
    if date_from is not None:
        return date_from, end
    try:
        year_before = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        year_before = end.replace(year=end.year - 1, day=28)
    return year_before + dt.timedelta(days=1), end


def register(app: typer.Typer) -> None:
    @app.command()
    def evaluate(
        out: Path = typer.Option(..., "--out", help="Directory to write the report to."),
        date_from: str | None = typer.Option(
            None, "--from", help="First day, YYYY-MM-DD (default: a year before --to)."
        ),
        date_to: str | None = typer.Option(None, "--to", help="Last day (default: today)."),
        lang: str = typer.Option("sv", "--lang", help="Report language: sv or en."),
        k: int = typer.Option(5, "--k", min=1, help="Cut-off for precision@k and nDCG@k."),
    ) -> None:
        """Write the evaluation report for a period: HTML with PNG charts, CSV and XLSX tables."""
        from rich.console import Console
        from sqlmodel import Session

        from evaluation.loaders import load_frames
        from evaluation.report import build_report
        from service import db
        from service.config import get_settings

        first, last = _parse(date_from, "--from"), _parse(date_to, "--to")
        try:
            check_period(first, last, names=("--from", "--to"))
        except ValueError as exc:
            option, _, problem = str(exc).partition(": ")
            raise typer.BadParameter(problem, param_hint=option) from None
        start, end = default_period(first, last)
        if lang not in ("sv", "en"):
            raise typer.BadParameter("use sv or en", param_hint="--lang")
        engine = db.make_engine(get_settings().database_url)
        db.upgrade(engine)
        with Session(engine) as session:
            frames = load_frames(session, date_from=start, date_to=end)
        build_report(frames, start, end, out, lang=lang, k=k, console=Console(stderr=True))
        engine.dispose()
