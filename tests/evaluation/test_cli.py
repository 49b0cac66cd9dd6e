"""`ipsmatch evaluate --from --to --out` on a small SQLite database file."""

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from service import db
from service.cli import app
from service.commands.evaluate import default_period
from service.config import get_settings
from tests.evaluation.test_loaders import _fill


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'eval.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with Session(engine) as session:
        _fill(session)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_evaluate_writes_the_report(database: str, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app, ["evaluate", "--from", "2025-01-01", "--to", "2025-06-30", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "report.html").exists() and (out / "evaluation.xlsx").exists()
    assert len(list((out / "charts").glob("*.png"))) == 5
    data = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    assert data["summaries"]["overview"]["participants_active"] == 1
    assert data["summaries"]["placement_ranks"]["placements_from_suggestions"] == 1
    assert data["summaries"]["placement_ranks"]["median_rank"] == 2.0


def test_evaluate_rejects_bad_dates(database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["evaluate", "--from", "2025-13-01", "--out", str(tmp_path)])
    assert result.exit_code != 0
    result = runner.invoke(
        app, ["evaluate", "--from", "2025-06-01", "--to", "2025-01-01", "--out", str(tmp_path)]
    )
    assert result.exit_code != 0 and "before" in result.output


def test_default_period_is_the_last_year() -> None:
    assert default_period(None, dt.date(2025, 6, 30)) == (dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    assert default_period(None, dt.date(2024, 2, 29)) == (dt.date(2023, 3, 1), dt.date(2024, 2, 29))
    assert default_period(dt.date(2025, 1, 1), dt.date(2025, 2, 1))[0] == dt.date(2025, 1, 1)
