"""`ipsmatch import employers FILE` and `ipsmatch import ads FILE`: fill the register from files.

All-or-nothing by default: with any rejected row nothing is written and every rejected row is
listed with its reasons (exit code 1). ``--skip-invalid`` imports the valid rows and lists the
rest. Re-importing the same file creates nothing twice.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table


def _run(kind: str, file: Path, skip_invalid: bool, as_json: bool) -> None:
    from sqlmodel import Session

    from employers.errors import ImportRejected
    from employers.imports import ImportFileError, import_ads, import_employers
    from service import db
    from service.config import get_settings

    console = Console(stderr=as_json)
    if not file.is_file():
        console.print(f"[red]{file}: no such file[/red]")
        raise typer.Exit(2)
    engine = db.make_engine(get_settings().database_url)
    db.upgrade(engine)
    run = import_ads if kind == "ads" else import_employers
    rejected = False
    with (
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress,
        Session(engine) as session,
    ):
        task = progress.add_task(f"{kind}: {file.name}", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            report = run(
                session,
                data=file.read_bytes(),
                filename=file.name,
                skip_invalid=skip_invalid,
                progress=advance,
            )
        except ImportFileError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
        except ImportRejected as exc:
            report = exc.report
            rejected = True
    engine.dispose()

    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, default=str))
    else:
        if report.rejected:
            table = Table(
                title="Rejected rows" if not rejected else "Rejected rows (nothing imported)"
            )
            table.add_column("row", justify="right")
            table.add_column("key")
            table.add_column("reasons")
            for row in report.rejected:
                table.add_row(str(row.row), row.key, "\n".join(row.errors))
            console.print(table)
        for dup in report.possible_duplicates:
            console.print(
                f"possible duplicate: row {dup.row} {dup.name!r} ~ employer {dup.employer_id} "
                f"{dup.existing_name!r} ({dup.reason})"
            )
        if report.previously_imported_at:
            console.print(f"the same file was imported on {report.previously_imported_at:%Y-%m-%d}")
        console.print(report.summary())
        if rejected:
            console.print("Fix the rows above, or use --skip-invalid to import the valid rows.")
    if rejected:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Import employers or job ads into the register.", no_args_is_help=True)

    @group.command("employers")
    def employers_command(
        file: Path = typer.Argument(..., help="A .csv or .xlsx file (columns: docs/imports.md)."),
        skip_invalid: bool = typer.Option(
            False, "--skip-invalid", help="Import the valid rows and report the rest."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """Import employers (with a contact person each) from a spreadsheet."""
        _run("employers", file, skip_invalid, as_json)

    @group.command("ads")
    def ads_command(
        file: Path = typer.Argument(..., help="A JobSearch/Platsbanken .json or .jsonl file."),
        skip_invalid: bool = typer.Option(
            False, "--skip-invalid", help="Import the valid ads and report the rest."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """Import job ads as openings (employers recognised or created)."""
        _run("ads", file, skip_invalid, as_json)

    app.add_typer(group, name="import")
