"""`ipsmatch demo`: fill the database named by DATABASE_URL with the synthetic demo municipality."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        seed: int = typer.Option(7, help="Seed of the demo generator (same seed, same data)."),
        town: str | None = typer.Option(
            None, help="Municipality at the centre (default: IPSMATCH_DEMO_TOWN or Karlstad)."
        ),
    ) -> None:
        """Fill an empty database with a realistic synthetic municipality and print the log-ins."""
        from rich.console import Console

        from matching.places import UnknownMunicipality, municipality_by_name
        from service import db
        from service.config import get_settings
        from service.demo import fill_demo_if_empty

        settings = get_settings()
        chosen = town or settings.demo_town
        try:
            municipality_by_name(chosen)
        except UnknownMunicipality:
            typer.echo(f"Unknown municipality: {chosen!r}", err=True)
            raise typer.Exit(2) from None
        engine = db.make_engine(settings.database_url)
        db.upgrade(engine)
        summary = fill_demo_if_empty(engine, seed=seed, town=chosen, console=Console())
        if summary is None:
            typer.echo(
                f"Refusing: the database {engine.url.render_as_string()} already holds data. "
                "Point DATABASE_URL at an empty database.",
                err=True,
            )
            raise typer.Exit(1)
