"""`ipsmatch serve`: run the web service, optionally filling an empty database with demo data."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
        port: int = typer.Option(8000, help="Port to listen on."),
        demo: bool = typer.Option(False, "--demo", help="Fill an empty database with demo data."),
        seed: int = typer.Option(7, help="Seed of the demo generator."),
    ) -> None:
        """Serve the web pages and the JSON API."""
        import uvicorn

        from service import db
        from service.app import create_app
        from service.config import get_settings

        settings = get_settings()
        engine = db.make_engine(settings.database_url)
        db.upgrade(engine)
        if demo:
            from service.demo import fill_demo_if_empty

            fill_demo_if_empty(engine, seed=seed, town=settings.demo_town)
        typer.echo(f"ipsmatch on http://{host}:{port}  (database: {engine.url.render_as_string()})")
        uvicorn.run(create_app(settings=settings, engine=engine), host=host, port=port)
