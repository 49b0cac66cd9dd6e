"""`ipsmatch occupations lookup`: free text to taxonomy occupations."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

TEXTS = {
    "sv": {
        "query": "Sökning",
        "score": "Poäng",
        "label": "Yrke",
        "ssyk4": "SSYK-4",
        "id": "Begrepps-id",
        "matched": "Träffat namn",
        "nothing": "Inget yrke hittades.",
        "summary": "{n} sökningar, {empty} utan träff.",
        "need_input": "Ange text att söka på eller --file, inte båda.",
    },
    "en": {
        "query": "Query",
        "score": "Score",
        "label": "Occupation",
        "ssyk4": "SSYK-4",
        "id": "Concept id",
        "matched": "Matched name",
        "nothing": "No occupation found.",
        "summary": "{n} queries, {empty} without a match.",
        "need_input": "Give text to look up or --file, not both.",
    },
}


def _queries(texts: list[str] | None, file: Path | None) -> list[str]:
    if file is not None:
        lines = file.read_text(encoding="utf-8").splitlines()
        return [line.strip() for line in lines if line.strip()]
    return [text.strip() for text in texts or []]


def register(app: typer.Typer) -> None:
    occupations = typer.Typer(help="The occupation vocabulary (JobTech Taxonomy, SSYK-2012).")
    app.add_typer(occupations, name="occupations")

    @occupations.command()
    def lookup(
        texts: list[str] | None = typer.Argument(
            None, help="One or more queries; quote a query of several words: 'jobba i butik'."
        ),
        file: Path | None = typer.Option(
            None, "--file", exists=True, dir_okay=False, help="One query per line."
        ),
        top: int = typer.Option(5, "--top", min=1, help="Candidates per query."),
        as_json: bool = typer.Option(False, "--json", help="One JSON object per query per line."),
        lang: str = typer.Option("sv", "--lang", help="sv or en."),
    ) -> None:
        """Find the taxonomy occupations that best match free text, best first."""
        from matching.vocabulary import default_matcher

        words = TEXTS.get(lang, TEXTS["sv"])
        if (file is None) == (not texts):
            raise typer.BadParameter(words["need_input"])
        matcher = default_matcher()
        queries = _queries(texts, file)
        results = matcher.lookup_many(queries, top=top)
        if as_json:
            for query, candidates in zip(queries, results, strict=True):
                line = {"query": query, "candidates": [c.as_dict() for c in candidates]}
                typer.echo(json.dumps(line, ensure_ascii=False))
            return
        console = Console()
        for query, candidates in zip(queries, results, strict=True):
            if not candidates:
                console.print(f"[bold]{words['query']}:[/bold] {query}  {words['nothing']}")
                continue
            table = Table(title=f"{words['query']}: {query}", title_justify="left")
            for key in ("score", "label", "ssyk4", "id", "matched"):
                table.add_column(words[key], justify="right" if key == "score" else "left")
            for c in candidates:
                table.add_row(
                    f"{c.score:.2f}", c.label, c.ssyk4_code, c.occupation_id, c.matched_term
                )
            console.print(table)
        empty = sum(not candidates for candidates in results)
        console.print(words["summary"].format(n=len(queries), empty=empty))
