"""`ipsmatch occupations lookup`: JSON lines, tables, --file, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from service.cli import app


def test_json_is_one_object_per_query_best_first() -> None:
    result = CliRunner().invoke(
        app, ["occupations", "lookup", "--json", "--top", "3", "Truckförare"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    answer = json.loads(lines[0])
    assert answer["query"] == "Truckförare"
    candidates = answer["candidates"]
    assert 1 <= len(candidates) <= 3
    assert set(candidates[0]) == {"occupation_id", "label", "ssyk4_code", "score"}
    assert (candidates[0]["label"], candidates[0]["ssyk4_code"]) == ("Truckförare", "8344")
    scores = [c["score"] for c in candidates]
    assert scores == sorted(scores, reverse=True)


def test_each_argument_is_one_query() -> None:
    result = CliRunner().invoke(
        app, ["occupations", "lookup", "--json", "jobba på lager", "Truckförare"]
    )
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert first["query"] == "jobba på lager"
    assert first["candidates"][0]["ssyk4_code"] == "4322"
    assert second["query"] == "Truckförare"


def test_file_gives_one_line_per_non_empty_line(tmp_path: Path) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text("städerska\n\nqxzqxz\nbusschaufför\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["occupations", "lookup", "--file", str(queries), "--json", "--top", "1"]
    )
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [a["query"] for a in answers] == ["städerska", "qxzqxz", "busschaufför"]
    assert answers[1]["candidates"] == []
    assert [a["candidates"][0]["ssyk4_code"] for a in (answers[0], answers[2])] == ["9111", "8331"]


def test_table_output_in_swedish_and_english() -> None:
    runner = CliRunner()
    sv = runner.invoke(app, ["occupations", "lookup", "lokalvårdare"])
    assert sv.exit_code == 0, sv.output
    assert "Städare/Lokalvårdare" in sv.output and "1 sökningar, 0 utan träff." in sv.output
    en = runner.invoke(app, ["occupations", "lookup", "--lang", "en", "qxzqxz"])
    assert en.exit_code == 0, en.output
    assert "No occupation found." in en.output and "1 queries, 1 without a match." in en.output


def test_text_and_file_are_exclusive(tmp_path: Path) -> None:
    queries = tmp_path / "q.txt"
    queries.write_text("kock\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["occupations", "lookup"]).exit_code != 0
    both = runner.invoke(app, ["occupations", "lookup", "kock", "--file", str(queries)])
    assert both.exit_code != 0
