import json
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]


def test_import_employers_command_is_idempotent_and_all_or_nothing(tmp_path, monkeypatch):
    from service.cli import app
    from service.config import get_settings

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    runner = CliRunner()
    example = str(ROOT / "examples" / "employers_example.csv")
    try:
        first = runner.invoke(app, ["import", "employers", example, "--json"])
        assert first.exit_code == 0, first.output
        assert json.loads(first.stdout.strip().splitlines()[-1])["created"] == 5
        again = runner.invoke(app, ["import", "employers", example, "--json"])
        assert json.loads(again.stdout.strip().splitlines()[-1])["unchanged"] == 5

        broken = tmp_path / "broken.csv"
        broken.write_text("name;org_number\nNy Firma AB;\nFel AB;556036-0794\n", encoding="utf-8")
        rejected = runner.invoke(app, ["import", "employers", str(broken)])
        assert rejected.exit_code == 1
        assert "check digit" in rejected.output and "nothing imported" in rejected.output
        skipped = runner.invoke(app, ["import", "employers", str(broken), "--skip-invalid"])
        assert skipped.exit_code == 0 and "1 employers created" in skipped.output
        missing = runner.invoke(app, ["import", "ads", str(tmp_path / "nope.jsonl")])
        assert missing.exit_code == 2
    finally:
        get_settings.cache_clear()
